/** Which task a bot message shows, and each user's latest task (for "reply to a result" commands). */
import { RECORD_TTL_MS, type TaskRecord } from '../domain/records.js';
import type { Store } from '../domain/ports.js';
import type { ChatRef, Platform } from '../domain/types.js';

export class MessageIndex {
  constructor(private readonly store: Store) {}

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
