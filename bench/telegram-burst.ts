/**
 * Benchmark 3: 50 people send /imagine in one Telegram group at once. Time until every final
 * result is in the chat, against the floor that Telegram's 20 messages/minute per group sets,
 * and how many 429s the bot provoked. mjbot: the real app + Telegram adapter over long polling.
 * Naive: sends a status message, edits it on every progress notify and posts the result photo,
 * retrying 429s after retry_after, with no budget. Both run against the fake Bot API, whose flood
 * limits use a clock running SPEED× faster than real time (so are the simulator and the bots).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Api, GrammyError, InputFile } from 'grammy';
import { createApp } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import { MjClient } from '../src/mj/client.js';
import type { Task } from '../src/mj/schemas.js';
import { startSimulator } from '../src/sim/index.js';
import { createTelegramAdapter } from '../src/adapters/telegram/index.js';
import { startFakeTelegram, type FakeTelegram } from '../test/fakes/telegram/index.js';
import { fmt, sleep, waitFor, type BenchResult } from './util.js';

const USERS = 50;
const GROUP = -100777;
const SPEED = 50;
/** Simulator step in real ms (= 5 s of virtual time at SPEED 50). */
const STEP_MS = 100;
const REAL_LIMIT_MS = 60_000;
const COUNTED = /^(send(Message|Photo|Document)|editMessage(Text|Caption|Media|ReplyMarkup))$/;

interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

function fastClock(): Clock {
  const t0 = Date.now();
  return { now: () => t0 + (Date.now() - t0) * SPEED, sleep: (ms) => sleep(Math.ceil(ms / SPEED)) };
}

interface Outcome {
  virtualSeconds: number;
  realSeconds: number;
  results: number;
  sends: number;
  tooMany: number;
  otherErrors: number;
}

const results = (fake: FakeTelegram): number => fake.messages(GROUP).filter((m) => (m.photo || m.document) && m.caption?.startsWith('✅')).length;

function outcome(fake: FakeTelegram, clock: Clock, v0: number, r0: number): Outcome {
  const calls = fake.calls.filter((c) => COUNTED.test(c.method) && c.response.ok);
  return {
    virtualSeconds: (clock.now() - v0) / 1000,
    realSeconds: (Date.now() - r0) / 1000,
    results: results(fake),
    sends: calls.length,
    tooMany: fake.errors.filter((e) => e.status === 429).length,
    otherErrors: fake.errors.filter((e) => e.status !== 429).length,
  };
}

const users = Array.from({ length: USERS }, (_, i) => ({ id: 5000 + i, first_name: `User${i}`, language_code: 'en' }));

async function runMjbot(): Promise<Outcome> {
  const clock = fastClock();
  const dir = mkdtempSync(join(tmpdir(), 'mjbot-bench-'));
  const fake = await startFakeTelegram({ now: clock.now });
  const sim = await startSimulator({ stepMs: STEP_MS, concurrency: USERS + 10, queueLimit: USERS * 2 });
  const env = { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, STORE_URL: `sqlite://${join(dir, 'bot.sqlite')}`, MJ_BASE_URL: sim.url, MJ_FLAVOUR: 'plus', MJ_POLL_INTERVAL_MS: '60' };
  const app = await createApp(parseConfig(env), silentLogger(), { adapters: false });
  // Presenter gap scaled like the clock: Telegram's default 2 s between progress edits.
  const tg = createTelegramAdapter(app.adapterDeps('telegram'), { token: fake.token, apiRoot: fake.apiRoot, clock, minUpdateIntervalMs: Math.ceil(2000 / SPEED), autoRetry: { maxDelaySeconds: 10 } });
  await tg.start();
  await app.service.start();
  try {
    const v0 = clock.now();
    const r0 = Date.now();
    for (const user of users) fake.sendText({ chatId: GROUP, chatType: 'supergroup', from: user, text: `/imagine burst picture ${user.id}` });
    await waitFor(() => results(fake) >= USERS, REAL_LIMIT_MS, 20);
    return outcome(fake, clock, v0, r0);
  } finally {
    await tg.close();
    await app.close();
    await sim.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Call `fn`, sleeping retry_after (virtual seconds) on 429, at most 30 tries. */
async function retrying<T>(clock: Clock, fn: () => Promise<T>): Promise<T | undefined> {
  for (let attempt = 0; attempt < 30; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof GrammyError) || err.error_code !== 429) return undefined;
      await clock.sleep((err.parameters.retry_after ?? 1) * 1000);
    }
  }
  return undefined;
}

