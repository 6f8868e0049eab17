/**
 * Benchmark 3: many people send /imagine at the same moment — 30 and 50 in one Telegram group,
 * 50 and 500 each in a private chat. Time until every result is in its chat, against the floor
 * Telegram's limits set for the results alone; the share of calls answered 429; results lost or
 * duplicated. mjbot: the real app + Telegram adapter over long polling. Naive: a status message,
 * an edit per progress notify and the result photo, retrying 429s after retry_after, no budget.
 * Both against the fake Bot API (1 msg/s per chat with a burst of 3, 20/min per group, 30/s per
 * bot), whose clock — like the simulator's steps and both bots' waits — may run faster than real time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import { startSimulator } from '../src/sim/index.js';
import { createTelegramAdapter } from '../src/adapters/telegram/index.js';
import { startFakeTelegram } from '../test/fakes/telegram/index.js';
import { chatOf, count, fastClock, floorSeconds, runNaiveBot, SIM_STEPS, usersOf, type Count, type Scenario } from './telegram-burst-parts.js';
import { fmt, waitFor, type BenchResult } from './util.js';

const SCENARIOS: Scenario[] = [
  { name: '30 users, one group', users: 30, group: true, speed: 5, stepMs: 1000 },
  { name: '50 users, one group', users: 50, group: true, speed: 5, stepMs: 1000 },
  { name: '50 private chats', users: 50, group: false, speed: 1, stepMs: 3000 },
  { name: '500 private chats', users: 500, group: false, speed: 1, stepMs: 3000 },
  // How the busy-group threshold was chosen: the same 30-user burst with other thresholds (mjbot only).
  ...[1, 6, 12, 1000].map((busy) => ({ name: `30 users, one group, busy from ${busy} live jobs`, users: 30, group: true, speed: 5, stepMs: 1000, busyGroupJobs: busy, mjbotOnly: true })),
];
/** Each variant of a scenario stops after this much real time. */
const REAL_LIMIT_MS = 60_000;

interface Outcome extends Count {
  variant: string;
  seconds: number;
  realSeconds: number;
}

