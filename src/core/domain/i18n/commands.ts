/** Texts of the platform-neutral commands in commands/ (registered on import). */
import type { Dictionary } from './catalogue.js';

export const commandMessages: Dictionary = {
  // imagine
  'cmd.imagine.description': { en: 'Draw an image from a prompt', zh: '根据提示词绘图' },
  'cmd.imagine.prompt': { en: 'What to draw; parameters like --ar 16:9 work too', zh: '要画的内容；也可以加 --ar 16:9 等参数' },
  'cmd.imagine.images': { en: 'Reference images (optional, up to 3)', zh: '参考图（可选，最多 3 张）' },
  'cmd.imagine.tooManyImages': { en: 'Too many reference images: at most {max}.', zh: '参考图太多：最多 {max} 张。' },
  // blend
  'cmd.blend.description': { en: 'Blend 2 to 5 images into a new one', zh: '把 2 到 5 张图片融合成一张新图' },
  'cmd.blend.images': { en: 'The images to blend (2 to 5)', zh: '要融合的图片（2 到 5 张）' },
  'cmd.blend.dimensions': { en: 'Shape of the result', zh: '结果图片的形状' },
  'cmd.blend.portrait': { en: 'Portrait (2:3)', zh: '竖图（2:3）' },
  'cmd.blend.square': { en: 'Square (1:1)', zh: '方图（1:1）' },
  'cmd.blend.landscape': { en: 'Landscape (3:2)', zh: '横图（3:2）' },
  'cmd.blend.tooFew': { en: 'Blend needs at least {min} images; you sent {n}.', zh: '融合至少需要 {min} 张图片，你发送了 {n} 张。' },
  'cmd.blend.tooMany': { en: 'Blend takes at most {max} images; you sent {n}.', zh: '融合最多支持 {max} 张图片，你发送了 {n} 张。' },
  'cmd.blend.badDimensions': { en: 'Unknown shape: choose portrait, square or landscape.', zh: '未知的形状：请选择竖图、方图或横图。' },
  'cmd.blend.display': { en: 'Blend of {n} images', zh: '融合 {n} 张图片' },
  // describe
  'cmd.describe.description': { en: 'Get prompts that describe an image', zh: '获取描述一张图片的提示词' },
  'cmd.describe.image': { en: 'The image to describe', zh: '要描述的图片' },
  'cmd.describe.needImage': { en: 'Describe needs one image.', zh: '描述需要一张图片。' },
  'cmd.describe.display': { en: 'Describe an image', zh: '描述图片' },
  // shorten
  'cmd.shorten.description': { en: 'Shorten a prompt and see which words matter', zh: '精简提示词，看看哪些词最重要' },
  'cmd.shorten.prompt': { en: 'The prompt to shorten', zh: '要精简的提示词' },
  'cmd.shorten.display': { en: 'Shorten: {prompt}', zh: '精简：{prompt}' },
  // faceswap
  'cmd.faceswap.description': { en: 'Put the face from one image onto another', zh: '把一张图里的脸换到另一张图上' },
  'cmd.faceswap.source': { en: 'The image with the face to use', zh: '提供人脸的图片' },
  'cmd.faceswap.target': { en: 'The image whose face is replaced', zh: '要被换脸的图片' },
  'cmd.faceswap.needImages': { en: 'Face swap needs two images: first the face, then the picture to put it on.', zh: '换脸需要两张图片：先发人脸图，再发要换脸的图。' },
  'cmd.faceswap.display': { en: 'Face swap', zh: '换脸' },
  // edit
  'cmd.edit.description': { en: 'Change an image as a prompt says (optionally only where a mask is white)', zh: '按提示词修改一张图片（可用蒙版限定只改白色区域）' },
  'cmd.edit.image': { en: 'The image to change', zh: '要修改的图片' },
  'cmd.edit.prompt': { en: 'What the image should become', zh: '图片要改成什么样' },
  'cmd.edit.mask': { en: 'Black-and-white PNG mask: white = change (optional)', zh: '黑白 PNG 蒙版：白色 = 要修改的区域（可选）' },
  'cmd.edit.needImage': {
    en: 'Edit needs an image: reply to a photo with /edit <prompt>, or send the photo with /edit <prompt> as its caption.',
    zh: '修改需要一张图片：回复一张图片并发送 /edit <提示词>，或发送图片并把 /edit <提示词> 作为说明文字。',
  },
  'cmd.edit.display': { en: 'Edit: {prompt}', zh: '修改：{prompt}' },
  'cmd.edit.displayMasked': { en: 'Edit (masked): {prompt}', zh: '修改（蒙版）：{prompt}' },
  // animate
  'cmd.animate.description': { en: 'Turn an image into a short video', zh: '把一张图片变成一段短视频' },
  'cmd.animate.image': { en: 'The image to animate', zh: '要做成视频的图片' },
  'cmd.animate.prompt': { en: 'What should move and how; --motion high works too', zh: '画面里什么在动、怎么动；也可以写 --motion high' },
  'cmd.animate.motion': { en: 'How much it moves (default low; --motion in the prompt wins)', zh: '运动幅度（默认低；提示词里的 --motion 优先）' },
  'cmd.animate.low': { en: 'Low motion', zh: '低运动' },
  'cmd.animate.high': { en: 'High motion', zh: '高运动' },
  'cmd.animate.badMotion': { en: 'Motion is low or high.', zh: '运动幅度只能是 low（低）或 high（高）。' },
  'cmd.animate.needImage': {
    en: 'Animate needs an image: reply to a photo with /animate <prompt>, or send the photo with /animate <prompt> as its caption.',
    zh: '生成视频需要一张图片：回复一张图片并发送 /animate <提示词>，或发送图片并把 /animate <提示词> 作为说明文字。',
  },
  'cmd.animate.displayLow': { en: 'Animate (Low motion): {prompt}', zh: '生成视频（低运动）：{prompt}' },
  'cmd.animate.displayHigh': { en: 'Animate (High motion): {prompt}', zh: '生成视频（高运动）：{prompt}' },
  // seed
  'cmd.seed.description': { en: 'Show the seed of a finished image', zh: '查看已完成图片的种子' },
  'cmd.seed.task': { en: 'Task id (default: your latest image)', zh: '任务 ID（默认：你最近的图片）' },
  'cmd.seed.noTask': { en: 'No image yet: draw one first, or give a task id.', zh: '还没有图片：请先绘制一张，或提供任务 ID。' },
  'cmd.seed.notFinished': { en: 'That task has not finished yet, so it has no seed.', zh: '该任务尚未完成，暂时没有种子。' },
  // task
  'cmd.task.description': { en: 'Show a task: status, image and buttons', zh: '查看任务：状态、图片和按钮' },
  'cmd.task.id': { en: 'Task id', zh: '任务 ID' },
  'cmd.task.needId': { en: 'Please give a task id, e.g. /task 1712345678901234.', zh: '请提供任务 ID，例如 /task 1712345678901234。' },
  'cmd.task.notFound': { en: 'No such task: {id}.', zh: '没有这个任务：{id}。' },
  'cmd.task.prompt': { en: 'Prompt: {prompt}', zh: '提示词：{prompt}' },
  'cmd.task.by': { en: 'Requested by {name}', zh: '发起人：{name}' },
  // settings
  'cmd.settings.description': { en: 'Your defaults: speed, bot, aspect ratio, version, language', zh: '你的默认设置：速度、机器人、比例、版本、语言' },
  'cmd.settings.args': { en: 'e.g. "mode relax", "ar 16:9", "v 7", "lang zh" (empty: show the menu)', zh: '例如 “mode relax”、“ar 16:9”、“v 7”、“lang zh”（留空显示菜单）' },
  'cmd.settings.title': { en: '⚙️ Your settings', zh: '⚙️ 你的设置' },
  'cmd.settings.mode': { en: 'Speed: {value}', zh: '速度：{value}' },
  'cmd.settings.bot': { en: 'Bot: {value}', zh: '机器人：{value}' },
  'cmd.settings.aspect': { en: 'Default aspect ratio: {value}', zh: '默认比例：{value}' },
  'cmd.settings.version': { en: 'Default version: {value}', zh: '默认版本：{value}' },
  'cmd.settings.lang': { en: 'Language: {value}', zh: '语言：{value}' },
  'cmd.settings.unset': { en: 'not set', zh: '未设置' },
  'cmd.settings.proxyDefault': { en: 'proxy default', zh: '代理默认' },
  'cmd.settings.saved': { en: 'Saved.', zh: '已保存。' },
  'cmd.settings.footer': { en: 'Press a button to change a setting. Prompt parameters always win over these defaults.', zh: '点击按钮修改设置。提示词里写的参数总是优先于这些默认值。' },
  'cmd.settings.mode.fast': { en: 'Fast', zh: '快速' },
  'cmd.settings.mode.relax': { en: 'Relax', zh: '慢速' },
  'cmd.settings.mode.turbo': { en: 'Turbo', zh: '极速' },
  'cmd.settings.bot.mj': { en: 'Midjourney', zh: 'Midjourney' },
  'cmd.settings.bot.niji': { en: 'Niji', zh: 'Niji' },
  'cmd.settings.arClear': { en: 'Any ratio', zh: '不限比例' },
  'cmd.settings.vDefault': { en: 'Default version', zh: '默认版本' },
  'cmd.settings.lang.en': { en: 'English', zh: 'English' },
  'cmd.settings.lang.zh': { en: '中文', zh: '中文' },
  'cmd.settings.usage': {
    en: 'Usage: settings [mode fast|relax|turbo] [bot mj|niji] [ar 1:1|2:3|3:2|16:9|9:16|clear] [v 7|6.1|default] [lang en|zh]',
    zh: '用法：settings [mode fast|relax|turbo] [bot mj|niji] [ar 1:1|2:3|3:2|16:9|9:16|clear] [v 7|6.1|default] [lang en|zh]',
  },
  'cmd.settings.badValue': { en: 'Unknown value "{value}" for {field}.', zh: '{field} 不支持取值 “{value}”。' },
  // help / start
  'cmd.help.description': { en: 'How to use this bot', zh: '使用说明' },
  'cmd.start.description': { en: 'Start', zh: '开始' },
  'cmd.start.welcome': { en: '👋 Welcome! I draw images with Midjourney.', zh: '👋 欢迎！我可以用 Midjourney 为你绘图。' },
  'cmd.help.title': { en: 'Commands:', zh: '命令：' },
  'cmd.help.line': { en: '/{name} — {description}', zh: '/{name} — {description}' },
  'cmd.help.buttons': {
    en: 'Under each result: U1–U4 upscale one image, V1–V4 make variations, 🔄 draws again. Upscaled images get more buttons (Vary, Zoom, Pan…).',
    zh: '每个结果下方：U1–U4 放大单张图片，V1–V4 生成变体，🔄 重新绘制。放大后的图片还有更多按钮（变化、缩放、平移…）。',
  },
  'cmd.help.forms': {
    en: 'Some buttons (Custom Zoom, Vary (Region), describe numbers, remix) ask for a prompt first: edit it and send it, or cancel.',
    zh: '部分按钮（自定义缩放、局部重绘、描述结果的数字、Remix）会先让你填写提示词：修改后发送，或取消。',
  },
  'cmd.help.images': {
    en: 'Image commands (blend, describe, faceswap, imagine with reference images) take the images you attach.',
    zh: '图片类命令（融合、描述、换脸、带参考图的绘图）会使用你附带的图片。',
  },
  // shared validation
  'cmd.badInput': { en: 'That input is not valid.', zh: '输入无效。' },
  'cmd.notAnImage': { en: 'Please attach an image.', zh: '请附带一张图片。' },
};

