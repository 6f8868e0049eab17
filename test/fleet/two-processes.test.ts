/**
 * Scale-out end to end: two real bot processes (Telegram webhook workers) share one Redis.
 * One is killed with SIGKILL in the middle of 20 tasks; every result is delivered exactly once,
 * and buttons rendered by the dead process work on the live one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { testRedisUrl } from '../helpers/redis.js';
import { startSimulator, type Simulator } from '../../src/sim/index.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram/index.js';
import { killAllBots } from '../helpers/bot-process.js';
import { deliverUpdate, gridResultsIn as resultsIn, startTelegramWorker, type TelegramWorker as Worker } from '../helpers/telegram-workers.js';
import { until } from '../helpers/wait.js';

const REDIS_URL = testRedisUrl(8);
let sim: Simulator | undefined;
let tg: FakeTelegram | undefined;

afterEach(async () => {
  await killAllBots();
  await sim?.close();
  await tg?.close();
  sim = tg = undefined;
});

const startWorker = (simUrl: string, fake: FakeTelegram): Promise<Worker> =>
  startTelegramWorker(fake, { STORE_URL: REDIS_URL, FLEET_LOCK_MS: '1500', MJ_BASE_URL: simUrl, MJ_POLL_INTERVAL_MS: '100', BOT_SECRET: 'fleet-e2e-bot-secret-0123456789' });

async function deliver(worker: Worker, update: object): Promise<void> {
  expect(await deliverUpdate(worker, update)).toBe(200);
}

describe('two bot processes on one Redis', () => {
  it('survive a SIGKILL of one of them in the middle of 20 tasks', async () => {
    const redis = new Redis(REDIS_URL);
    await redis.flushdb();
    redis.disconnect();
    sim = await startSimulator({ stepMs: 250, concurrency: 25, queueLimit: 50 });
    tg = await startFakeTelegram({ rateLimits: false });
    const fake = tg;
    const a = await startWorker(sim.url, fake);

    // A result rendered by worker A before it dies.
    const firstUser = { id: 500, first_name: 'Early', language_code: 'en' };
    const early = fake.sendText({ chatId: 500, chatType: 'private', from: firstUser, text: '/imagine an early bird' });
    await deliver(a, { message: early });
    await until(() => resultsIn(fake, 500).length === 1, 30_000, `early result: ${a.bot.output()}`);

    const users = Array.from({ length: 20 }, (_, i) => ({ id: 1000 + i, first_name: `User${i}`, language_code: 'en' }));
    for (const user of users) {
      const message = fake.sendText({ chatId: user.id, chatType: 'private', from: user, text: `/imagine a lighthouse number ${user.id}` });
      await deliver(a, { message });
    }
    // Hold the tasks mid-drawing while A owns all of them, start B, then kill A.
    await until(() => sim!.requests.filter((r) => r.path.endsWith('/submit/imagine')).length === 21, 20_000, '20 submits');
    await until(() => sim!.tasks().filter((t) => t.status === 'IN_PROGRESS').length >= 5, 10_000, 'tasks in progress');
    sim.pause();
    const b = await startWorker(sim.url, fake);
    await a.bot.kill();
    expect(users.filter((u) => resultsIn(fake, u.id).length > 0)).toHaveLength(0);
    sim.resume();

    await until(() => users.every((u) => resultsIn(fake, u.id).length >= 1), 60_000, 'every result delivered');
    await new Promise((r) => setTimeout(r, 500));
    for (const user of users) expect(resultsIn(fake, user.id), `results for ${user.id}`).toHaveLength(1);

    // A button rendered by the dead worker, pressed through the live one.
    const earlyResult = resultsIn(fake, 500)[0]!;
    const rows = (earlyResult.replyMarkup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard;
    const u1 = rows.flat().find((btn) => btn.text.includes('U1'))!;
    const callbackId = fake.pressButton({ chatId: 500, messageId: earlyResult.messageId, from: firstUser, data: u1.callback_data });
    await deliver(b, { callback_query: { id: callbackId, from: firstUser, message: earlyResult.raw, chat_instance: '500', data: u1.callback_data } });
    await until(() => fake.messages(500).some((m) => m.photo && JSON.stringify(m.replyMarkup ?? {}).includes('Custom Zoom')), 30_000, 'upscale through worker B');
    expect(sim.requests.filter((r) => r.path.endsWith('/submit/action'))).toHaveLength(1);
  }, 120_000);
});
