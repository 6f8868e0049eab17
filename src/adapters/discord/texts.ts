/** Texts only the Discord adapter shows. */
import { CORE_DICTIONARIES, createCatalogue, type Dictionary } from '../../core/domain/i18n/index.js';

export const discordMessages: Dictionary = {
  'dc.unknownCommand': { en: 'Unknown command. Use /help to see what I can do.', zh: '未知命令。使用 /help 查看可用命令。' },
  'dc.regionChoose': { en: 'Choose the area to redraw:', zh: '选择要重绘的区域：' },
  'dc.regionPlaceholder': { en: 'Area to redraw', zh: '要重绘的区域' },
  'dc.formOffer': { en: 'Press “Open” to answer.', zh: '点击“打开”作答。' },
  'dc.imageTooLarge': {
    en: 'The image is larger than this server’s upload limit; open it here: {url}',
    zh: '图片超过了本服务器的上传上限，请在此打开：{url}',
  },
  'dc.imageUnavailable': { en: '(the image could not be loaded)', zh: '（图片无法加载）' },
  'dc.videoTooLarge': {
    en: 'The video is larger than this server’s upload limit; open it here: {url}',
    zh: '视频超过了本服务器的上传上限，请在此打开：{url}',
  },
  'dc.videoUnavailable': { en: '(the video could not be loaded)', zh: '（视频无法加载）' },
  'dc.unknownComponent': { en: 'This control is no longer valid.', zh: '此控件已失效。' },
};

/** The core's texts and this adapter's own. */
export const texts = createCatalogue([...CORE_DICTIONARIES, discordMessages]);
export const t = texts.t;
