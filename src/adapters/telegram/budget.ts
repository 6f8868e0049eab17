/**
 * The bot's outgoing flood budget, modelled on Telegram's Bot FAQ: about one message per second
 * per chat (short bursts tolerated), 20 messages per minute per group, about 30 messages per
 * second for the whole bot. Every counted call waits for a slot in all windows it falls under
 * (installed as an API transformer, so nothing slips past it). Waiting calls are served by lane —
 * final results first, then first acknowledgements (and ordinary answers), then progress — and
 * within a lane by rank (who has waited longest). Progress asks `hasRoom` first and is dropped
 * when the chat or the bot is busy, so results never queue behind progress bars.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Transformer } from 'grammy';
import { FloodWindow, type Slot } from './flood-window.js';

export interface BudgetLimits {
  perChatPerSecond: number;
  perChatBurst: number;
  perGroupPerMinute: number;
  /** Messages per second over all chats. */
  perBotPerSecond: number;
}

export const DEFAULT_BUDGET: BudgetLimits = { perChatPerSecond: 1, perChatBurst: 3, perGroupPerMinute: 20, perBotPerSecond: 30 };

/** Time source; tests pass a fast virtual clock. */
export interface BudgetClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: BudgetClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref?.()),
};

/** Who goes first when calls wait: finals, then first acknowledgements and answers, then progress. */
export type Lane = 'final' | 'ack' | 'progress';
const LANE_ORDER: Record<Lane, number> = { final: 0, ack: 1, progress: 2 };

/** Methods that count as a message to a chat (Telegram counts sends and edits). */
const COUNTED = /^(send(Message|Photo|Document|MediaGroup|Video|Animation|Audio|Voice|Sticker)|editMessage(Text|Caption|Media|ReplyMarkup))$/;
/** Not a message, so not in a chat's or group's count; counted against the bot-wide rate to be safe. */
const BOT_WIDE_ONLY = /^setMessageReaction$/;
/** Slots of a group's minute window that progress leaves to results. */
const GROUP_RESERVE = 5;
/** Slots of the bot's one-second window that progress leaves to results and acknowledgements. */
const BOT_RESERVE = 5;
/** A 429 (Telegram's limits are not exactly known) is retried here, on the budget's clock, this often. */
const IN_BUDGET_RETRIES = 3;
/** Extra span on the group window, so our "a minute ago" never runs ahead of Telegram's. */
const GROUP_MARGIN_MS = 500;

interface Ask {
  lane: Lane;
  /** Order within a lane, smaller first (when the job was asked for). */
  rank?: number;
}

interface ChatState {
  chat: FloodWindow;
  group?: FloodWindow;
  /** Telegram answered 429 with retry_after: nothing goes to this chat before then. */
  blockedUntil: number;
}

interface Waiter {
  chatId: number;
  botOnly: boolean;
  lane: number;
  rank: number;
  seq: number;
  grant: (slot: Slot) => void;
}

const lanes = new AsyncLocalStorage<Ask>();

export class ChatBudget {
  private readonly chats = new Map<number, ChatState>();
  private readonly bot: FloodWindow;
  private waiters: Waiter[] = [];
  private seq = 0;
  private wakeAt = Infinity;

  constructor(
    private readonly limits: BudgetLimits = DEFAULT_BUDGET,
    private readonly clock: BudgetClock = realClock,
  ) {
    this.bot = new FloodWindow(limits.perBotPerSecond, 1000);
  }

  /** Run `fn` with its Telegram calls in `lane`; `rank` orders calls of one lane (smaller first). */
  in<T>(lane: Lane, fn: () => Promise<T>, rank?: number): Promise<T> {
    return lanes.run({ lane, rank }, fn);
  }

  /**
   * True when a progress update to `chatId` could go out now without waiting behind anyone; a few
   * slots of the bot's second, and of a group's minute a slot for each of its `outstanding`
   * results (at least GROUP_RESERVE), stay reserved for results.
   */
  hasRoom(chatId: number, outstanding = 0): boolean {
    if (this.waiters.some((w) => w.chatId === chatId)) return false;
    const now = this.clock.now();
    const state = this.state(chatId);
    if (state.blockedUntil > now || state.chat.waitMs(now) > 0) return false;
    if (state.group && state.group.waitMs(now, Math.max(GROUP_RESERVE, outstanding)) > 0) return false;
    return this.bot.waitMs(now, BOT_RESERVE) === 0;
  }

