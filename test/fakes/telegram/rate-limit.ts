/**
 * Telegram's flood limits as the Bot FAQ describes them: about one message per second per chat
 * (short bursts tolerated), 20 messages per minute per group and about 30 messages per second for
 * the whole bot (all chats together). Time comes from the fake's clock.
 */
import { tooManyRequests } from './errors.js';

export interface RateLimitConfig {
  perChatPerSecond: number;
  perChatBurst: number;
  perGroupPerMinute: number;
  /** Messages per second over all chats of the bot (a sliding one-second window). */
  perBotPerSecond: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitConfig = { perChatPerSecond: 1, perChatBurst: 3, perGroupPerMinute: 20, perBotPerSecond: 30 };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Token bucket per chat, a sliding one-minute window per group (negative chat id) and a one-second window for the bot. */
export class FloodControl {
  private readonly buckets = new Map<number, Bucket>();
  private readonly groupSends = new Map<number, number[]>();
  private botSends: number[] = [];

  constructor(
    private readonly config: RateLimitConfig | undefined,
    private readonly now: () => number,
  ) {}

  /** Counts one message to `chatId`, or throws 429 with the seconds until it would be allowed. */
  take(chatId: number): void {
    if (!this.config) return;
    const now = this.now();
    const bucket = this.refill(chatId, now);
    const window = (this.groupSends.get(chatId) ?? []).filter((t) => t > now - 60_000);
    this.groupSends.set(chatId, window);

    let waitMs = 0;
    if (bucket.tokens < 1) waitMs = ((1 - bucket.tokens) / this.config.perChatPerSecond) * 1000;
    if (chatId < 0 && window.length >= this.config.perGroupPerMinute) {
      const oldest = window[window.length - this.config.perGroupPerMinute] ?? now;
      waitMs = Math.max(waitMs, oldest + 60_000 - now);
    }
    this.botSends = this.botSends.filter((t) => t > now - 1000);
    if (this.botSends.length >= this.config.perBotPerSecond) {
      const oldest = this.botSends[this.botSends.length - this.config.perBotPerSecond] ?? now;
      waitMs = Math.max(waitMs, oldest + 1000 - now);
    }
    if (waitMs > 0) throw tooManyRequests(Math.max(1, Math.ceil(waitMs / 1000)));

    bucket.tokens -= 1;
    if (chatId < 0) window.push(now);
    this.botSends.push(now);
  }

  private refill(chatId: number, now: number): Bucket {
    const config = this.config as RateLimitConfig;
    const bucket = this.buckets.get(chatId) ?? { tokens: config.perChatBurst, updatedAt: now };
    const elapsedSeconds = Math.max(0, now - bucket.updatedAt) / 1000;
    bucket.tokens = Math.min(config.perChatBurst, bucket.tokens + elapsedSeconds * config.perChatPerSecond);
    bucket.updatedAt = now;
    this.buckets.set(chatId, bucket);
    return bucket;
  }
}
