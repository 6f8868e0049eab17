/**
 * Benchmark 6: admission under a burst, on each store, with two gate instances sharing the store
 * (two connections, as two processes would have). mjbot reserves quota and caps inside a store
 * transaction; the naive baseline is the read-then-reserve it replaced (counters read at check
 * time, the job counted later in a read-modify-write that is serialized only within a process).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { parseConfig } from '../src/config.js';
import { createAccessGate, type AccessGate } from '../src/core/access/index.js';
import type { ParkedJob } from '../src/core/domain/jobs.js';
import type { TaskRecord } from '../src/core/domain/records.js';
import type { Origin } from '../src/core/domain/types.js';
import { silentLogger } from '../src/log.js';
import { openStore, type Store } from '../src/runtime/store.js';
import { consoleOrigin, fmt, percentile, type BenchResult } from './util.js';

const BURST = 50;
const QUOTA = 5;
/** Jobs in flight at once in the cycle runs (each user in a chat of their own). */
const LOADS = [20, 200];
/** The test Redis if one is named (as for the tests), else the default local one. */
const REDIS_URL = process.env.MJBOT_TEST_REDIS ?? 'redis://127.0.0.1:6379';

/** One way of admitting jobs: reserve (or refuse) one job of `origin`, then run its whole cycle. */
interface Admitter {
  /** Reserve one job; returns how to give it back, or undefined when refused. */
  tryOnce(origin: Origin): Promise<(() => Promise<void>) | undefined>;
  /** check → slot → submitted → finished (success). */
  cycle(origin: Origin, taskId: string): Promise<void>;
}

function mjbot(gate: AccessGate): Admitter {
  const parked = (origin: Origin): ParkedJob => ({ origin, owner: origin.actor, ref: { chat: origin.chat, messageId: '1' }, display: 'bench', spec: { kind: 'imagine', prompt: 'bench' } });
  return {
    async tryOnce(origin) {
      try {
        const admission = await gate.check(origin, { kind: 'imagine', prompt: 'bench' });
        return () => admission.release();
      } catch {
        return undefined;
      }
    },
    async cycle(origin, taskId) {
      const admission = await gate.check(origin, { kind: 'imagine', prompt: 'bench' });
      if (!(await admission.acquire(parked(origin), async () => undefined))) throw new Error('not admitted');
      await admission.submitted(taskId);
      await gate.finished(recordOf(origin, taskId), 'delivered');
    },
  };
}

/** Runs async steps one at a time (how the pre-fix code serialized its writes, within one process only). */
class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(step: () => Promise<T>): Promise<T> {
    const result = this.tail.then(step, step);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** The pre-fix algorithm: read counters, then count the job in a later read-modify-write. */
function naive(store: Store, ns: string): Admitter {
  const serial = new Serial();
  const slots = `${ns}:running`;
  const used = (user: string) => `${ns}:used:${user}`;
  const running = async (): Promise<{ user: string; taskId?: string }[]> => (await store.get<{ user: string; taskId?: string }[]>('meta', slots)) ?? [];
  const update = (change: (list: { user: string; taskId?: string }[]) => void) =>
    serial.run(async () => {
      const list = await running();
      change(list);
      await store.set('meta', slots, list);
    });
  const check = async (user: string, limit: number) => {
    const [list, count] = await Promise.all([running(), store.get<number>('meta', used(user))]);
    return (count ?? 0) + list.filter((s) => s.user === user).length < limit;
  };
  return {
    async tryOnce(origin) {
      const user = origin.actor.userId;
      if (!(await check(user, QUOTA))) return undefined;
      await update((list) => list.push({ user, taskId: `burst-${list.length}` }));
      return () => update((list) => list.splice(list.findIndex((s) => s.user === user), 1));
    },
    async cycle(origin, taskId) {
      const user = origin.actor.userId;
      if (!(await check(user, Infinity))) throw new Error('refused');
      await update((list) => list.push({ user }));
      await update((list) => {
        const slot = list.find((s) => s.user === user && !s.taskId);
        if (slot) slot.taskId = taskId;
      });
      await update((list) => list.splice(list.findIndex((s) => s.taskId === taskId), 1));
      await store.set('meta', used(user), ((await store.get<number>('meta', used(user))) ?? 0) + 1);
    },
  };
}

function recordOf(origin: Origin, taskId: string): TaskRecord {
  const now = Date.now();
  return { taskId, kind: 'imagine', prompt: 'bench', chat: origin.chat, owner: origin.actor, status: 'SUCCESS', percent: 100, rank: 5, submittedAt: now, deadline: now + 60_000, finished: true, stage: 'delivered' };
}

interface Load {
  users: number;
  perSecond: number;
  p50: number;
  p99: number;
}

async function measure(pair: [Admitter, Admitter], tag: string): Promise<{ accepted: number; loads: Load[] }> {
  const burstUser = consoleOrigin(`${tag}-burst`);
  const results = await Promise.all(Array.from({ length: BURST }, (_, i) => pair[i % 2]!.tryOnce(burstUser)));
  const accepted = results.filter(Boolean).length;
  for (const release of results) await release?.();
  const loads: Load[] = [];
  for (const users of LOADS) {
    const latencies: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: users }, async (_, i) => {
        const start = performance.now();
        await pair[i % 2]!.cycle(consoleOrigin(`${tag}-${users}-u${i}`), `${tag}${users}x${i}`);
        latencies.push(performance.now() - start);
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    loads.push({ users, perSecond: users / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) });
  }
  return { accepted, loads };
}

