/**
 * Redis trouble as structured warnings: every client and queue of the fleet reports its errors
 * here instead of ioredis printing raw "Unhandled error event" lines. While Redis is down a
 * client retries many times a second; one warning per source every few seconds says so (with a
 * count of the ones left out), and one info line says when the connection is back.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';

/** At most one warning per source this often while the trouble lasts. */
const WARN_EVERY_MS = 10_000;

export interface RedisWatch {
  /** Report an error of `source` (a client, a queue, a worker). */
  warn(source: string, err: unknown, msg?: string): void;
  /** Attach to an ioredis client: its errors are warnings, its recovery is logged. */
  watch(client: Redis, source: string): void;
}

/** The parts of an error worth logging (never the URL, which may carry a password). */
export function errorFields(err: unknown): { code?: string; message: string } {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const message = typeof e?.message === 'string' ? e.message.replace(/rediss?:\/\/[^\s]*/g, 'redis://…') : String(err);
  return { code, message };
}

export function createRedisWatch(logger: Logger, now: () => number = Date.now): RedisWatch {
  const last = new Map<string, { at: number; skipped: number }>();
  const warn = (source: string, err: unknown, msg = 'redis unavailable'): void => {
    const seen = last.get(source);
    const at = now();
    if (seen && at - seen.at < WARN_EVERY_MS) {
      seen.skipped++;
      return;
    }
    last.set(source, { at, skipped: 0 });
    logger.warn({ redis: source, ...errorFields(err), repeated: seen?.skipped || undefined }, msg);
  };
  return {
    warn,
    watch(client, source) {
      client.on('error', (err: unknown) => warn(source, err));
      client.on('ready', () => {
        if (!last.has(source)) return;
        last.delete(source);
        logger.info({ redis: source }, 'redis connection restored');
      });
    },
  };
}
