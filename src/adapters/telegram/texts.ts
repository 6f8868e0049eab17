/** Texts only the Telegram adapter shows. */
import { CORE_DICTIONARIES, createCatalogue, type Dictionary } from '../../core/domain/i18n/index.js';

export const telegramMessages: Dictionary = {
  'tg.needPhoto': {
    en: 'Please send a photo with this command: put /{command} in the photo’s caption, or reply to a photo with /{command}.',
    zh: '请随命令发送图片：把 /{command} 写在图片说明里，或回复一张图片并发送 /{command}。',
  },
  'tg.unknownCommand': { en: 'Unknown command. Send /help to see what I can do.', zh: '未知命令。发送 /help 查看可用命令。' },
  'tg.privateHint': {
    en: 'Send me a prompt and I will draw it (photos sent with it are used as references), or /help for everything else.',
    zh: '发送提示词即可绘图（随附的图片会作为参考图），发送 /help 查看全部功能。',
  },
  'tg.formPrompt': { en: 'Current prompt (tap to copy):', zh: '当前提示词（点击复制）：' },
  'tg.formChoose': { en: 'Reply to the message above, or choose an area:', zh: '回复上面的消息，或者选择一个区域：' },
  'tg.formButtons': { en: 'Reply to the message above with your answer, or:', zh: '回复上面的消息作答，或者：' },
  'tg.moreText': { en: '(continued below)', zh: '（见下一条消息）' },
  'tg.imageUnavailable': { en: '(the image could not be loaded)', zh: '（图片无法加载）' },
  'tg.videoUnavailable': { en: '(the video could not be loaded)', zh: '（视频无法加载）' },
  'tg.videoTooLarge': { en: 'The video is too large to send here; open it: {url}', zh: '视频太大，无法在这里发送，请打开：{url}' },
  'tg.replyHint': { en: 'Reply here', zh: '在此回复' },
  'tg.board.title': { en: '🎨 Drawing now in this group', zh: '🎨 本群正在绘制' },
  'tg.board.waiting': { en: 'up next', zh: '即将开始' },
  'tg.board.waitingAhead': { en: 'waiting, {n} ahead', zh: '排队中，前面还有 {n} 个' },
  'tg.board.input': { en: 'waiting for your answer', zh: '等待你的回复' },
  'tg.board.more': { en: '… and {n} more', zh: '……还有 {n} 个' },
  'tg.board.hint': {
    en: 'Each result comes as a reply to its /imagine. To cancel, reply /cancel to your own command.',
    zh: '每张结果都会回复到对应的 /imagine 消息。要取消，请回复你自己的命令并发送 /cancel。',
  },
};

/** The core's texts and this adapter's own. */
export const texts = createCatalogue([...CORE_DICTIONARIES, telegramMessages]);
export const t = texts.t;
