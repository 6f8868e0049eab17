/** Turn a task record into what the user sees (TaskView). Pure; strings come from i18n. */
import { t } from './i18n/index.js';
import type { ButtonView, Locale, TaskView } from './types.js';
import type { TaskRecord } from './records.js';

/** A text progress bar, e.g. "▰▰▰▱▱▱▱▱▱▱". */
export function progressBar(percent: number, width = 10): string {
  const filled = Math.max(0, Math.min(width, Math.round((percent / 100) * width)));
  return '▰'.repeat(filled) + '▱'.repeat(width - filled);
}

/** The localized user-facing text of an error code. */
export function errorText(locale: Locale, code: string, context: Record<string, string | number | boolean | undefined> = {}): string {
  const vars: Record<string, string | number | undefined> = {};
  for (const [k, v] of Object.entries(context)) vars[k] = typeof v === 'boolean' ? String(v) : v;
  const text = t(locale, `error.${code}`, vars);
  // Missing placeholders (e.g. no {detail}) read badly: drop them.
  return text.replace(/\s*[:：(（]?\s*\{\w+\}\s*[)）]?/g, '').trim() || t(locale, 'error.INTERNAL');
}

export function taskView(record: TaskRecord, locale: Locale, rows: ButtonView[][] = []): TaskView {
  const base = {
    taskId: record.taskId,
    locale,
    prompt: record.prompt,
    requester: record.owner.name,
    rows: [] as ButtonView[][],
  };
  const task = record.task;
  if (record.failure?.code === 'CANCELLED') {
    return { ...base, phase: 'failed', headline: `✖️ ${t(locale, 'task.cancelled')}`, final: true };
  }
  if (record.failure) {
    return {
      ...base,
      phase: 'failed',
      headline: `❌ ${t(locale, 'task.failed')}`,
      detail: errorText(locale, record.failure.code, { detail: record.failure.detail, minutes: Math.round((record.deadline - record.submittedAt) / 60_000) }),
      final: true,
    };
  }
  if (record.status === 'SUCCESS' && task) {
    const image = task.imageUrl ? { url: task.imageUrl, taskId: record.taskId } : undefined;
    const clip = task.videoUrl || task.videoUrls[0];
    return {
      ...base,
      phase: 'result',
      headline: `✅ ${t(locale, 'task.done')}`,
      image,
      ...(clip ? { video: { url: clip, taskId: record.taskId } } : {}),
      rows,
      detail: resultDetail(record, locale, rows),
      percent: 100,
      final: true,
    };
  }
  if (record.status === 'MODAL') {
    return { ...base, phase: 'waiting-input', headline: `✏️ ${t(locale, 'task.waitingInput')}`, final: false };
  }
  if (record.status === 'IN_PROGRESS') {
    const image = task?.imageUrl ? { url: task.imageUrl, taskId: record.taskId, preview: true } : undefined;
    return {
      ...base,
      phase: 'progress',
      headline: `🎨 ${t(locale, 'task.progress', { percent: Math.round(record.percent) })} ${progressBar(record.percent)}`,
      percent: record.percent,
      image,
      final: false,
    };
  }
  if (record.status === 'SUBMITTED') {
    return { ...base, phase: 'queued', headline: `⏳ ${t(locale, 'task.started')}`, percent: 0, final: false };
  }
  const ahead = record.queuePosition;
  return {
    ...base,
    phase: 'queued',
    headline: ahead ? `⏳ ${t(locale, 'task.queuedAhead', { n: ahead })}` : `⏳ ${t(locale, 'task.queued')}`,
    queuePosition: ahead,
    final: false,
  };
}

/**
 * Describe and shorten results carry their text; the number buttons pick a prompt — where the
 * proxy lets them be pressed. Where they are hidden (new-api relays) the text says what to do
 * instead. A video with several clips says which buttons pick one.
 */
function resultDetail(record: TaskRecord, locale: Locale, rows: ButtonView[][]): string | undefined {
  const task = record.task;
  if (!task) return undefined;
  const finalPrompt = typeof task.properties.finalPrompt === 'string' ? task.properties.finalPrompt : undefined;
  const action = task.action ?? '';
  const numbered = rows.some((row) => row.some((b) => /^[1-5]\uFE0F?\u20E3$/u.test(b.label || b.emoji || '')));
  if (action === 'DESCRIBE' || record.kind === 'describe') {
    const intro = t(locale, numbered ? 'task.describeResult' : 'task.describeResultCopy');
    return `${intro}\n\n${finalPrompt ?? task.promptEn ?? task.prompt ?? ''}`.trim();
  }
  if (action === 'SHORTEN' || record.kind === 'shorten') {
    const intro = t(locale, numbered ? 'task.shortenResult' : 'task.shortenResultCopy');
    return `${intro}\n\n${finalPrompt ?? task.description ?? ''}`.trim();
  }
  const clipButtons = rows.some((row) => row.some((b) => b.label === 'U1'));
  if (task.videoUrls.length > 1 && clipButtons) return t(locale, 'task.videoClips', { n: task.videoUrls.length });
  return undefined;
}

export function submittingView(prompt: string, requester: string, locale: Locale): TaskView {
  return { phase: 'submitting', locale, headline: `⏳ ${t(locale, 'task.submitting')}`, prompt, requester, rows: [], final: false };
}

export function failedView(prompt: string, requester: string, locale: Locale, code: string, context: Record<string, string | number | boolean | undefined> = {}, taskId?: string): TaskView {
  return { phase: 'failed', taskId, locale, headline: `❌ ${t(locale, 'task.failed')}`, prompt, requester, rows: [], detail: errorText(locale, code, context), final: true };
}

/** Waiting for a slot in the chat's fair queue, before the job is sent to the proxy; `cancel` is its ✖️ Cancel button. */
export function queuedView(prompt: string, requester: string, locale: Locale, position: number, cancel?: string): TaskView {
  const rows: ButtonView[][] = cancel ? [[{ payload: cancel, label: t(locale, 'word.cancel'), emoji: '✖️', style: 'danger' }]] : [];
  return { phase: 'queued', locale, headline: `⏳ ${t(locale, 'task.queuedAhead', { n: position })}`, prompt, requester, queuePosition: position, rows, final: false };
}

/** A job its user took out of the line (or stopped) before it drew. */
export function cancelledView(prompt: string, requester: string, locale: Locale): TaskView {
  return { phase: 'failed', locale, headline: `✖️ ${t(locale, 'task.cancelled')}`, prompt, requester, rows: [], final: true };
}