async function runNaive(): Promise<Outcome> {
  const clock = fastClock();
  const fake = await startFakeTelegram({ now: clock.now });
  const sim = await startSimulator({ stepMs: STEP_MS, concurrency: USERS + 10, queueLimit: USERS * 2 });
  const api = new Api(fake.token, { apiRoot: fake.apiRoot });
  const messageOf = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.end('{}');
      void onNotify(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Task);
    });
  });
  const onNotify = async (task: Task): Promise<void> => {
    const messageId = messageOf.get(task.id);
    if (messageId === undefined) return;
    if (task.status === 'SUCCESS' && task.imageUrl) {
      const bytes = Buffer.from(await (await fetch(task.imageUrl)).arrayBuffer());
      await retrying(clock, () => api.sendPhoto(GROUP, new InputFile(bytes, 'mj.png'), { caption: `✅ done ${task.id}` }));
      await api.deleteMessage(GROUP, messageId).catch(() => undefined);
    } else {
      await retrying(clock, () => api.editMessageText(GROUP, messageId, `🎨 ${task.status} ${task.progress ?? ''} ${task.id}`));
    }
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const hook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const client = new MjClient({ baseUrl: sim.url, flavour: 'plus' });
  try {
    const v0 = clock.now();
    const r0 = Date.now();
    await Promise.all(
      users.map(async (user) => {
        // The same user messages as for mjbot (they also make the group known to the fake); the naive bot answers directly.
        const command = fake.sendText({ chatId: GROUP, chatType: 'supergroup', from: user, text: `/imagine burst picture ${user.id}` });
        const sent = await retrying(clock, () => api.sendMessage(GROUP, `⏳ Submitting for ${user.first_name}…`, { reply_parameters: { message_id: command.message_id } }));
        const { taskId } = await client.imagine({ prompt: `burst picture ${user.id}`, notifyHook: hook });
        if (sent) messageOf.set(taskId, sent.message_id);
      }),
    );
    await waitFor(() => results(fake) >= USERS, REAL_LIMIT_MS, 20);
    return outcome(fake, clock, v0, r0);
  } finally {
    await client.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await sim.close();
    await fake.close();
  }
}

export async function runTelegramBurst(): Promise<BenchResult> {
  // Floor: each user needs at least a status message and a result; the group window lets 20 through per minute.
  const floorSeconds = (messages: number): number => (Math.ceil(messages / 20) - 1) * 60;
  const rows: (string | number)[][] = [];
  const raw: Record<string, Outcome> = {};
  for (const [name, run] of [['mjbot', runMjbot], ['naive', runNaive]] as const) {
    const o = await run();
    raw[name] = o;
    rows.push([name, `${o.results}/${USERS}`, fmt(o.virtualSeconds, 0), fmt(o.realSeconds, 1), o.sends, o.tooMany, o.otherErrors]);
  }
  return {
    id: 'telegram-burst',
    title: `3. Group burst: ${USERS} users in one Telegram group`,
    columns: ['variant', 'results delivered', 'time to last result (virtual s)', 'real s', 'counted sends+edits', '429s', 'other API errors'],
    rows,
    notes: [
      `Floor: ${USERS} status messages + ${USERS} results = ${USERS * 2} messages at 20/min per group → ${floorSeconds(USERS * 2)} s (results alone: ${floorSeconds(USERS)} s).`,
      `Virtual time: the fake's flood limits, mjbot's budget, the naive bot's retry_after sleeps and the simulator (${STEP_MS} ms real steps = ${(STEP_MS * SPEED) / 1000} s virtual) all run ${SPEED}× faster than real time; real-time overheads (HTTP, image upload) are stretched ${SPEED}× in virtual seconds, which penalizes both variants alike.`,
      `Each variant stops after ${REAL_LIMIT_MS / 1000} s of real time; a result count below ${USERS} means it did not finish in that bound.`,
    ],
    raw,
  };
}
