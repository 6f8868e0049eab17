/**
 * Redis killed under a running fleet process (a Redis of the test's own): Redis errors are
 * structured warnings (no raw ioredis "Unhandled error event"), a user's command gets a clear
 * "temporarily unavailable" answer instead of silence, and once Redis is back — empty — new
 * tasks are followed and delivered again (the poll schedule is recreated).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/sim/index.js';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram/index.js';
import { killAllBots } from '../helpers/bot-process.js';
import { killOwnRedis, ownRedis } from '../helpers/redis-server.js';
import { deliverUpdate, gridResultsIn, startTelegramWorker, type TelegramWorker } from '../helpers/telegram-workers.js';
import { until } from '../helpers/wait.js';

let sim: Simulator | undefined;
let tg: FakeTelegram | undefined;
afterEach(async () => {
  await killAllBots();
  await killOwnRedis();
  await sim?.close();
  await tg?.close();
  sim = tg = undefined;
});

const user = { id: 900, first_name: 'Rita', language_code: 'en' };

const health = (worker: TelegramWorker): Promise<number> =>
  fetch(`http://127.0.0.1:${worker.port}/healthz`, { signal: AbortSignal.timeout(5000) }).then((r) => r.status, () => 0);

async function imagine(fake: FakeTelegram, worker: TelegramWorker, prompt: string): Promise<number> {
  const message = fake.sendText({ chatId: user.id, chatType: 'private', from: user, text: `/imagine ${prompt}` });
  await deliverUpdate(worker, { message });
  return message.message_id;
}

describe('Redis killed under a running bot', () => {
  it('warns in structured logs, tells users it is temporarily unavailable, and recovers when Redis comes back empty', async () => {
    const redis = await ownRedis();
    await redis.start();
    sim = await startSimulator({ stepMs: 100, progressSteps: 2 });
    tg = await startFakeTelegram({ rateLimits: false });
    const fake = tg;
    const worker = await startTelegramWorker(fake, { STORE_URL: redis.url, FLEET_LOCK_MS: '1500', MJ_BASE_URL: sim.url, MJ_POLL_INTERVAL_MS: '100', BOT_SECRET: 'redis-outage-bot-secret-0123456789' });

    await imagine(fake, worker, 'before the outage');
    await until(() => gridResultsIn(fake, user.id).length === 1, 30_000, 'the first result');

    await redis.kill();
    await until(async () => (await health(worker)) === 503, 20_000, 'not ready while Redis is down');
    const refused = await imagine(fake, worker, 'during the outage');
    await until(() => fake.messages(user.id).some((m) => m.replyTo === refused && /temporarily unavailable/i.test(m.text ?? '')), 20_000, `the "temporarily unavailable" answer: ${worker.bot.output().slice(-3000)}`);
    // Structured warnings (JSON log lines naming the Redis client), never raw ioredis output.
    const warnings = () =>
      worker.bot.output().split('\n').flatMap((line) => {
        if (!line.startsWith('{')) return [];
        const entry = JSON.parse(line) as { level?: number; msg?: string; redis?: string; code?: string };
        return entry.level === 40 && entry.redis ? [entry] : [];
      });
    await until(() => warnings().some((w) => w.msg === 'redis unavailable' && w.code === 'ECONNREFUSED'), 20_000, 'a structured warning about Redis');
    expect(worker.bot.output()).not.toMatch(/Unhandled error event/);

    // Back, but empty: the fleet's poll schedule and queues are gone with the data.
    await redis.start();
    // Once the bot reports itself ready again (its store answers), commands work again.
    await until(async () => (await health(worker)) === 200, 20_000, 'ready again');
    expect(worker.bot.output()).not.toMatch(/Unhandled error event/);
    const after = await imagine(fake, worker, 'after the outage');
    await until(() => gridResultsIn(fake, user.id).some((m) => m.replyTo === after), 40_000, 'the result after the outage').catch(async (err: unknown) => {
      throw new Error(`${String(err)} health=${await health(worker)} exit=${worker.bot.child.exitCode} messages=${JSON.stringify(fake.messages(user.id).map((m) => [m.replyTo, (m.text ?? m.caption ?? '').slice(0, 40)]))}\n${worker.bot.output().slice(-3000)}`);
    });
    expect(gridResultsIn(fake, user.id)).toHaveLength(2);
  }, 120_000);

  it('follows new tasks again after Redis restarted empty (the poll schedule is recreated)', async () => {
    const redis = await ownRedis();
    await redis.start();
    sim = await startSimulator({ stepMs: 100, progressSteps: 2 });
    tg = await startFakeTelegram({ rateLimits: false });
    const fake = tg;
    const worker = await startTelegramWorker(fake, { STORE_URL: redis.url, FLEET_LOCK_MS: '1500', MJ_BASE_URL: sim.url, MJ_POLL_INTERVAL_MS: '100', BOT_SECRET: 'redis-outage-bot-secret-0123456789' });
    const before = await imagine(fake, worker, 'before the restart');
    await until(() => gridResultsIn(fake, user.id).some((m) => m.replyTo === before), 30_000, 'the result before the restart');
    await redis.kill();
    await until(async () => (await health(worker)) === 503, 20_000, 'not ready while Redis is down');
    await redis.start();
    await until(async () => (await health(worker)) === 200, 20_000, 'ready again');
    const after = await imagine(fake, worker, 'after the restart');
    await until(() => gridResultsIn(fake, user.id).some((m) => m.replyTo === after), 40_000, `the result after the restart: ${worker.bot.output().slice(-2000)}`);
  }, 120_000);
});
