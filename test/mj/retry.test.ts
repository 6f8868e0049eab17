import { describe, expect, it } from 'vitest';
import { MjError, type ErrorCode } from '../../src/errors.js';
import { backoffDelay, withRetries } from '../../src/mj/retry.js';

const policy = { retries: 3, baseDelayMs: 1, maxDelayMs: 4 };
const err = (code: ErrorCode, details: MjError['details'] = {}) => new MjError(code, code, details);

/** A function that fails with the given errors in turn, then returns 'done'. */
function flaky(...failures: MjError[]) {
  let calls = 0;
  const fn = async () => {
    const failure = failures[calls++];
    if (failure) throw failure;
    return 'done';
  };
  return { fn, calls: () => calls };
}

describe('withRetries', () => {
  it('retries network failures, 5xx and rate limits on idempotent calls', async () => {
    const f = flaky(err('MJ_NETWORK'), err('MJ_SERVER_ERROR'), err('MJ_RATE_LIMITED', { retryAfterMs: 0 }));
    expect(await withRetries(f.fn, policy)).toBe('done');
    expect(f.calls()).toBe(4);
  });

  it.each(['MJ_VALIDATION', 'MJ_AUTH_FAILED', 'MJ_BANNED_PROMPT', 'MJ_BAD_RESPONSE', 'MJ_NOT_FOUND'] as const)('rethrows %s at once', async (code) => {
    const f = flaky(err(code));
    await expect(withRetries(f.fn, policy)).rejects.toMatchObject({ code });
    expect(f.calls()).toBe(1);
  });

  it('retries a non-idempotent call only when the request was never sent', async () => {
    const sentMaybe = flaky(err('MJ_NETWORK', { notSent: false }));
    await expect(withRetries(sentMaybe.fn, policy, undefined, { idempotent: false })).rejects.toMatchObject({ code: 'MJ_NETWORK' });
    expect(sentMaybe.calls()).toBe(1);
    const server = flaky(err('MJ_SERVER_ERROR'));
    await expect(withRetries(server.fn, policy, undefined, { idempotent: false })).rejects.toMatchObject({ code: 'MJ_SERVER_ERROR' });
    const notSent = flaky(err('MJ_NETWORK', { notSent: true }));
    expect(await withRetries(notSent.fn, policy, undefined, { idempotent: false })).toBe('done');
  });

  it('gives up rather than retrying before a Retry-After longer than the cap', async () => {
    const f = flaky(err('MJ_RATE_LIMITED', { retryAfterMs: 60_000 }));
    await expect(withRetries(f.fn, policy)).rejects.toMatchObject({ code: 'MJ_RATE_LIMITED' });
    expect(f.calls()).toBe(1);
  });

  it('stops waiting when aborted', async () => {
    const controller = new AbortController();
    const f = flaky(err('MJ_SERVER_ERROR'));
    const run = withRetries(f.fn, { retries: 3, baseDelayMs: 10_000, maxDelayMs: 10_000 }, controller.signal);
    controller.abort(new Error('shutting down'));
    await expect(run).rejects.toThrow('shutting down');
  });
});

describe('backoffDelay', () => {
  it('grows exponentially, stays within the cap and never undercuts Retry-After', () => {
    const p = { retries: 10, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(1, p, undefined, () => 1)).toBe(100);
    expect(backoffDelay(3, p, undefined, () => 1)).toBe(400);
    expect(backoffDelay(3, p, undefined, () => 0)).toBe(200);
    expect(backoffDelay(9, p, undefined, () => 1)).toBe(1000);
    expect(backoffDelay(1, p, err('MJ_RATE_LIMITED', { retryAfterMs: 700 }), () => 0)).toBe(700);
  });
});
