/**
 * The ONE retry policy for MJ proxy calls: capped exponential backoff with full jitter.
 * Retries transient failures only (network, 5xx, rate limits); everything else is rethrown at once.
 */
import { MjError } from '../errors.js';

/** How often and how long to retry. */
export interface RetryPolicy {
  /** Extra attempts after the first one. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Reads: 3 retries, 200 ms base, 5 s cap. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 3, baseDelayMs: 200, maxDelayMs: 5000 };

export interface RetryOptions {
  /**
   * false for submits: a request that may have reached the proxy is never resent (it could create a
   * second paid job); only failures with `details.notSent === true` are retried.
   */
  idempotent?: boolean;
  /** Called before each retry (for logging). */
  onRetry?: (err: MjError, attempt: number, delayMs: number) => void;
}

/** True if `err` is worth another attempt under the given idempotency. */
export function isRetryable(err: unknown, idempotent: boolean): err is MjError {
  if (!(err instanceof MjError)) return false;
  if (err.details.notSent === true) return true;
  if (!idempotent) return false;
  return err.code === 'MJ_NETWORK' || err.code === 'MJ_SERVER_ERROR' || err.code === 'MJ_RATE_LIMITED';
}

/** Backoff before retry number `attempt` (1-based): jittered exponential, at least Retry-After, capped. */
export function backoffDelay(attempt: number, policy: RetryPolicy, err?: MjError, random = Math.random): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = exp / 2 + random() * (exp / 2);
  const floor = err?.details.retryAfterMs ?? 0;
  return Math.min(policy.maxDelayMs, Math.max(jittered, floor));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs `fn`, retrying transient MjErrors per `policy`; an abort stops waiting and rethrows the abort reason. */
export async function withRetries<T>(fn: () => Promise<T>, policy: RetryPolicy, signal?: AbortSignal, opts: RetryOptions = {}): Promise<T> {
  const idempotent = opts.idempotent ?? true;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt > policy.retries || !isRetryable(err, idempotent)) throw err;
      // A Retry-After longer than we are willing to wait: give up now rather than retry too early.
      if ((err.details.retryAfterMs ?? 0) > policy.maxDelayMs) throw err;
      const delay = backoffDelay(attempt, policy, err);
      opts.onRetry?.(err, attempt, delay);
      await sleep(delay, signal);
    }
  }
}
