/**
 * Fenced ownership: two bot processes on one Redis; the one following a task is paused
 * (SIGSTOP) past FLEET_LOCK_MS, the other takes the task over, then the paused one resumes
 * (SIGCONT) while the task finishes. Only the current lock holder delivers: one "✅ Done".
 * Previews are unavailable, so the result is the first photo of the task (a new message, not an
 * edit); and the result image is held back at first, so two processes that both deliver would
 * both be posting it at the same moment instead of one after the other.
 */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/sim/index.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram/index.js';
import { killAllBots } from '../helpers/bot-process.js';
import { startChaosProxy, type ChaosProxy } from '../helpers/chaos-proxy.js';
import { testRedisUrl } from '../helpers/redis.js';
import { deliverUpdate, gridResultsIn, startTelegramWorker, type TelegramWorker } from '../helpers/telegram-workers.js';
import { until } from '../helpers/wait.js';

const REDIS_URL = testRedisUrl(11);
let sim: Simulator | undefined;
let tg: FakeTelegram | undefined;
let proxy: ChaosProxy | undefined;
afterEach(async () => {
  await killAllBots();
  await proxy?.close();
  await sim?.close();
  await tg?.close();
  sim = tg = proxy = undefined;
});

const follows = (worker: TelegramWorker, taskId: string): boolean =>
  worker.bot.output().split('\n').some((line) => line.includes('"tracking task"') && line.includes(`"taskId":"${taskId}"`));

describe('a fleet owner paused past its lock', () => {
  it('stops when it resumes: the result is delivered once, by the new owner', async () => {
    const redis = new Redis(REDIS_URL);
    await redis.flushdb();
    redis.disconnect();
    sim = await startSimulator({ stepMs: 200, progressSteps: 4 });
    tg = await startFakeTelegram({ rateLimits: false });
    proxy = await startChaosProxy(sim.url);
    proxy.inject(/\/sim\/img\/\d+\/preview-\d+\.png$/, { kind: 'status', status: 404 });
    proxy.inject(/\/sim\/img\/\d+\/grid\.png$/, { kind: 'hold' });
    const fake = tg;
    const images = proxy;
    const env = { STORE_URL: REDIS_URL, FLEET_LOCK_MS: '1500', MJ_BASE_URL: proxy.url, MJ_POLL_INTERVAL_MS: '100', BOT_SECRET: 'fleet-pause-bot-secret-0123456789', LOG_LEVEL: 'debug' };
    const workers = [await startTelegramWorker(fake, env), await startTelegramWorker(fake, env)];

    const user = { id: 700, first_name: 'Paula', language_code: 'en' };
    const message = fake.sendText({ chatId: user.id, chatType: 'private', from: user, text: '/imagine a lighthouse at dusk' });
    expect(await deliverUpdate(workers[0]!, { message })).toBe(200);
    await until(() => sim!.tasks().some((t) => t.status === 'IN_PROGRESS'), 20_000, 'the task drawing');
    const taskId = String(sim.tasks()[0]!.id);
    await until(() => workers.some((w) => follows(w, taskId)), 20_000, 'a worker following the task');
    const owner = workers.find((w) => follows(w, taskId))!;
    const other = workers.find((w) => w !== owner)!;

    // Hold the task mid-drawing, pause its owner until the other one has taken it over.
    sim.pause();
    owner.bot.child.kill('SIGSTOP');
    await until(() => follows(other, taskId), 30_000, `takeover by the other worker: ${other.bot.output().slice(-2000)}`);
    owner.bot.child.kill('SIGCONT');
    sim.resume();

    // The result is being delivered (its image requested); the resumed owner has either noticed
    // that it lost the task or (the fault) is delivering it too. Then the image comes through.
    const lostLock = () => owner.bot.output().includes('fleet lock of a task lost');
    await until(() => images.holding >= 1 && (lostLock() || images.holding >= 2), 30_000, 'the result image requested');
    images.release();
    const results = () => gridResultsIn(fake, user.id).length;
    await until(() => results() >= 1 && (lostLock() || results() >= 2), 30_000, 'the result delivered').catch((err: unknown) => {
      const tail = (w: TelegramWorker) => w.bot.output().split('\n').filter((l) => !l.includes('"level":20')).slice(-30).join('\n');
      throw new Error(`${String(err)}; photos sent ${fake.calls.filter((c) => c.method === 'sendPhoto').length} ${JSON.stringify(fake.calls.filter((c) => /photo|delete|edit/i.test(c.method)).map((c) => c.method))}; grid requests ${images.paths.filter((p) => p.endsWith('grid.png')).length}; results ${gridResultsIn(fake, user.id).length}; sim ${JSON.stringify(sim!.tasks().map((t) => t.status))}\nOWNER:\n${tail(owner)}\nOTHER:\n${tail(other)}`);
    });
    expect(gridResultsIn(fake, user.id)).toHaveLength(1);
    expect(fake.messages(user.id).filter((m) => /✅/.test(m.caption ?? m.text ?? ''))).toHaveLength(1);
  }, 90_000);
});
