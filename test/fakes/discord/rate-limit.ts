/**
 * Per-message edit buckets with Discord's rate-limit headers. Uses the wall clock (not the
 * injectable one) because discord.js really sleeps for `Retry-After` before retrying.
 */
import { createHash } from 'node:crypto';
import { DiscordHttpError } from './errors.js';
import type { RouteResult } from './http.js';

interface Window {
  start: number;
  count: number;
}

/** Fixed-window counter keyed by route (one bucket per edited message). */
export class EditRateLimiter {
  private readonly windows = new Map<string, Window>();
  /** Number of 429 answers given. */
  limited = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /**
   * Counts one request to `key` (bucket hash from `kind`). Returns headers for a successful answer,
   * or throws a 429 `DiscordHttpError` carrying `Retry-After` and the `X-RateLimit-*` headers.
   */
  take(kind: string, key: string): Record<string, string> {
    const now = Date.now();
    let win = this.windows.get(key);
    if (!win || now - win.start >= this.windowMs) {
      win = { start: now, count: 0 };
      this.windows.set(key, win);
    }
    const resetAfter = Math.max(0, win.start + this.windowMs - now) / 1000;
    const headers: Record<string, string> = {
      'X-RateLimit-Limit': String(this.limit),
      'X-RateLimit-Reset': ((win.start + this.windowMs) / 1000).toFixed(3),
      'X-RateLimit-Reset-After': resetAfter.toFixed(3),
      'X-RateLimit-Bucket': createHash('sha1').update(kind).digest('hex').slice(0, 32),
    };
    if (win.count >= this.limit) {
      this.limited++;
      const retryAfter = Math.max(resetAfter, 0.001);
      throw new DiscordHttpError(
        429,
        { message: 'You are being rate limited.', retry_after: Number(retryAfter.toFixed(3)), global: false },
        { ...headers, 'X-RateLimit-Remaining': '0', 'X-RateLimit-Scope': 'user', 'Retry-After': retryAfter.toFixed(3) },
      );
    }
    win.count++;
    return { ...headers, 'X-RateLimit-Remaining': String(this.limit - win.count) };
  }
}

/** Runs an edit inside its bucket: counts it, and puts the bucket headers on the answer, errors included. */
export function inEditBucket(limiter: EditRateLimiter | undefined, kind: string, key: string, run: () => RouteResult): RouteResult {
  const headers = limiter?.take(kind, key);
  if (!headers) return run();
  try {
    const result = run();
    return { ...result, headers: { ...result.headers, ...headers } };
  } catch (e) {
    if (e instanceof DiscordHttpError) Object.assign(e.headers, headers);
    throw e;
  }
}
