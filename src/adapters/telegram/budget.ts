/**
 * Outgoing flood budget per chat, modelled on Telegram's Bot FAQ: about one message per second
 * per chat (short bursts tolerated) and 20 messages per minute per group. Every send/edit to a
 * chat takes a token (installed as an API transformer, so nothing slips past it); calls wait
 * their turn in FIFO order. Progress updates ask `hasRoom` first and are skipped when the chat
 * is busy, so final results never queue behind progress bars.
 */
import type { Transformer } from 'grammy';

export interface BudgetLimits {
  perChatPerSecond: number;
  perChatBurst: number;
  perGroupPerMinute: number;
}

export const DEFAULT_BUDGET: BudgetLimits = { perChatPerSecond: 1, perChatBurst: 3, perGroupPerMinute: 20 };

/** Time source; tests pass a fast virtual clock. */
export interface BudgetClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: BudgetClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref?.()),
};

/** Methods that count as a message to a chat (Telegram and the fake count sends and edits). */
const COUNTED = /^(send(Message|Photo|Document|MediaGroup|Video|Animation|Audio|Voice|Sticker)|editMessage(Text|Caption|Media|ReplyMarkup))$/;
/** Extra room kept in the group window, so our view of "a minute ago" never runs ahead of Telegram's. */
const WINDOW_MARGIN_MS = 1500;
/** Slots of a group's minute window that progress updates leave to results. */
const GROUP_RESERVE = 5;

interface ChatState {
  tokens: number;
  updatedAt: number;
  window: number[];
  /** Tail of the FIFO of callers waiting for this chat. */
  tail: Promise<void>;
  waiting: number;
}

export class ChatBudget {
  private readonly chats = new Map<number, ChatState>();

  constructor(
    private readonly limits: BudgetLimits = DEFAULT_BUDGET,
    private readonly clock: BudgetClock = realClock,
  ) {}

  /**
   * True when a progress update to `chatId` could go out now without waiting behind anyone; in
   * groups a few slots of the minute window stay reserved for results.
   */
  hasRoom(chatId: number): boolean {
    const state = this.state(chatId);
    if (state.waiting > 0 || this.waitMs(chatId, state) > 0) return false;
    return chatId > 0 || state.window.length < this.limits.perGroupPerMinute - GROUP_RESERVE;
  }

  /** Wait for a token for `chatId` (FIFO per chat), then count one message. */
  take(chatId: number): Promise<void> {
    const state = this.state(chatId);
    state.waiting += 1;
    const turn = state.tail.then(async () => {
      for (let wait = this.waitMs(chatId, state); wait > 0; wait = this.waitMs(chatId, state)) await this.clock.sleep(wait);
      state.tokens -= 1;
      if (chatId < 0) state.window.push(this.clock.now());
    });
    state.tail = turn.finally(() => {
      state.waiting -= 1;
    });
    return turn;
  }

  /** grammY API transformer: counted methods with a numeric chat_id wait for a token first. */
  transformer(): Transformer {
    return async (prev, method, payload, signal) => {
      const chatId = (payload as { chat_id?: unknown } | undefined)?.chat_id;
      if (COUNTED.test(method) && typeof chatId === 'number') await this.take(chatId);
      return prev(method, payload, signal);
    };
  }

  private waitMs(chatId: number, state: ChatState): number {
    const now = this.clock.now();
    state.tokens = Math.min(this.limits.perChatBurst, state.tokens + (Math.max(0, now - state.updatedAt) / 1000) * this.limits.perChatPerSecond);
    state.updatedAt = now;
    let wait = state.tokens >= 1 ? 0 : ((1 - state.tokens) / this.limits.perChatPerSecond) * 1000;
    if (chatId < 0) {
      const span = 60_000 + WINDOW_MARGIN_MS;
      state.window = state.window.filter((t) => t > now - span);
      if (state.window.length >= this.limits.perGroupPerMinute) {
        const oldest = state.window[state.window.length - this.limits.perGroupPerMinute] ?? now;
        wait = Math.max(wait, oldest + span - now);
      }
    }
    return Math.ceil(wait);
  }

  private state(chatId: number): ChatState {
    let state = this.chats.get(chatId);
    if (!state) {
      state = { tokens: this.limits.perChatBurst, updatedAt: this.clock.now(), window: [], tail: Promise.resolve(), waiting: 0 };
      this.chats.set(chatId, state);
    }
    return state;
  }
}
