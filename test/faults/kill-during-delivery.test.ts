/**
 * A real bot process (console, SQLite store) is killed with SIGKILL while it delivers a final
 * result — the result image is still downloading — and started again on the same store: the
 * result reaches the user exactly once.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/sim/index.js';
import { killAllBots, spawnBot } from '../helpers/bot-process.js';
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

describe('SIGKILL while a final result is being delivered', () => {
  it('delivers it after the restart, once', async () => {
    sim = await startSimulator({ stepMs: 100, progressSteps: 2 });
    proxy = await startChaosProxy(sim.url);
    // The finished image (not the previews) never arrives: the first process is stuck delivering it.
    proxy.inject(/\/sim\/img\/\d+\/grid\.png$/, { kind: 'hold' });
    const dir = tempDir();
    const env = { MJ_BASE_URL: proxy.url, MJ_FLAVOUR: 'plus', STORE_URL: `sqlite://${join(dir, 'bot.sqlite')}`, OUTPUT_DIR: join(dir, 'out'), MJ_POLL_INTERVAL_MS: '50', LOG_LEVEL: 'silent' };

    const first = spawnBot(env);
    first.child.stdin.write('/imagine a red fox in the snow\n');
    await until(() => proxy!.holding > 0, 20_000, `the final image requested: ${first.output()}`);
    expect(first.output()).not.toMatch(/✅/);
    await first.kill();

    proxy.clear();
    const second = spawnBot(env);
    await second.waitFor(/✅[^\n]*?\.png/, 30_000);
    second.child.stdin.end();
    await new Promise((resolve) => second.child.once('exit', resolve));
    const results = (first.output() + second.output()).match(/✅/g) ?? [];
    expect(results).toHaveLength(1);
    expect(sim.requests.filter((r) => r.path.endsWith('/submit/imagine'))).toHaveLength(1);
  }, 60_000);
});
