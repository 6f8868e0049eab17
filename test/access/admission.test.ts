/**
 * Atomic admission: a burst of commands or button presses at the same moment never gets more
 * than the daily quota or the running caps allow — in one process on a memory store, and across
 * two service instances sharing one SQLite file or one Redis database (as two processes would).
 * Observed where a user or operator would notice: the replies, the proxy's request log, usage.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import imagine from '../../commands/imagine.js';
import type { Reply } from '../../src/core/domain/types.js';
import { startSimulator, type Simulator } from '../../src/sim/index.js';
import { button, tempDir } from '../core/harness.js';
import { testRedisUrl } from '../helpers/redis.js';
import { createAccessStack, submittedPrompts, taskIdOf, textOf, until, type AccessStack } from './stack.js';

const REDIS_URL = testRedisUrl(11);

interface Pair {
  sim: Simulator;
  /** The instances requests alternate between (the same one twice on the memory store). */
  a: AccessStack;
  b: AccessStack;
  close(): Promise<void>;
}

type Backend = 'memory' | 'sqlite' | 'redis';

let pair: Pair | undefined;
afterEach(async () => {
  await pair?.close();
  pair = undefined;
});

/** One instance on a memory store, or two instances sharing one SQLite file / one Redis database. */
async function instances(backend: Backend, env: Record<string, string>): Promise<Pair> {
  const sim = await startSimulator({ stepMs: 15, progressSteps: 1, concurrency: 20, queueLimit: 50 });
  const dir = backend === 'sqlite' ? tempDir('mjbot-admission-') : undefined;
  if (backend === 'redis') {
    const redis = new Redis(REDIS_URL);
    await redis.flushdb();
    redis.disconnect();
  }
  const storeUrl = backend === 'sqlite' ? `sqlite://${join(dir!, 'bot.sqlite')}` : backend === 'redis' ? REDIS_URL : undefined;
  const a = await createAccessStack({ env, simInstance: sim, storeUrl });
  const b = backend === 'memory' ? a : await createAccessStack({ env, simInstance: sim, storeUrl });
  return {
    sim,
    a,
    b,
    async close() {
      await a.close();
      if (b !== a) await b.close();
      await sim.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

const refusedFor = (replies: Reply[]) => replies.filter((r) => r.type === 'error');
const accepted = (replies: Reply[]) => replies.filter((r) => r.type === 'task');

describe.each<[string, Backend]>([
  ['one process (memory store)', 'memory'],
  ['two instances on one SQLite file', 'sqlite'],
  ['two instances on one Redis', 'redis'],
])('atomic admission: %s', (_name, backend) => {
  it('5 concurrent /imagine with DAILY_QUOTA=1: exactly one is drawn, four are refused with the quota message', async () => {
    pair = await instances(backend, { DAILY_QUOTA: '1', USER_MAX_RUNNING: '10' });
    const { a, b, sim } = pair;
    const user = a.origin('u1');
    const replies = await Promise.all(
      Array.from({ length: 5 }, (_, i) => (i % 2 ? b : a).run(imagine, user, { prompt: `burst ${i}` })),
    );
    expect(accepted(replies)).toHaveLength(1);
    const refused = refusedFor(replies);
    expect(refused).toHaveLength(4);
    for (const reply of refused) {
      expect(reply).toMatchObject({ code: 'QUOTA_EXCEEDED' });
      expect(textOf(reply)).toContain('all 1 of your drawings for today are used');
    }
    expect(submittedPrompts(sim)).toHaveLength(1);
    const owner = accepted(replies)[0]!;
    const drawnBy = a.presenter.viewsOf(taskIdOf(owner)).length > 0 ? a : b;
    expect((await drawnBy.finalOf(taskIdOf(owner))).phase).toBe('result');
    await until(async () => (await a.gate.usage('console:u1')).used === 1, 'the success counted');
    expect(await b.gate.usage('console:u1')).toMatchObject({ used: 1, inFlight: 0, limit: 1 });
  });

  it('U1–U4 pressed at once with DAILY_QUOTA=2: the grid and one upscale are drawn, three presses are refused', async () => {
    pair = await instances(backend, { DAILY_QUOTA: '2', USER_MAX_RUNNING: '10' });
    const { a, b, sim } = pair;
    const user = a.origin('u1');
    const grid = await a.finalOf(taskIdOf(await a.imagine(user, 'a grid to upscale')));
    const replies = await Promise.all(['U1', 'U2', 'U3', 'U4'].map((label, i) => (i % 2 ? b : a).service.press(button(grid, label), user)));
    expect(accepted(replies)).toHaveLength(1);
    expect(refusedFor(replies).map((r) => r.type === 'error' && r.code)).toEqual(['QUOTA_EXCEEDED', 'QUOTA_EXCEEDED', 'QUOTA_EXCEEDED']);
    expect(sim.requests.filter((r) => r.path.endsWith('/submit/action'))).toHaveLength(1);
    const upscale = taskIdOf(accepted(replies)[0]!);
    const drawnBy = a.presenter.viewsOf(upscale).length > 0 ? a : b;
    expect((await drawnBy.finalOf(upscale)).phase).toBe('result');
    await until(async () => (await a.gate.usage('console:u1')).used === 2, 'both successes counted');
    expect(await b.gate.usage('console:u1')).toMatchObject({ used: 2, inFlight: 0 });
  });

  it('3 concurrent /imagine with USER_MAX_RUNNING=1: one runs, two are refused with the cap message', async () => {
    pair = await instances(backend, { USER_MAX_RUNNING: '1' });
    const { a, b, sim } = pair;
    sim.pause();
    const user = a.origin('u1');
    const replies = await Promise.all([a, b, a].map((s, i) => s.run(imagine, user, { prompt: `capped ${i}` })));
    expect(accepted(replies)).toHaveLength(1);
    const refused = refusedFor(replies);
    expect(refused).toHaveLength(2);
    for (const reply of refused) expect(textOf(reply)).toContain('you already have 1 jobs in progress (at most 1 at a time)');
    expect(submittedPrompts(sim)).toHaveLength(1);
    expect(await a.gate.running()).toHaveLength(1);
    sim.resume();
  });

  it('the limits span chats: one user sending /imagine in six chats at once with DAILY_QUOTA=2 and USER_MAX_RUNNING=2 gets two drawn', async () => {
    pair = await instances(backend, { DAILY_QUOTA: '2', USER_MAX_RUNNING: '2' });
    const { a, b, sim } = pair;
    sim.pause();
    const replies = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? b : a).run(imagine, a.origin('u1', { chatId: `room-${i}` }), { prompt: `room ${i}` })));
    expect(accepted(replies)).toHaveLength(2);
    expect(refusedFor(replies).map((r) => r.type === 'error' && r.code)).toEqual(Array(4).fill('QUOTA_EXCEEDED'));
    expect(await b.gate.usage('console:u1')).toMatchObject({ inFlight: 2 });
    sim.resume();
    await until(async () => (await a.gate.usage('console:u1')).used === 2, 'both successes counted');
    expect(submittedPrompts(sim)).toHaveLength(2);
    expect(await a.gate.usage('console:u1')).toMatchObject({ used: 2, inFlight: 0 });
  });

  it('CHAT_MAX_RUNNING=1 holds for the whole chat: people arriving at once through different instances wait their turn', async () => {
    pair = await instances(backend, { CHAT_MAX_RUNNING: '1', USER_MAX_RUNNING: '10' });
    const { a, b, sim } = pair;
    sim.pause();
    const replies = ['x', 'y', 'z', 'w'].map((user, i) => (i % 2 ? b : a).imagine(a.origin(user), `turn of ${user}`));
    await until(async () => (await a.gate.chatQueue(a.origin('x').chat)).waiting.length === 3, 'three waiting');
    await until(() => submittedPrompts(sim).length === 1, 'the first one submitted');
    expect(await b.gate.running()).toHaveLength(1);
    sim.resume();
    const ids = (await Promise.all(replies)).map(taskIdOf);
    // A job that waited is submitted by the instance it arrived at, in the background: look at both.
    await until(() => ids.every((id) => [a, b].some((s) => s.presenter.viewsOf(id).some((v) => v.final))), 'every final');
    for (const id of ids) expect([a, b].flatMap((s) => s.presenter.viewsOf(id)).find((v) => v.final)?.phase).toBe('result');
    expect(submittedPrompts(sim)).toHaveLength(4);
  });
});

describe('the stored lines', () => {
  it('does not grow with every chat that ever drew: once nobody draws or waits, only an empty marker that expires is left of them', async () => {
    pair = await instances('memory', { USER_MAX_RUNNING: '10' });
    const { a } = pair;
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => a.imagine(a.origin(`u${i}`, { dm: true }), `chat ${i}`)));
    for (const reply of ids) await a.finalOf(taskIdOf(reply));
    await until(async () => (await a.gate.running()).length === 0, 'every slot freed');
    // Each chat's line is left as an empty marker that expires; nobody is listed as drawing anywhere.
    for await (const [, line] of a.store.entries<{ jobs: object; clock?: unknown }>('line')) expect(line).toEqual({ jobs: {}, version: expect.any(Number) });
    for (let i = 0; i < 20; i++) expect(await a.store.get('meta', `access:lines-of:console:u${i}`)).toBeUndefined();
  });
});
