/**
 * Benchmark 8: durable TaskRecord saves per second. mjbot: `RecordStore.save` — the record and its
 * open-index entry in one `Store.write` (SQLite: WAL, synchronous=NORMAL, concurrent saves
 * group-committed; Redis: one MULTI). Naive (the save before the fix): two keyv sets, each its
 * own transaction (SQLite in its default rollback-journal mode, a disk sync per set).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Keyv from 'keyv';
import { RecordStore } from '../src/core/domain/stores.js';
import type { TaskRecord } from '../src/core/domain/records.js';
import { RECORD_TTL_MS } from '../src/core/domain/records.js';
import { openStore } from '../src/runtime/store.js';
import { fmt, sampleRecord, type BenchResult } from './util.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
/** Each measurement saves for this long (or until MAX_SAVES), so slow variants stay bounded. */
const RUN_MS = 4000;
const MAX_SAVES = 40_000;
const WRITERS = [1, 64, 256];

type Save = (record: TaskRecord) => Promise<void>;

/** Saves/s with `writers` concurrent loops, each awaiting its save before the next (as tasks do). */
async function measure(save: Save, writers: number, tag: string): Promise<{ perSecond: number; saved: string[] }> {
  const template = sampleRecord(`${tag}-0`, 1);
  const saved: string[] = [];
  let n = 0;
  const t0 = performance.now();
  const until = t0 + RUN_MS;
  await Promise.all(
    Array.from({ length: writers }, async () => {
      while (performance.now() < until && n < MAX_SAVES) {
        const taskId = `${tag}-${n++}`;
        await save({ ...template, taskId, percent: n % 100 });
        saved.push(taskId);
      }
    }),
  );
  return { perSecond: saved.length / ((performance.now() - t0) / 1000), saved };
}

/** Today's store before the fix: one keyv per namespace, two awaited sets per save. */
async function naiveSqlite(path: string): Promise<{ save: Save; close: () => Promise<void> }> {
  const { default: KeyvSqlite } = await import('@keyv/sqlite');
  const task = new Keyv({ store: new KeyvSqlite({ uri: `sqlite://${path}`, busyTimeout: 5000 }), namespace: 'task' });
  const open = new Keyv({ store: new KeyvSqlite({ uri: `sqlite://${path}`, busyTimeout: 5000 }), namespace: 'open' });
  return {
    save: async (r) => {
      await task.set(r.taskId, r, RECORD_TTL_MS);
      await open.set(r.taskId, { deadline: r.deadline, finished: r.finished });
    },
    close: async () => {
      await Promise.all([task.disconnect(), open.disconnect()]);
    },
  };
}

async function naiveRedis(prefix: string): Promise<{ save: Save; close: () => Promise<void> }> {
  const store = await openStore(REDIS_URL, { prefix });
  return {
    save: async (r) => {
      await store.set('task', r.taskId, r, RECORD_TTL_MS);
      await store.set('open', r.taskId, { deadline: r.deadline, finished: r.finished });
    },
    close: () => store.close(),
  };
}

export async function runRecordStore(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'mjbot-bench-saves-'));
  const rows: (string | number)[][] = [];
  const raw: Record<string, number> = {};
  const prefix = `bench-saves-${process.pid}-${Date.now()}`;
  try {
    let file = 0;
    for (const writers of WRITERS) {
      for (const variant of ['mjbot', 'naive'] as const) {
        const path = join(dir, `saves-${file++}.sqlite`);
        const mjStore = variant === 'mjbot' ? await openStore(`sqlite://${path}`) : undefined;
        const target = mjStore ? { save: (r: TaskRecord) => new RecordStore(mjStore).save(r), close: () => mjStore.close() } : await naiveSqlite(path);
        try {
          const { perSecond, saved } = await measure(target.save, writers, `${variant}-${writers}`);
          await target.close();
          // Every save that resolved must be there, read back from the file by a fresh connection
          // (with SQL: keyv's iterator recurses once per page and overflows the stack at this size).
          const open = await openKeys(path);
          const lost = saved.filter((id) => !open.has(`open:${id}`)).length;
          raw[`sqlite ${variant} ${writers}`] = perSecond;
          rows.push(['sqlite (file)', variant, writers, fmt(perSecond, 0), saved.length, lost]);
        } catch (err) {
          await target.close().catch(() => undefined);
          throw err;
        }
      }
    }
    for (const writers of WRITERS) {
      for (const variant of ['mjbot', 'naive'] as const) {
        const keyPrefix = `${prefix}-${variant}-${writers}`;
        let target: { save: Save; close: () => Promise<void> };
        try {
          if (variant === 'mjbot') {
            const store = await openStore(REDIS_URL, { prefix: keyPrefix });
            const records = new RecordStore(store);
            target = { save: (r) => records.save(r), close: () => store.close() };
          } else target = await naiveRedis(keyPrefix);
        } catch {
          rows.push(['redis 127.0.0.1', variant, writers, 'not run', '', '']);
          continue;
        }
        const { perSecond, saved } = await measure(target.save, writers, `${variant}-${writers}`);
        await target.close();
        raw[`redis ${variant} ${writers}`] = perSecond;
        rows.push(['redis 127.0.0.1', variant, writers, fmt(perSecond, 0), saved.length, '']);
        await removeKeys(keyPrefix);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    id: 'record-store',
    title: '8. Durable TaskRecord saves per second',
    columns: ['store', 'variant', 'concurrent saves', 'saves/s', 'saves made', 'lost after reopen'],
    rows,
    notes: [
      `Each row saves for ${RUN_MS / 1000} s (at most ${MAX_SAVES.toLocaleString('en')} saves) with 1, 64 or 256 loops that each await a save before the next; value = one TaskRecord with its last task snapshot (~2.5 KB of JSON), every save a new task.`,
      'mjbot: RecordStore.save = one Store.write of the record and its open-index entry. SQLite: WAL mode, synchronous=NORMAL (a resolved save survives a crash of the process, not a power cut before the next checkpoint), saves that arrive while a commit runs share the next one, checkpoints on a side connection every second. Redis: one MULTI/EXEC per save.',
      'naive: the save before the fix, two awaited keyv sets (record, then open entry), each its own SQLite transaction in the default rollback-journal mode (synchronous=FULL: disk syncs on every set); on Redis two SETs.',
      '"lost after reopen": open-index entries missing when the file is opened again after the run (must be 0). SQLite file on /tmp (the machine\'s disk).',
    ],
    raw,
  };
}

async function openKeys(path: string): Promise<Set<string>> {
  const { default: sqlite3 } = await import('sqlite3');
  const db = new sqlite3.Database(path);
  try {
    const rows = await new Promise<{ key: string }[]>((resolve, reject) => db.all("SELECT key FROM keyv WHERE key LIKE 'open:%'", (err, r) => (err ? reject(err) : resolve(r as { key: string }[]))));
    return new Set(rows.map((r) => r.key));
  } finally {
    db.close();
  }
}

async function removeKeys(keyPrefix: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