async function runMjbot(s: Scenario): Promise<Outcome> {
  const clock = fastClock(s.speed);
  const dir = mkdtempSync(join(tmpdir(), 'mjbot-bench-'));
  const fake = await startFakeTelegram({ now: clock.now });
  const sim = await startSimulator({ stepMs: s.stepMs, concurrency: s.users + 10, queueLimit: s.users * 2 });
  const env = {
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    STORE_URL: `sqlite://${join(dir, 'bot.sqlite')}`,
    MJ_BASE_URL: sim.url,
    MJ_FLAVOUR: 'plus',
    MJ_POLL_INTERVAL_MS: String(Math.max(50, Math.round(1000 / s.speed))),
    // Everyone draws at once (the platform, not the fair line, is what is measured).
    CHAT_MAX_RUNNING: String(s.users),
    USER_MAX_RUNNING: '3',
  };
  const app = await createApp(parseConfig(env), silentLogger(), { adapters: false });
  // Presenter gap and board pace scaled like the clock (2 s and 10 s of Telegram time).
  const tg = createTelegramAdapter(app.adapterDeps('telegram'), { token: fake.token, apiRoot: fake.apiRoot, clock, minUpdateIntervalMs: Math.ceil(2000 / s.speed), autoRetry: { maxDelaySeconds: 10 }, busyGroupJobs: s.busyGroupJobs });
  await tg.start();
  await app.service.start();
  const users = usersOf(s);
  const commands = new Map<number, number>();
  try {
    const v0 = clock.now();
    const r0 = Date.now();
    for (const user of users) commands.set(user.id, fake.sendText({ chatId: chatOf(s, user), chatType: s.group ? 'supergroup' : 'private', from: user, text: `/imagine burst picture ${user.id}` }).message_id);
    await waitFor(() => count(fake, s, users, commands).delivered >= s.users, REAL_LIMIT_MS, 50);
    const realSeconds = (Date.now() - r0) / 1000;
    // A moment longer, so a late duplicate would be counted.
    await clock.sleep(5000);
    const c = count(fake, s, users, commands);
    return { variant: 'mjbot', ...c, seconds: (c.lastAt - v0) / 1000, realSeconds };
  } finally {
    await tg.close();
    await app.close();
    await sim.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runNaive(s: Scenario): Promise<Outcome> {
  const clock = fastClock(s.speed);
  const fake = await startFakeTelegram({ now: clock.now });
  const sim = await startSimulator({ stepMs: s.stepMs, concurrency: s.users + 10, queueLimit: s.users * 2 });
  const users = usersOf(s);
  const commands = new Map<number, number>();
  const v0 = clock.now();
  const r0 = Date.now();
  const stop = await runNaiveBot(fake, sim.url, s, clock, users, commands);
  try {
    await waitFor(() => count(fake, s, users, commands).delivered >= s.users, REAL_LIMIT_MS, 50);
    const realSeconds = (Date.now() - r0) / 1000;
    await clock.sleep(5000);
    const c = count(fake, s, users, commands);
    return { variant: 'naive', ...c, seconds: (c.lastAt - v0) / 1000, realSeconds };
  } finally {
    await stop();
    await sim.close();
    await fake.close();
  }
}

export async function runTelegramBurst(only?: (s: Scenario) => boolean): Promise<BenchResult> {
  const rows: (string | number)[][] = [];
  const raw: Record<string, Outcome & { floor: number }> = {};
  for (const s of SCENARIOS.filter(only ?? (() => true))) {
    const floor = floorSeconds(s);
    for (const run of s.mjbotOnly ? [runMjbot] : [runMjbot, runNaive]) {
      const o = await run(s);
      raw[`${s.name} ${o.variant}`] = { ...o, floor };
      const lost = s.users - o.delivered;
      rows.push([s.name, o.variant, `${o.delivered}/${s.users}`, lost, o.duplicates, fmt(o.seconds, 1), fmt(floor, 1), lost > 0 ? 'unfinished' : `${fmt(o.seconds / floor, 2)}×`, o.calls, o.tooMany, `${fmt((100 * o.tooMany) / Math.max(1, o.calls), 1)} %`, o.otherErrors, fmt(o.realSeconds, 1)]);
    }
  }
  return {
    id: 'telegram-burst',
    title: '3. Telegram bursts: 30 and 50 users in one group, 50 and 500 private chats',
    columns: ['scenario', 'variant', 'results', 'lost', 'duplicates', 'last result (s)', 'floor (s)', '÷ floor', 'counted calls', '429s', '429 share', 'other API errors', 'real s'],
    rows,
    notes: [
      `Floor: every job drawn in the simulator's time (${SIM_STEPS} steps), then only the results, as early as the fake's limits let them out (1 msg/s per chat with a burst of 3, 20/min per group, 30/s per bot). Status messages, acknowledgements and progress are not in the floor.`,
      'Group scenarios run on a clock 5× faster than real time (simulator step 1 s real = 5 s); private-chat scenarios in real time (step 3 s), so that the bot-wide second is not shortened below the machine\'s own latency. Real-time overheads (HTTP, image uploads, the store) are stretched by the speed-up for both variants alike.',
      `Counted calls: sends, edits and reactions made to the fake, 429s included; the 429 share is 429s ÷ counted calls. A variant stops after ${REAL_LIMIT_MS / 1000} s of real time; results below the number of users are lost within that bound.`,
      'mjbot runs with CHAT_MAX_RUNNING = users (everyone draws at once) and its Telegram defaults (a group with 3 live jobs is busy; board edits at most every 10 s), on a SQLite store (every row; until admission kept one line per chat, the 500-chat row had to run on memory://).',
      'The last rows repeat the 30-user group burst with other busy-group thresholds (1000 = never busy: a status message per job, as before).',
    ],
    raw,
  };
}
