/**
 * One Redis, several bot instances: instances of one bot starting together on an empty Redis
 * agree on one generated secret (buttons rendered by one work on the other), and two different
 * bots with different REDIS_PREFIX share nothing — not records, quotas, running slots or secrets —
 * and write every key under their own prefix.
 */
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import type { Origin, Reply, TaskView } from '../../src/core/domain/types.js';
import { createLogger, silentLogger, type Logger } from '../../src/log.js';
import { startSimulator, type Simulator } from '../../src/sim/index.js';
import { button, RecordingPresenter } from '../core/harness.js';
import { flushTestRedis, testRedisUrl } from '../helpers/redis.js';

const REDIS_DB = 13;
const REDIS_URL = testRedisUrl(REDIS_DB);
let apps: App[] = [];
let sim: Simulator | undefined;

afterEach(async () => {
  for (const app of apps) await app.close().catch(() => undefined);
  apps = [];
  await sim?.close();
  sim = undefined;
});

const emptyRedis = () => flushTestRedis(REDIS_DB);

interface Bot {
  app: App;
  presenter: RecordingPresenter;
  imagine(userId: string, prompt: string): Promise<Reply>;
}

async function startBot(env: Record<string, string>, logger: Logger = silentLogger()): Promise<Bot> {
  // Ticks a second apart: these tests are about the store, not polling (close-mid-tick.test.ts is).
  const config = parseConfig({ MJ_BASE_URL: sim!.url, MJ_FLAVOUR: 'plus', STORE_URL: REDIS_URL, MJ_POLL_INTERVAL_MS: '1000', FLEET_LOCK_MS: '1000', ...env });
  const app = await createApp(config, logger, { adapters: false });
  apps.push(app);
  const presenter = new RecordingPresenter();
  app.service.attach(presenter);
  await app.service.start();
  return { app, presenter, imagine: (userId, prompt) => app.service.submit(origin(userId), { kind: 'imagine', prompt }, prompt) };
}

/** The final view of a task, shown by whichever instance of a fleet delivered it. */
async function finalOf(fleet: Bot[], taskId: string): Promise<TaskView> {
  const end = Date.now() + 15_000;
  while (Date.now() < end) {
    const final = fleet.flatMap((bot) => bot.presenter.viewsOf(taskId)).find((v) => v.final);
    if (final) return final;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no final view for ${taskId}`);
}

const origin = (userId: string): Origin => ({ chat: { platform: 'console', chatId: 'shared', isGroup: true }, actor: { userId, name: `User ${userId}`, locale: 'en' } });
const idOf = (reply: Reply): string => {
  if (reply.type !== 'task' || !reply.taskId) throw new Error(`expected a task, got ${JSON.stringify(reply)}`);
  return reply.taskId;
};

describe('several instances on one Redis', () => {
  it('two instances starting at once on an empty Redis agree on one secret: buttons of one work on the other', async () => {
    await emptyRedis();
    sim = await startSimulator({ stepMs: 15, progressSteps: 1 });
    const [a, b] = await Promise.all([startBot({}), startBot({})]);
    const grid = await finalOf([a, b], idOf(await a.imagine('u1', 'a shared secret')));
    const pressed = await b.app.service.press(button(grid, 'U2'), origin('u1'));
    expect(pressed).toMatchObject({ type: 'task' });
    expect((await finalOf([a, b], idOf(pressed))).phase).toBe('result');
  });

  it('two bots with different prefixes share no records, quotas, slots or secrets, and keep to their own keys', async () => {
    await emptyRedis();
    sim = await startSimulator({ stepMs: 15, progressSteps: 1 });
    const limits = { DAILY_QUOTA: '1', USER_MAX_RUNNING: '1' };
    const warnings: string[] = [];
    const capture = createLogger({ LOG_LEVEL: 'warn' }, new Writable({ write: (chunk, _enc, done) => (warnings.push(String(chunk)), done()) }));
    const alpha = await startBot({ ...limits, REDIS_PREFIX: 'alpha' });
    // The old variable name still works (with a warning).
    const beta = await startBot({ ...limits, FLEET_PREFIX: 'beta' }, capture);
    expect(warnings.join('')).toContain('FLEET_PREFIX is deprecated');

    // Quotas: u1 used up alpha's daily quota; on beta u1 has a quota of their own.
    const first = idOf(await alpha.imagine('u1', 'drawn on alpha'));
    const grid = await finalOf([alpha], first);
    expect(await alpha.imagine('u1', 'over quota on alpha')).toMatchObject({ type: 'error', code: 'QUOTA_EXCEEDED' });
    const onBeta = idOf(await beta.imagine('u1', 'drawn on beta'));
    expect((await finalOf([beta], onBeta)).phase).toBe('result');
    // Records: each bot knows only its own tasks.
    expect(await alpha.app.service.knowsTask(first)).toBe(true);
    expect(await beta.app.service.knowsTask(first)).toBe(false);
    // Secrets: each generated its own, so alpha's buttons mean nothing to beta.
    expect(await beta.app.service.press(button(grid, 'U1'), origin('u1'))).toMatchObject({ type: 'error', code: 'BUTTON_INVALID' });
    // Running slots: u2 drawing on beta does not count against USER_MAX_RUNNING on alpha.
    sim.pause();
    expect(await beta.imagine('u2', 'slow on beta')).toMatchObject({ type: 'task' });
    expect(await alpha.imagine('u2', 'slow on alpha')).toMatchObject({ type: 'task' });
    expect(await beta.imagine('u2', 'second on beta')).toMatchObject({ type: 'error', code: 'QUOTA_EXCEEDED' });
    sim.resume();

    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys('*');
    redis.disconnect();
    expect(keys.some((k) => k.startsWith('alpha:')) && keys.some((k) => k.startsWith('beta:'))).toBe(true);
    expect(keys.filter((k) => !k.startsWith('alpha:') && !k.startsWith('beta:'))).toEqual([]);
  });
});
