/**
 * Transactions on SQLite: a connection of their own (keyv's SQLite adapter, used only for its
 * `query`). IMMEDIATE takes the write lock before reading, so every other connection — in this
 * process or another one on the same file — waits (busy timeout) instead of interleaving; an
 * attempt therefore never loses a race. Commits are synchronous=NORMAL like the writer's
 * (sqlite-writer.ts): in the log the operating system holds, so they survive the process being
 * killed, without a disk sync each.
 *
 * Attempts that queue up while one runs share the next `BEGIN IMMEDIATE … COMMIT`: their keys are
 * read with one query, each decides in turn over what the ones before it wrote (one that throws
 * writes nothing), and the final values are written with one statement. Taking the file's write
 * lock, the driver's round trips and the commit are paid once per batch, not once per attempt.
 * Each attempt resolves after the commit.
 */
import type { AtomicBackend, RawWrite } from './atomic.js';

type Query = (sql: string, ...params: unknown[]) => Promise<{ key: string; value: string }[]>;

interface Pending {
  keys: string[];
  decide: (raws: (string | undefined)[]) => Promise<RawWrite[]>;
  resolve: (committed: boolean) => void;
  reject: (err: unknown) => void;
}

/** Attempts per SQLite transaction at most (bounds how long other processes wait for the lock). */
const MAX_BATCH = 64;

export async function sqliteAtomic(path: string, busyTimeoutMs: number): Promise<AtomicBackend> {
  const { default: KeyvSqlite } = await import('@keyv/sqlite');
  const connection = new KeyvSqlite({ uri: `sqlite://${path}`, busyTimeout: busyTimeoutMs });
  const query = connection.query as unknown as Query;
  await query('PRAGMA synchronous = NORMAL');
  const queue: Pending[] = [];
  let draining = false;

  const batch = async (batch: Pending[]): Promise<void> => {
    const outcomes: unknown[] = [];
    try {
      await query('BEGIN IMMEDIATE');
      const values = await readAll(query, [...new Set(batch.flatMap((p) => p.keys))]);
      const changed = new Set<string>();
      for (const p of batch) outcomes.push(await decideOver(values, changed, p));
      await writeAll(query, [...changed].map((key) => [key, values.get(key)]));
      await query('COMMIT');
    } catch (err) {
      await query('ROLLBACK').catch(() => undefined);
      for (const p of batch) p.reject(err);
      return;
    }
    batch.forEach((p, i) => (outcomes[i] === undefined ? p.resolve(true) : p.reject(outcomes[i])));
  };

  const drain = async (): Promise<void> => {
    if (draining) return;
    draining = true;
    try {
      while (queue.length > 0) await batch(queue.splice(0, MAX_BATCH));
    } finally {
      draining = false;
    }
  };

  return {
    attempt(keys, decide) {
      return new Promise<boolean>((resolve, reject) => {
        queue.push({ keys, decide, resolve, reject });
        void drain();
      });
    },
    close: () => connection.disconnect(),
  };
}

/** Keys per statement (well under SQLite's limit on bound parameters). */
const CHUNK = 400;

async function readAll(query: Query, keys: string[]): Promise<Map<string, string | undefined>> {
  const values = new Map<string, string | undefined>(keys.map((k) => [k, undefined]));
  for (let i = 0; i < keys.length; i += CHUNK) {
    const part = keys.slice(i, i + CHUNK);
    for (const row of await query(`SELECT key, value FROM keyv WHERE key IN (${part.map(() => '?').join(',')})`, ...part)) values.set(row.key, row.value);
  }
  return values;
}

/** One attempt over the batch's values so far; its error if it threw (then it changed nothing). */
async function decideOver(values: Map<string, string | undefined>, changed: Set<string>, p: Pending): Promise<unknown> {
  try {
    const writes = await p.decide(p.keys.map((k) => values.get(k)));
    writes.forEach((w, i) => {
      if (!w) return;
      values.set(p.keys[i]!, 'delete' in w ? undefined : w.raw);
      changed.add(p.keys[i]!);
    });
    return undefined;
  } catch (err) {
    return err ?? new Error('transaction attempt failed');
  }
}

async function writeAll(query: Query, entries: [string, string | undefined][]): Promise<void> {
  const sets = entries.filter((e): e is [string, string] => e[1] !== undefined);
  const deletes = entries.filter((e) => e[1] === undefined).map(([k]) => k);
  for (let i = 0; i < sets.length; i += CHUNK) {
    const part = sets.slice(i, i + CHUNK);
    await query(`INSERT INTO keyv (key, value) VALUES ${part.map(() => '(?, ?)').join(',')} ON CONFLICT(key) DO UPDATE SET value = excluded.value`, ...part.flat());
  }
  for (let i = 0; i < deletes.length; i += CHUNK) {
    const part = deletes.slice(i, i + CHUNK);
    await query(`DELETE FROM keyv WHERE key IN (${part.map(() => '?').join(',')})`, ...part);
  }
}
