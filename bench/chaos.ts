/**
 * Benchmark 6: exactly once under chaos. N users each ask for one drawing while two worker
 * processes share a Redis; between requests one worker is SIGKILLed (and replaced) or paused
 * with SIGSTOP past the lock time, and once Redis itself is killed and restarted (append-only
 * file, so it comes back with its data). Counted afterwards in the chats: results delivered,
 * duplicates, lost. mjbot runs as real bot processes (Telegram webhook workers); the naive
 * baseline (chaos-naive-worker.ts) shares tasks through leases without fencing or delivery state.
 * Both see the same seeded sequence of faults.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { MjClient } from '../src/mj/client.js';
import { startSimulator, type Simulator } from '../src/sim/index.js';
import { startFakeTelegram, type FakeTelegram } from '../test/fakes/telegram/index.js';
import { startChaosProxy } from '../test/helpers/chaos-proxy.js';
import { killOwnRedis, ownRedis, type OwnRedis } from '../test/helpers/redis-server.js';
import { deliverUpdate, startTelegramWorker } from '../test/helpers/telegram-workers.js';
import { fmt, sleep, waitFor, type BenchResult } from './util.js';

const TASKS = 30;
const STEPS = 10;
const REDIS_STEP = 4;
const LOCK_MS = 2000;
const SEED = 20261122;
/** Posting a result takes this long (an image upload to Telegram): faults can land in the middle of it. */
const SEND_MS = 800;

/** A worker process the chaos can hit. */
interface Proc {
  child: ChildProcess;
  stopped: boolean;
  /** Where requests go (mjbot: its webhook port). */
  port?: number;
}

interface Variant {
  name: string;
  /** Start a worker (resolves once it is ready). */
  spawn(): Promise<Proc>;
  /** User `i` asks for a drawing; resolves once the proxy has the task. */
  submit(i: number, to: Proc): Promise<void>;
  /** After Redis came back: resolves once the workers can serve again. */
  recovered(procs: Proc[]): Promise<void>;
}

interface Outcome {
  delivered: number;
  duplicates: number;
  lost: number;
  kills: number;
  pauses: number;
  redisRestarts: number;
  lastResultS: number;
}

