/** Texts only the console adapter shows. */
import { CORE_DICTIONARIES, createCatalogue, type Dictionary } from '../../core/domain/i18n/index.js';

export const consoleMessages: Dictionary = {
  'console.welcome': {
    en: 'mjbot console — type a prompt to draw it, /help for commands, /quit to leave.',
    zh: 'mjbot 控制台 — 输入提示词即可绘图，/help 查看命令，/quit 退出。',
  },
  'console.image': { en: 'image: {path}', zh: '图片：{path}' },
  'console.imageFailed': { en: 'the image could not be saved: {reason}', zh: '图片保存失败：{reason}' },
  'console.video': { en: 'video: {path}', zh: '视频：{path}' },
  'console.videoFailed': { en: 'the video could not be saved: {reason}', zh: '视频保存失败：{reason}' },
  'console.buttonsHint': { en: 'Type a button’s label (e.g. U2) to press it.', zh: '输入按钮上的文字（例如 U2）即可点击。' },
  'console.formPrompt': { en: 'Prompt: {value}', zh: '提示词：{value}' },
  'console.formAsk': {
    en: 'Type the prompt (empty line = keep it, "cancel" or a /command = cancel):',
    zh: '输入提示词（空行 = 保持不变，“cancel” 或任何 /命令 = 取消）：',
  },
  'console.regionAsk': {
    en: 'Type an area number or id, or the path to a PNG mask, optionally followed by a new prompt ("cancel" or a /command = cancel):',
    zh: '输入区域编号或 ID，或 PNG 蒙版文件路径，后面可以跟新的提示词（“cancel” 或任何 /命令 = 取消）：',
  },
  'console.formCancelled': {
    en: 'The "{title}" step was cancelled so that /{name} could run; press its button again to come back to it.',
    zh: '已取消“{title}”步骤以执行 /{name}；再次点击该按钮即可重新开始。',
  },
  'console.formStillOpen': { en: 'The "{title}" step is still waiting for your answer (or "cancel").', zh: '“{title}”步骤仍在等待你的回答（或输入 “cancel” 取消）。' },
  'console.offer': { en: 'Type "remix" to answer.', zh: '输入 “remix” 作答。' },
  'console.fileNotFound': { en: 'File not found: {path}', zh: '找不到文件：{path}' },
  'console.unknownCommand': { en: 'Unknown command /{name}. Type /help to see the commands.', zh: '未知命令 /{name}。输入 /help 查看命令。' },
  'console.noButton': { en: 'There is no "{label}" button to press yet: wait for a result.', zh: '还没有可以点击的 “{label}” 按钮：请等结果出来。' },
  'console.bye': { en: 'Bye.', zh: '再见。' },
};

/** The core's texts and this adapter's own. */
export const texts = createCatalogue([...CORE_DICTIONARIES, consoleMessages]);
export const t = texts.t;