export async function runAdmission(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'mjbot-bench-'));
  const prefix = `mjbot-bench-${process.pid}-${Date.now()}`;
  const backends: [string, string][] = [['memory://', 'memory://'], ['sqlite (file)', `sqlite://${join(dir, 'admission.sqlite')}`], ['redis', REDIS_URL]];
  const config = parseConfig({ DAILY_QUOTA: String(QUOTA), USER_MAX_RUNNING: String(BURST), CHAT_MAX_RUNNING: '1000', STORE_URL: 'memory://' });
  const rows: (string | number)[][] = [];
  const notes: string[] = [];
  const raw: Record<string, unknown> = {};
  try {
    for (const [label, url] of backends) {
      const stores: Store[] = [];
      const gates: AccessGate[] = [];
      try {
        // Two connections to one store (the memory store exists once per process, so there it is one).
        stores.push(await openStore(url, { prefix }));
        stores.push(url === 'memory://' ? stores[0]! : await openStore(url, { prefix }));
        // The quota binds the burst; the cycle's users each draw once, well within it.
        gates.push(...stores.map((store) => createAccessGate({ config, store, logger: silentLogger() })));
        const ours = await measure([mjbot(gates[0]!), mjbot(gates[1]!)], 'm');
        const theirs = await measure([naive(stores[0]!, 'naive'), naive(stores[1]!, 'naive')], 'n');
        raw[label] = { mjbot: ours, naive: theirs };
        for (const [variant, m] of [['mjbot', ours], ['naive', theirs]] as const) {
          rows.push([label, variant, `${m.accepted} of ${BURST}`, ...m.loads.flatMap((l) => [fmt(l.perSecond, 0), `${fmt(l.p50, 0)} / ${fmt(l.p99, 0)}`])]);
        }
      } catch (err) {
        rows.push([label, 'not run', '', '', '', '', '']);
        notes.push(`${label}: not run (${err instanceof Error ? err.message.split('\n')[0] : String(err)}).`);
      } finally {
        for (const gate of gates) await gate.close();
        for (const store of new Set(stores)) await store.close();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis
      .connect()
      .then(async () => {
        const keys = await redis.keys(`${prefix}:*`);
        if (keys.length) await redis.del(...keys);
      })
      .catch(() => undefined);
    redis.disconnect();
  }
  notes.push(
    `Burst: ${BURST} checks for one user at the same moment, alternating between two gate instances on two connections to the store, DAILY_QUOTA=${QUOTA}; "accepted" above ${QUOTA} is over-admission.`,
    `Cycle: ${LOADS.join(' and ')} users at once, each one job through check → slot → submitted → finished (4 store transactions), alternating between the two instances; admissions/s over the whole run, latency per job. Each user draws in a chat of their own: mjbot keeps one small stored line per chat and a list of chats per user, so a transaction reads and writes only the job's own chat and user (and one of 32 daily statistics documents), and jobs in different chats are admitted side by side.`,
    'naive = the algorithm before the fix (counters read at check, the job counted later in a read-modify-write serialized only within one process).',
  );
  return { id: 'admission', title: '6. Admission under a burst (two instances on one store)', columns: ['store', 'variant', 'burst: accepted (quota 5)', ...LOADS.flatMap((n) => [`${n} at once: admissions/s`, `${n} at once: p50 / p99 ms`])], rows, notes, raw };
}
