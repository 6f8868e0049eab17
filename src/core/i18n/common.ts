/** Task status lines and general words shared by every front end. */
import type { Dictionary } from './index.js';

export const commonMessages: Dictionary = {
  'task.submitting': { en: 'Submitting…', zh: '正在提交…' },
  'task.queued': { en: 'Queued', zh: '排队中' },
  'task.queuedAhead': { en: 'Queued: {n} ahead of you', zh: '排队中：前面还有 {n} 个任务' },
  'task.started': { en: 'Waiting to start…', zh: '等待开始…' },
  'task.progress': { en: 'Drawing… {percent}%', zh: '绘制中… {percent}%' },
  'task.done': { en: 'Done', zh: '完成' },
  'task.failed': { en: 'Failed', zh: '失败' },
  'task.waitingInput': { en: 'Waiting for your input', zh: '等待你的输入' },
  'task.interrupted': { en: 'Interrupted by a restart before the proxy answered; the job may not have been submitted.', zh: '提交时机器人重启，任务可能未提交成功。' },
  'task.by': { en: 'by {name}', zh: '来自 {name}' },
  'task.describeResult': { en: 'Prompts for this image — press a number to draw it:', zh: '这张图片的提示词 — 点击数字按钮即可绘制：' },
  'task.shortenResult': { en: 'Shortened prompts — press a number to draw it:', zh: '精简后的提示词 — 点击数字按钮即可绘制：' },
  'task.seed': { en: 'Seed: {seed}', zh: '种子：{seed}' },
  'word.cancel': { en: 'Cancel', zh: '取消' },
  'word.submit': { en: 'Submit', zh: '提交' },
  'word.open': { en: 'Open', zh: '打开' },
};
