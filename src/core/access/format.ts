/** Localized text for /queue and /admin (pure apart from the record lookups). */
import { t } from '../domain/i18n/index.js';
import type { TaskRecord } from '../domain/records.js';
import type { Locale } from '../domain/types.js';
import type { AccessStats, ChatQueueView } from './gate.js';
import type { RunningSlot } from '../domain/access-types.js';

export type RecordLookup = (taskId: string) => Promise<TaskRecord | undefined>;

async function statusOf(slot: RunningSlot, locale: Locale, lookup: RecordLookup): Promise<{ status: string; what: string }> {
  const record = slot.taskId ? await lookup(slot.taskId) : undefined;
  const what = record?.prompt ?? slot.what;
  if (!slot.taskId || !record) return { status: t(locale, 'queue.starting'), what };
  if (record.status === 'IN_PROGRESS') return { status: t(locale, 'queue.percent', { percent: Math.round(record.percent) }), what };
  if (record.status === 'MODAL') return { status: t(locale, 'queue.waitingInput'), what };
  return { status: t(locale, 'queue.queuedAtProxy'), what };
}

/** /queue: who is drawing what in this chat, and who waits in which order. */
export async function formatChatQueue(view: ChatQueueView, locale: Locale, lookup: RecordLookup): Promise<string> {
  if (view.running.length === 0 && view.waiting.length === 0) return t(locale, 'queue.empty');
  const lines = [t(locale, 'queue.drawing', { n: view.running.length, max: view.max })];
  for (const slot of view.running) {
    const { status, what } = await statusOf(slot, locale, lookup);
    lines.push(t(locale, 'queue.drawingLine', { name: slot.name, what, status }));
  }
  lines.push('');
  if (view.waiting.length === 0) lines.push(t(locale, 'queue.noneWaiting'));
  else {
    lines.push(t(locale, 'queue.waiting', { n: view.waiting.length }));
    for (const w of view.waiting) lines.push(t(locale, 'queue.waitingLine', { pos: w.position, name: w.name, what: w.what }));
  }
  return lines.join('\n');
}

/** /admin running: every job holding a slot, in any chat. */
export async function formatRunning(slots: RunningSlot[], locale: Locale, lookup: RecordLookup, now: number): Promise<string> {
  if (slots.length === 0) return t(locale, 'admin.noneRunning');
  const lines = [t(locale, 'admin.running', { n: slots.length })];
  for (const slot of slots) {
    const { status, what } = await statusOf(slot, locale, lookup);
    const minutes = Math.max(0, Math.round((now - slot.since) / 60_000));
    lines.push(t(locale, 'admin.runningLine', { name: slot.name, user: slot.user, chat: slot.chat, what, status, minutes }));
  }
  return lines.join('\n');
}

/** /admin stats: today's totals and the top users. */
export function formatStats(stats: AccessStats, locale: Locale): string {
  const { day: date, submitted, successes, failures, refused, running, waiting } = stats;
  const lines = [t(locale, 'admin.stats', { date, submitted, successes, failures, refused, running, waiting })];
  lines.push('');
  if (stats.top.length === 0) lines.push(t(locale, 'admin.noUsage'));
  else {
    lines.push(t(locale, 'admin.top'));
    stats.top.forEach((u, i) => lines.push(t(locale, 'admin.topLine', { i: i + 1, name: u.name, user: u.user, n: u.successes })));
  }
  return lines.join('\n');
}
