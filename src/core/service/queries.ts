/** Read-only questions about tasks: a task's card (/task), a result's seed (/seed), a chat's gallery. */
import type { ImageRef, Locale, Origin, TaskView } from '../domain/types.js';
import { taskView } from '../domain/views.js';
import type { ServiceContext } from './context.js';
import { buttonRows } from './updates.js';

/** A task as its chat shows it, with its buttons again when it succeeded. */
export interface TaskCard {
  view: TaskView;
  /** The result image (finished tasks only). */
  image?: ImageRef;
}

export type SeedAnswer =
  | { ok: true; taskId: string; seed: string }
  | { ok: false; reason: 'no-task' | 'not-found' | 'not-finished'; taskId?: string }
  | { ok: false; reason: 'not-owner'; taskId: string; owner: string };

export interface GalleryItem {
  taskId: string;
  image: ImageRef;
  owner: string;
  prompt: string;
}

/** A task's card for `origin`, or undefined for unknown ids and tasks it may not see (the same answer, so ids cannot be probed). */
export async function taskCard(ctx: ServiceContext, origin: Origin, taskId: string, locale: Locale): Promise<TaskCard | undefined> {
  const record = await ctx.records.get(taskId);
  if (!record || !ctx.maySee(record, origin)) return undefined;
  const success = record.status === 'SUCCESS' && !record.failure;
  // Buttons only for those who may press them (a collaborator, an admin, the owner anywhere).
  const rows = success && (await ctx.mayPress(record, origin)) ? await buttonRows(ctx, record) : [];
  const view = taskView(record, locale, rows);
  return { view, image: success && view.image ? { url: view.image.url, taskId } : undefined };
}

/** The seed of a finished image: the given task, the replied-to result, or the user's latest. */
export async function seedOf(ctx: ServiceContext, origin: Origin, taskId: string | undefined): Promise<SeedAnswer> {
  const id = taskId ?? (await ctx.messages.lastOf(origin.chat.platform, origin.actor.userId));
  if (!id) return { ok: false, reason: 'no-task' };
  const record = await ctx.records.get(id);
  // Unknown and foreign ids get the same answer, so ids cannot be probed.
  if (!record || !ctx.maySee(record, origin)) return { ok: false, reason: 'not-found', taskId: id };
  // The seed is Midjourney's owner action: those who may press the task's buttons may ask for it.
  if (!(await ctx.mayPress(record, origin))) return { ok: false, reason: 'not-owner', taskId: id, owner: record.owner.name };
  if (record.status !== 'SUCCESS' || record.failure) return { ok: false, reason: 'not-finished', taskId: id };
  return { ok: true, taskId: id, seed: await ctx.clientFor().imageSeed(id) };
}

/** The chat's latest finished images (needs access control, which keeps the list). */
export async function gallery(ctx: ServiceContext, origin: Origin, limit: number): Promise<GalleryItem[] | undefined> {
  if (!ctx.access) return undefined;
  const items: GalleryItem[] = [];
  for (const taskId of await ctx.access.gallery(origin.chat, { limit })) {
    const record = await ctx.records.get(taskId);
    const url = record?.task?.imageUrl;
    if (record && url && ctx.maySee(record, origin)) items.push({ taskId, image: { url, taskId }, owner: record.owner.name, prompt: record.prompt });
  }
  return items;
}

/** One of the user's recent jobs, as /history lists it. */
export interface HistoryItem {
  taskId: string;
  view: TaskView;
  submittedAt: number;
  /** Drawn in the chat /history is asked in. */
  here: boolean;
  /** Its chat refused the result for good (blocked, kicked): it can only be seen here. */
  undelivered: boolean;
}

/** The user's last `limit` jobs across chats (of this platform), newest first. */
export async function history(ctx: ServiceContext, origin: Origin, locale: Locale, limit: number): Promise<HistoryItem[]> {
  const items: HistoryItem[] = [];
  for (const taskId of await ctx.messages.historyOf(origin.chat.platform, origin.actor.userId)) {
    if (items.length >= limit) break;
    const record = await ctx.records.get(taskId);
    if (!record || !ctx.maySee(record, origin)) continue;
    const here = record.chat.platform === origin.chat.platform && record.chat.chatId === origin.chat.chatId;
    items.push({ taskId, view: taskView(record, locale), submittedAt: record.submittedAt, here, undelivered: record.stage === 'undeliverable' });
  }
  return items;
}
