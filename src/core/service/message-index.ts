/**
 * Which task a bot message shows, each user's latest task (for "reply to a result" commands), and
 * each user's recent jobs across chats (/history).
 */
import { RECORD_TTL_MS, type TaskRecord } from '../domain/records.js';
import type { Store } from '../domain/ports.js';
import type { ChatRef, Platform } from '../domain/types.js';

/** How many jobs /history keeps per user. */
export const HISTORY_KEEP = 50;

export class MessageIndex {
  /** Appends of one process one at a time (two processes may rarely drop one entry; the jobs stay in /task). */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly store: Store) {}

  /** A job the user just submitted joins their history (newest last). */
  addToHistory(record: TaskRecord): Promise<void> {
    const key = `hist:${record.chat.platform}:${record.owner.userId}`;
    const step = async () => {
      const list = (await this.store.get<string[]>('user', key)) ?? [];
      await this.store.set('user', key, [...list.filter((id) => id !== record.taskId), record.taskId].slice(-HISTORY_KEEP), RECORD_TTL_MS);
    };
    const next = this.tail.then(step, step);
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** The user's jobs, newest first. */
  async historyOf(platform: Platform, userId: string): Promise<string[]> {
    return ((await this.store.get<string[]>('user', `hist:${platform}:${userId}`)) ?? []).slice().reverse();
  }

  async remember(record: TaskRecord): Promise<void> {
    const ref = record.ref;
    if (ref) await this.store.set('msg', `t:${ref.chat.platform}:${ref.chat.chatId}:${ref.messageId}`, record.taskId, RECORD_TTL_MS);
    await this.store.set('user', `last:${record.chat.platform}:${record.owner.userId}`, record.taskId, RECORD_TTL_MS);
  }

  taskFor(chat: ChatRef, messageId: string): Promise<string | undefined> {
    return this.store.get<string>('msg', `t:${chat.platform}:${chat.chatId}:${messageId}`);
  }

  lastOf(platform: Platform, userId: string): Promise<string | undefined> {
    return this.store.get<string>('user', `last:${platform}:${userId}`);
  }
}
