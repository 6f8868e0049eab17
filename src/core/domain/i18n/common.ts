/** Task status lines and general words shared by every adapter. */
import type { Dictionary } from './catalogue.js';

export const commonMessages: Dictionary = {
  'task.submitting': { en: 'Submitting…', zh: '正在提交…' },
  'task.queued': { en: 'Queued', zh: '排队中' },
  'task.queuedAhead': { en: 'Queued: {n} ahead of you', zh: '排队中：前面还有 {n} 个任务' },
  'task.started': { en: 'Waiting to start…', zh: '等待开始…' },
  'task.progress': { en: 'Drawing… {percent}%', zh: '绘制中… {percent}%' },
  'task.done': { en: 'Done', zh: '完成' },
  'task.failed': { en: 'Failed', zh: '失败' },
  'task.cancelled': { en: 'Cancelled', zh: '已取消' },
  'task.waitingInput': { en: 'Waiting for your input', zh: '等待你的输入' },
  'task.interrupted': { en: 'Interrupted by a restart before the proxy answered; the job may not have been submitted.', zh: '提交时机器人重启，任务可能未提交成功。' },
  'task.by': { en: 'by {name}', zh: '来自 {name}' },
  'task.describeResult': { en: 'Prompts for this image — press a number to draw it:', zh: '这张图片的提示词 — 点击数字按钮即可绘制：' },
  'task.shortenResult': { en: 'Shortened prompts — press a number to draw it:', zh: '精简后的提示词 — 点击数字按钮即可绘制：' },
  'task.describeResultCopy': {
    en: 'Prompts for this image — copy one and draw it with /imagine (this proxy has no number buttons):',
    zh: '这张图片的提示词 — 复制一条，用 /imagine 绘制（当前代理不提供数字按钮）：',
  },
  'task.shortenResultCopy': {
    en: 'Shortened prompts — copy one and draw it with /imagine (this proxy has no number buttons):',
    zh: '精简后的提示词 — 复制一条，用 /imagine 绘制（当前代理不提供数字按钮）：',
  },
  'task.videoClips': { en: '{n} clips — U1–U{n} upscale one of them.', zh: '共 {n} 段视频 — U1–U{n} 放大其中一段。' },
  'task.seed': { en: 'Seed: {seed}', zh: '种子：{seed}' },
  'word.cancel': { en: 'Cancel', zh: '取消' },
  'word.submit': { en: 'Submit', zh: '提交' },
  'word.open': { en: 'Open', zh: '打开' },
};

/** Form steps (Custom Zoom, Vary Region, describe → imagine, remix). */
export const formMessages: Dictionary = {
  'form.promptLabel': { en: 'Prompt', zh: '提示词' },
  'form.promptPlaceholder': { en: 'Describe what to draw', zh: '描述要绘制的内容' },
  'form.zoomPlaceholder': { en: 'your prompt --zoom 1.5', zh: '你的提示词 --zoom 1.5' },
  'form.zoomHint': { en: 'Edit the prompt and keep --zoom with a value between 1 and 2 (e.g. --zoom 1.5).', zh: '编辑提示词，并保留 --zoom 参数，取值 1 到 2（例如 --zoom 1.5）。' },
  'form.regionHint': { en: 'Choose the area to redraw, or reply with a black-and-white PNG mask (white = redraw). You may edit the prompt too.', zh: '选择要重绘的区域，或回复一张黑白 PNG 蒙版（白色 = 重绘）。也可以修改提示词。' },
  'form.promptHint': { en: 'Edit the prompt if you like, then send it to draw.', zh: '可以修改提示词，然后发送即可开始绘制。' },
  'form.remixTitle': { en: 'Remix prompt', zh: 'Remix 提示词' },
  'form.remixHint': { en: 'Remix is on: edit the prompt for this variation, then send it.', zh: 'Remix 模式已开启：编辑本次变化的提示词后发送。' },
  'form.imagineTitle': { en: 'Imagine', zh: '绘制' },
  'form.cancelled': { en: 'Cancelled.', zh: '已取消。' },
  'form.expired': { en: '⌛ This {label} step expired (a form stays open for 24 hours), so nothing was sent.', zh: '⌛ 此 {label} 步骤已过期（表单保留 24 小时），未提交任何内容。' },
  'form.yourText': { en: 'Your text, so nothing is lost:', zh: '你输入的内容（已为你保留）：' },
  'form.startAgain': { en: 'Start again', zh: '重新开始' },
  'form.sent': { en: 'Sent.', zh: '已提交。' },
  'form.replyHere': { en: 'Reply to this message with your answer.', zh: '请回复此消息作答。' },
};
