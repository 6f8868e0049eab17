/**
 * A real bot process behind a proxy that trickles its poll answers at 2 bytes/s or floods one
 * with 256 MB: polling goes on and the result arrives, memory stays bounded, and SIGTERM ends the
 * process even while a poll is still trickling.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/sim/index.js';
import { killAllBots, spawnBot, type BotProcess } from '../helpers/bot-process.js';
import { startChaosProxy, type ChaosProxy } from '../helpers/chaos-proxy.js';
import { until } from '../helpers/wait.js';
import { tempDir } from '../core/harness.js';

let sim: Simulator | undefined;
let proxy: ChaosProxy | undefined;
afterEach(async () => {
  await killAllBots();
  await proxy?.close();
  await sim?.close();
  sim = proxy = undefined;
});

const LIST = /\/mj\/task\/list-by-condition$/;

/** Peak resident memory of a running process (Linux: VmHWM), in MB. */
function peakRssMb(bot: BotProcess): number {
  const status = readFileSync(`/proc/${bot.child.pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

function botEnv(proxyUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  const dir = tempDir();
  return { MJ_BASE_URL: proxyUrl, MJ_FLAVOUR: 'plus', STORE_URL: `sqlite://${join(dir, 'bot.sqlite')}`, OUTPUT_DIR: join(dir, 'out'), MJ_POLL_INTERVAL_MS: '100', LOG_LEVEL: 'silent', ...extra };
}

describe('a proxy that trickles or floods its poll answers', () => {
  it('never stops polling, and the process memory stays bounded', async () => {
    sim = await startSimulator({ stepMs: 100, progressSteps: 2 });
    proxy = await startChaosProxy(sim.url);
    proxy.inject(LIST, { kind: 'trickle' }, 2);
    proxy.inject(LIST, { kind: 'huge', bytes: 256 * 1024 * 1024 }, 1);
    const bot = spawnBot(botEnv(proxy.url, { MJ_REQUEST_TIMEOUT_MS: '1500' }));
    bot.child.stdin.write('/imagine a red fox in the snow\n');
    await bot.waitFor(/✅[^\n]*?\.png/, 40_000);
    expect(proxy.faulted).toBe(3);
    // The 256 MB answer was refused at the cap (8 MiB) instead of being read into memory
    // (measured: ~200 MB peak here, ~930 MB when the whole answer is read).
    expect(peakRssMb(bot)).toBeLessThan(400);
    bot.child.stdin.end();
  }, 60_000);

  it('lets SIGTERM end the process while a poll is still trickling', async () => {
    sim = await startSimulator({ stepMs: 100, progressSteps: 2 });
    proxy = await startChaosProxy(sim.url);
    proxy.inject(LIST, { kind: 'trickle' });
    // The default 30 s deadline: shutdown must not wait for it.
    const bot = spawnBot(botEnv(proxy.url));
    bot.child.stdin.write('/imagine a red fox in the snow\n');
    await until(() => proxy!.faulted > 0, 20_000, 'a poll trickling');
    const exited = new Promise<number | null>((resolve) => bot.child.once('exit', (code) => resolve(code)));
    bot.child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