/** mulberry32: the same faults in the same order for both variants. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const userId = (i: number): number => 5000 + i;
const resultsIn = (fake: FakeTelegram, chatId: number): number => fake.messages(chatId).filter((m) => (m.caption ?? m.text ?? '').startsWith('✅')).length;

async function killProc(proc: Proc): Promise<void> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const gone = new Promise((resolve) => proc.child.once('exit', resolve));
  proc.child.kill('SIGKILL');
  await gone;
}

async function runVariant(variant: Variant, redis: OwnRedis, fake: FakeTelegram): Promise<Outcome> {
  const random = seeded(SEED);
  let procs = [await variant.spawn(), await variant.spawn()];
  const outcome: Outcome = { delivered: 0, duplicates: 0, lost: 0, kills: 0, pauses: 0, redisRestarts: 0, lastResultS: 0 };
  const resumes: Promise<void>[] = [];
  const started = Date.now();
  const healthy = (): Proc[] => procs.filter((p) => !p.stopped && p.child.exitCode === null);
  let next = 0;
  for (let step = 0; step < STEPS; step++) {
    // A few users ask, each through a worker that is up (Telegram delivers webhooks to a live one).
    for (let n = 0; n < TASKS / STEPS; n++, next++) {
      const live = healthy();
      await variant.submit(next, live[next % live.length]!);
    }
    if (step === REDIS_STEP) {
      await redis.kill();
      await sleep(500);
      await redis.start();
      outcome.redisRestarts++;
      await variant.recovered(healthy());
    } else {
      // One fault at a time: a worker still paused from the last step resumes first.
      await Promise.all(resumes);
      const live = healthy();
      const target = live[Math.floor(random() * live.length)]!;
      if (step % 2 === 0) {
        await killProc(target);
        outcome.kills++;
        procs = [...procs.filter((p) => p !== target), await variant.spawn()];
      } else {
        target.child.kill('SIGSTOP');
        target.stopped = true;
        outcome.pauses++;
        resumes.push(
          sleep(LOCK_MS + 1500).then(() => {
            target.child.kill('SIGCONT');
            target.stopped = false;
          }),
        );
      }
    }
    await sleep(1000 + random() * 1000);
  }
  await Promise.all(resumes);
  const chats = Array.from({ length: TASKS }, (_, i) => userId(i));
  await waitFor(() => chats.every((c) => resultsIn(fake, c) > 0), 90_000, 100);
  outcome.lastResultS = (Date.now() - started) / 1000;
  // Late duplicates (a resumed process) would show up now.
  await sleep(4000);
  for (const chat of chats) {
    const n = resultsIn(fake, chat);
    if (n > 0) outcome.delivered++;
    outcome.duplicates += Math.max(0, n - 1);
  }
  outcome.lost = TASKS - outcome.delivered;
  await Promise.all(procs.map(killProc));
  return outcome;
}

function mjbotVariant(redis: OwnRedis, sim: Simulator, fake: FakeTelegram, apiRoot: string): Variant {
  const env = { TELEGRAM_API_ROOT: apiRoot, STORE_URL: redis.url, FLEET_LOCK_MS: String(LOCK_MS), MJ_BASE_URL: sim.url, MJ_POLL_INTERVAL_MS: '250', BOT_SECRET: 'chaos-bench-bot-secret-0123456789' };
  const submits = (prompt: string) => sim.requests.filter((r) => r.path.endsWith('/submit/imagine') && String((r.body as { prompt?: unknown }).prompt).includes(prompt)).length;
  return {
    name: 'mjbot',
    async spawn() {
      const worker = await startTelegramWorker(fake, env);
      return { child: worker.bot.child, stopped: false, port: worker.port };
    },
    async submit(i, to) {
      const user = { id: userId(i), first_name: `User${i}`, language_code: 'en' };
      const prompt = `chaos lighthouse ${i}`;
      // Confirmed once the bot recorded the task (its message left "Submitting…"); a user whose
      // request was refused (the store just back) asks again, as people do.
      const answer = (id: number) => fake.messages(user.id).find((m) => m.replyTo === id && m.fromBot)?.text ?? '';
      for (let attempt = 0; attempt < 3 && submits(prompt) === 0; attempt++) {
        const message = fake.sendText({ chatId: user.id, chatType: 'private', from: user, text: `/imagine ${prompt}` });
        await deliverUpdate({ port: to.port! }, { message }).catch(() => 0);
        await waitFor(() => (submits(prompt) > 0 && !/Submitting/.test(answer(message.message_id))) || /unavailable/i.test(answer(message.message_id)), 10_000, 50);
      }
    },
    async recovered(procs) {
      const ready = async (p: Proc) => (await fetch(`http://127.0.0.1:${p.port}/healthz`, { signal: AbortSignal.timeout(2000) }).then((r) => r.status, () => 0)) === 200;
      const end = Date.now() + 20_000;
      while (Date.now() < end && !(await Promise.all(procs.map(ready))).every(Boolean)) await sleep(100);
    },
  };
}

function naiveVariant(redis: OwnRedis, sim: Simulator, fake: FakeTelegram, apiRoot: string): Variant {
  const client = new MjClient({ baseUrl: sim.url, flavour: 'plus' });
  const queue = new Redis(redis.url, { maxRetriesPerRequest: null });
  queue.on('error', () => undefined);
  return {
    name: 'naive',
    async spawn() {
      const child = spawn(process.execPath, ['--import', 'tsx', 'bench/chaos-naive-worker.ts'], {
        cwd: new URL('../', import.meta.url).pathname,
        env: { PATH: process.env.PATH ?? '', REDIS_URL: redis.url, SIM_URL: sim.url, TG_API: `${apiRoot}/bot${fake.token}`, LEASE_MS: String(LOCK_MS) },
        stdio: 'ignore',
      });
      return { child, stopped: false };
    },
    async submit(i) {
      const user = { id: userId(i), first_name: `User${i}`, language_code: 'en' };
      fake.sendText({ chatId: user.id, chatType: 'private', from: user, text: `/imagine chaos lighthouse ${i}` });
      const submitted = await client.imagine({ prompt: `chaos lighthouse ${i}` });
      await queue.rpush('naive:tasks', JSON.stringify({ taskId: submitted.taskId, chatId: userId(i) }));
    },
    async recovered() {
      await waitFor(() => queue.status === 'ready', 20_000, 50);
    },
  };
}

export async function runChaos(): Promise<BenchResult> {
  const title = '6. Exactly once under chaos: two processes, SIGKILL / SIGSTOP, a Redis restart';
  const columns = ['variant', 'tasks', 'delivered', 'duplicates', 'lost', 'SIGKILLs', 'SIGSTOPs', 'Redis restarts', 'last result after s'];
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    return { id: 'chaos', title, columns: ['status'], rows: [['not run: redis-server not installed']], notes: [] };
  }
  const rows: (string | number)[][] = [];
  const raw: Record<string, Outcome> = {};
  for (const make of [mjbotVariant, naiveVariant]) {
    const dir = mkdtempSync(join(tmpdir(), 'mjbot-chaos-'));
    const redis = await ownRedis({ dir });
    await redis.start();
    // Tasks take ~6 s (no previews: a result is a new message, so a double delivery shows as two).
    const sim = await startSimulator({ stepMs: 3000, progressSteps: 0, concurrency: TASKS, queueLimit: TASKS });
    const fake = await startFakeTelegram({ rateLimits: false });
    const slow = await startChaosProxy(fake.apiRoot);
    slow.inject(/\/(sendPhoto|sendDocument|sendMessage)$/, { kind: 'delay', ms: SEND_MS });
    const variant = make(redis, sim, fake, slow.url);
    try {
      const o = await runVariant(variant, redis, fake);
      raw[variant.name] = o;
      rows.push([variant.name, TASKS, o.delivered, o.duplicates, o.lost, o.kills, o.pauses, o.redisRestarts, fmt(o.lastResultS)]);
    } finally {
      await killOwnRedis();
      await slow.close();
      await sim.close();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return {
    id: 'chaos',
    title,
    columns,
    rows,
    raw,
    notes: [
      `${TASKS} users, ${STEPS} steps of ${TASKS / STEPS} requests each; after each step one fault on a worker picked at random (seed ${SEED}), alternately a SIGKILL (then a fresh worker is started) and a SIGSTOP for the lock time + 1.5 s (FLEET_LOCK_MS / lease ${LOCK_MS} ms), and at step ${REDIS_STEP + 1} a SIGKILL of redis-server, restarted 0.5 s later from its append-only file (fsync always).`,
      'Requests are made one at a time to a worker that is up, and confirmed once the task exists at the proxy and in the bot (for mjbot: its message left "Submitting…"), so every task exists exactly once: what is measured is delivery. (A worker killed inside the submit call itself tells the user the request was interrupted — docs/delivery.md.) Results are counted in the chats 4 s after the last one arrived (a paused process resumes long before).',
      `The simulator draws each task in ~6 s without previews, so the result is a new message in the chat: a double delivery shows as two results. Posting a message takes ${SEND_MS} ms (a delaying proxy in front of the fake Bot API, like an image upload), so faults also land in the middle of deliveries.`,
    ],
  };
}
