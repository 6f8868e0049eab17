/**
 * A real bot process (`npm start`'s entry, console adapter) is killed with SIGKILL in the
 * middle of a task and started again on the same SQLite file: the result arrives once.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/sim/index.js';
import { tempDir } from './harness.js';
import { killAllBots, spawnBot } from '../helpers/bot-process.js';

const root = new URL('../../', import.meta.url).pathname;
let sim: Simulator | undefined;

afterEach(async () => {
  await killAllBots();
  await sim?.close();
  sim = undefined;
});

describe('a killed bot process', () => {
  it('resumes its open task from the SQLite store after a restart and delivers the result once', async () => {
    sim = await startSimulator({ stepMs: 400, progressSteps: 4 });
    const dir = tempDir();
    const env = { MJ_BASE_URL: sim.url, MJ_FLAVOUR: 'plus', STORE_URL: `sqlite://${join(dir, 'bot.sqlite')}`, OUTPUT_DIR: join(dir, 'out'), MJ_POLL_INTERVAL_MS: '50', LOG_LEVEL: 'silent' };

    const first = spawnBot(env);
    first.child.stdin.write('/imagine a red fox in the snow\n');
    // Wait until the task is being drawn, then kill the process without any chance to clean up.
    await first.waitFor(/\d+%/);
    expect(first.output()).not.toMatch(/✅/);
    await first.kill();

    const second = spawnBot(env);
    const done = await second.waitFor(/✅[^\n]*?(\S+\.png)/, 30_000);
    const file = done[1]!;
    expect(existsSync(file.startsWith('/') ? file : join(root, file))).toBe(true);
    // Exactly one result across both processes.
    const results = (first.output() + second.output()).match(/✅/g) ?? [];
    expect(results).toHaveLength(1);
    expect(sim.requests.filter((r) => r.path.endsWith('/submit/imagine'))).toHaveLength(1);
    second.child.stdin.end();
  });
});
