/**
 * Discord's rate limits as the fake enforces them, answered the way Discord answers them:
 * - per-route buckets keyed by the route's major parameter (the channel, or the interaction
 *   webhook's token), announced with `X-RateLimit-*` headers on every answer;
 * - a per-channel message limit shared by every route that posts or edits a public message in
 *   that channel (bot token and interaction webhooks alike): a 429 of scope `shared`;
 * - the bot-wide global limit (50 requests per second) on bot-token routes; interaction
 *   callbacks and interaction webhooks are exempt, as Discord documents.
 * Every 429 carries `{ message: "You are being rate limited.", retry_after, global }` and a
 * `Retry-After` header (without it discord.js would retry in a tight loop). Windows are fixed
 * (they start with their first request, like a bucket's reset) and use the wall clock, because
 * discord.js really sleeps for `Retry-After`.
 */
import { createHash } from 'node:crypto';
import { DiscordHttpError } from './errors.js';
import type { RouteResult } from './http.js';

/** A limit: `limit` requests per `windowMs`. */
export interface Limit {
  limit: number;
  windowMs: number;
}

/** What the fake enforces; see FakeDiscordOptions.rateLimit. */
export interface RateLimitSettings {
  /** Requests to one interaction webhook (one token), any method. */
  webhook: Limit;
  /** Public messages created or edited in one channel, through any route; also the channel routes' own buckets. */
  channel: Limit | undefined;
  /** Bot-token requests per second. */
  globalPerSecond: number;
}

/** Discord's numbers as observed (none are published): webhooks 5 per 2 s, channels 5 per 5 s, global 50/s. */
export const DISCORD_LIMITS: RateLimitSettings = {
  webhook: { limit: 5, windowMs: 2000 },
  channel: { limit: 5, windowMs: 5000 },
  globalPerSecond: 50,
};

interface Window {
  start: number;
  count: number;
}

/** Fixed windows by key. */
class Windows {
  private readonly map = new Map<string, Window>();

  current(key: string, windowMs: number, now: number): Window {
    let win = this.map.get(key);
    if (!win || now - win.start >= windowMs) {
      win = { start: now, count: 0 };
      this.map.set(key, win);
    }
    return win;
  }
}

/** A route's bucket: its name (hashed into X-RateLimit-Bucket), the major parameter and its limit. */
export interface Bucket {
  kind: string;
  key: string;
  limit: Limit;
}

function tooMany(retryAfterS: number, scope: 'user' | 'shared' | 'global', headers: Record<string, string>): DiscordHttpError {
  const retry = Math.max(retryAfterS, 0.001);
  return new DiscordHttpError(
    429,
    { message: 'You are being rate limited.', retry_after: Number(retry.toFixed(3)), global: scope === 'global' },
    { ...headers, 'Retry-After': retry.toFixed(3), 'X-RateLimit-Scope': scope, ...(scope === 'global' ? { 'X-RateLimit-Global': 'true' } : {}) },
  );
}

export class RateLimits {
  private readonly routes = new Windows();
  private readonly channels = new Windows();
  private readonly global = new Windows();
  /** 429 answers given, by scope. */
  readonly counts = { route: 0, channel: 0, global: 0 };

  constructor(readonly settings: RateLimitSettings) {}

  get limited(): number {
    return this.counts.route + this.counts.channel + this.counts.global;
  }

  /** Counts one bot-token request against the global limit, or throws its 429. */
  takeGlobal(): void {
    const now = Date.now();
    const win = this.global.current('global', 1000, now);
    if (win.count >= this.settings.globalPerSecond) {
      this.counts.global++;
      throw tooMany((win.start + 1000 - now) / 1000, 'global', {});
    }
    win.count++;
  }

  /**
   * Runs a request in its route bucket; `channelId` set = it writes a public message there, so
   * the channel's message limit applies too (counted only when the write succeeds). The bucket's
   * headers go on the answer, errors included.
   */
  run(bucket: Bucket, channelId: string | undefined, work: () => RouteResult): RouteResult {
    const now = Date.now();
    const { limit, windowMs } = bucket.limit;
    const win = this.routes.current(`${bucket.kind}:${bucket.key}`, windowMs, now);
    const resetAfter = Math.max(0, win.start + windowMs - now) / 1000;
    const headers: Record<string, string> = {
      'X-RateLimit-Limit': String(limit),
      'X-RateLimit-Reset': ((win.start + windowMs) / 1000).toFixed(3),
      'X-RateLimit-Reset-After': resetAfter.toFixed(3),
      'X-RateLimit-Bucket': createHash('sha1').update(bucket.kind).digest('hex').slice(0, 32),
    };
    if (win.count >= limit) {
      this.counts.route++;
      throw tooMany(resetAfter, 'user', { ...headers, 'X-RateLimit-Remaining': '0' });
    }
    win.count++;
    headers['X-RateLimit-Remaining'] = String(limit - win.count);
    const channel = channelId === undefined ? undefined : this.settings.channel;
    const chan = channel ? this.channels.current(channelId!, channel.windowMs, now) : undefined;
    if (channel && chan && chan.count >= channel.limit) {
      this.counts.channel++;
      throw tooMany((chan.start + channel.windowMs - now) / 1000, 'shared', headers);
    }
    try {
      const result = work();
      if (chan) chan.count++;
      return { ...result, headers: { ...result.headers, ...headers } };
    } catch (e) {
      if (e instanceof DiscordHttpError) Object.assign(e.headers, headers);
      throw e;
    }
  }

  /** The channel routes' own bucket (major parameter: the channel), sized like the channel's message limit. */
  channelBucket(kind: string, channelId: string): Bucket {
    return { kind, key: channelId, limit: this.settings.channel ?? { limit: 10_000, windowMs: 1000 } };
  }

  /** An interaction webhook's bucket (major parameter: its token). */
  webhookBucket(token: string): Bucket {
    return { kind: 'interaction-webhook', key: token, limit: this.settings.webhook };
  }
}
