/**
 * Closing a fleet while a poll tick is in flight (every restart, every SIGTERM, every test's
 * teardown) must end: forced closes used to leave BullMQ retrying a tick's completion on the
 * closed connection in a tight loop, starving the event loop for good (CI hung for 90 minutes).
 * The cycles run in a child process, so a spin is seen as a process that never finishes.
 */
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { flushTestRedis, testRedisUrl } from '../helpers/redis.js';

const REDIS_DB = 14;
const script = new URL('./close-cycles.ts', import.meta.url).pathname;

async function cycles(count: number, proxy: 'slow' | 'silent', withinMs: number): Promise<{ finished: boolean; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, testRedisUrl(REDIS_DB), String(count), proxy], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const finished = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(false);
    }, withinMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
  return { finished, output };
}

afterAll(() => flushTestRedis(REDIS_DB));

describe('closing a fleet in the middle of a poll tick', () => {
  it('ends every time, also while tasks settle around the close', async () => {
    const { finished, output } = await cycles(100, 'slow', 50_000);
    expect(output).toContain('done');
    expect(finished).toBe(true);
  }, 55_000);

  it('does not wait for a proxy that never answers the tick', async () => {
    const { finished, output } = await cycles(10, 'silent', 20_000);
    expect(output).toContain('done');
    expect(finished).toBe(true);
  }, 25_000);
});
