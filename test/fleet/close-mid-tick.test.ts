/**
 * Closing a fleet while a poll tick is in flight (every restart, every SIGTERM, every test's
 * teardown) must end: forced closes used to leave BullMQ retrying a tick's completion on the
 * closed connection in a tight loop, starving the event loop for good (CI hung for 90 minutes).
 * The cycles run in a child process, so a spin is seen as a process that never finishes.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { exitOf, killAllBots, spawnBot } from '../helpers/bot-process.js';
import { flushTestRedis, testRedisUrl } from '../helpers/redis.js';

const REDIS_DB = 14;

async function cycles(count: number, proxy: 'slow' | 'silent', withinMs: number): Promise<{ code: number | null; output: string }> {
  const child = spawnBot({ REDIS_URL: testRedisUrl(REDIS_DB), CYCLES: String(count), PROXY: proxy }, 'test/fleet/close-cycles.ts');
  const exit = await exitOf(child, withinMs);
  return { code: exit.code, output: exit.stdout + exit.stderr };
}

afterEach(() => killAllBots());
afterAll(() => flushTestRedis(REDIS_DB));

describe('closing a fleet in the middle of a poll tick', () => {
  it('ends every time, also while tasks settle around the close', async () => {
    const { code, output } = await cycles(100, 'slow', 50_000);
    expect(output).toContain('done');
    expect(code).toBe(0);
  }, 55_000);

  it('does not wait for a proxy that never answers the tick', async () => {
    const { code, output } = await cycles(10, 'silent', 20_000);
    expect(output).toContain('done');
    expect(code).toBe(0);
  }, 25_000);
});
