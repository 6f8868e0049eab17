/**
 * Albums arrive as one update per photo with the same media_group_id. They are collected for a
 * short window after the last part, then handled as one message list. Recent albums are kept
 * (bounded) so a command sent as a reply to one photo of an album can use the whole album.
 */
import type { Message } from 'grammy/types';

interface Pending {
  messages: Message[];
  timer: NodeJS.Timeout;
}

const KEEP_ALBUMS = 500;

export class AlbumCollector {
  private readonly pending = new Map<string, Pending>();
  /** `${chatId}:${messageId}` → the album it belongs to (oldest first). */
  private readonly recent = new Map<string, Message[]>();
  private closed = false;

  constructor(
    private readonly windowMs: number,
    private readonly onAlbum: (messages: Message[]) => Promise<void>,
  ) {}

  add(message: Message): void {
    if (this.closed || !message.media_group_id) return;
    const key = `${message.chat.id}:${message.media_group_id}`;
    const entry = this.pending.get(key);
    if (entry) clearTimeout(entry.timer);
    const messages = [...(entry?.messages ?? []), message];
    const timer = setTimeout(() => this.flush(key), this.windowMs);
    this.pending.set(key, { messages, timer });
  }

  /** The whole album a message belongs to, if it was seen recently. */
  albumOf(message: Pick<Message, 'message_id' | 'chat'>): Message[] | undefined {
    return this.recent.get(`${message.chat.id}:${message.message_id}`);
  }

  private flush(key: string): void {
    const entry = this.pending.get(key);
    if (!entry) return;
    this.pending.delete(key);
    const messages = [...entry.messages].sort((a, b) => a.message_id - b.message_id);
    for (const m of messages) this.recent.set(`${m.chat.id}:${m.message_id}`, messages);
    while (this.recent.size > KEEP_ALBUMS * 10) {
      const oldest = this.recent.keys().next().value;
      if (oldest === undefined) break;
      this.recent.delete(oldest);
    }
    void this.onAlbum(messages);
  }

  close(): void {
    this.closed = true;
    for (const entry of this.pending.values()) clearTimeout(entry.timer);
    this.pending.clear();
  }
}