  /** Sends counted in the bot's window now (for tests and metrics). */
  botLoad(): number {
    return this.bot.count(this.clock.now());
  }

  /** Wait for a slot for `chatId` in `ask.lane`; stamp the returned slot when the call is answered. */
  take(chatId: number, ask: Ask = { lane: 'ack' }, botOnly = false): Promise<Slot> {
    return new Promise<Slot>((grant) => {
      this.waiters.push({ chatId, botOnly, lane: LANE_ORDER[ask.lane], rank: ask.rank ?? this.clock.now(), seq: this.seq++, grant });
      this.pump();
    });
  }

  /** The call that took `slot` was answered: its slot starts to age now. */
  done(slot: Slot): void {
    slot.at = this.clock.now();
    this.pump();
  }

  /** grammY API transformer: counted methods with a numeric chat_id wait for a slot first. */
  transformer(): Transformer {
    return async (prev, method, payload, signal) => {
      const chatId = (payload as { chat_id?: unknown } | undefined)?.chat_id;
      const botOnly = BOT_WIDE_ONLY.test(method);
      if (typeof chatId !== 'number' || (!botOnly && !COUNTED.test(method))) return prev(method, payload, signal);
      const ask = lanes.getStore() ?? { lane: 'ack' };
      for (let attempt = 0; ; attempt++) {
        const slot = await this.take(chatId, ask, botOnly);
        let result;
        try {
          result = await prev(method, payload, signal);
        } finally {
          this.done(slot);
        }
        if (result.ok || result.error_code !== 429 || attempt >= IN_BUDGET_RETRIES) return result;
        this.state(chatId).blockedUntil = this.clock.now() + (result.parameters?.retry_after ?? 1) * 1000;
      }
    };
  }

  /** Grant every waiter that fits now, best lane and rank first; sleep until the next one could. */
  private pump(): void {
    if (this.waiters.length === 0) return;
    const now = this.clock.now();
    this.waiters.sort((a, b) => a.lane - b.lane || a.rank - b.rank || a.seq - b.seq);
    let next = Infinity;
    const left: Waiter[] = [];
    for (const w of this.waiters) {
      const wait = this.waitMs(w, now);
      if (wait > 0) {
        next = Math.min(next, wait);
        left.push(w);
        continue;
      }
      const slot: Slot = { at: Infinity };
      const state = this.state(w.chatId);
      if (!w.botOnly) {
        state.chat.add(slot);
        state.group?.add(slot);
      }
      this.bot.add(slot);
      w.grant(slot);
    }
    this.waiters = left;
    if (next !== Infinity) this.wake(now, next);
  }

  private waitMs(w: Waiter, now: number): number {
    const state = this.state(w.chatId);
    let wait = Math.max(0, state.blockedUntil - now, this.bot.waitMs(now));
    if (!w.botOnly) wait = Math.max(wait, state.chat.waitMs(now), state.group?.waitMs(now) ?? 0);
    return wait;
  }

  private wake(now: number, ms: number): void {
    const at = now + ms;
    if (at >= this.wakeAt && this.wakeAt > now) return;
    this.wakeAt = at;
    void this.clock.sleep(ms).then(() => {
      if (this.wakeAt === at) this.wakeAt = Infinity;
      this.pump();
    });
  }

  private state(chatId: number): ChatState {
    let state = this.chats.get(chatId);
    if (!state) {
      const { perChatBurst, perChatPerSecond, perGroupPerMinute } = this.limits;
      // The per-chat bucket (burst, then a steady rate) as a window: `burst` sends per burst/rate seconds is never faster.
      state = { chat: new FloodWindow(perChatBurst, (perChatBurst / perChatPerSecond) * 1000), blockedUntil: 0 };
      if (chatId < 0) state.group = new FloodWindow(perGroupPerMinute, 60_000 + GROUP_MARGIN_MS);
      this.chats.set(chatId, state);
    }
    return state;
  }
}
