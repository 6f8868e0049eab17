/**
 * Writes to the SQLite store on a connection of their own, in WAL mode with synchronous=NORMAL:
 * a commit is appended to the write-ahead log without waiting for the disk, so a write that
 * resolved survives the process being killed (the operating system holds the log), though not a
 * power cut before the next checkpoint. Concurrent writes share one transaction (group commit).
 * The journal mode is a property of the file, so every other connection to it runs in WAL too.
 *
 * A commit is one `exec` (BEGIN … COMMIT as one script): the driver runs each call on a thread of
 * libuv's small pool, and a transaction spread over several calls would hold the write lock while
 * its next statement waits for a thread that other connections' busy waits may all be holding.
 */
import sqlite3 from 'sqlite3';
import { GroupCommit, lastPerKey, type RawOp } from './group-commit.js';

/**
 * Checkpoints (copying the log into the database file, with a disk sync) run on a connection of
 * their own every second, beside the commits instead of inside one; the commit that crosses
 * this many log pages (4 KiB each) still checkpoints itself, which bounds the log if they lag.
 */
const CHECKPOINT_EVERY_MS = 1000;
const AUTOCHECKPOINT_PAGES = 10_000;
/** The table exactly as keyv's SQLite adapter creates it (same file, same rows). */
const CREATE_TABLE = 'CREATE TABLE IF NOT EXISTS keyv(key VARCHAR(255) PRIMARY KEY, value TEXT )';

export interface SqliteWriter {
  write(ops: readonly RawOp[]): Promise<void>;
  close(): Promise<void>;
}

function openDb(path: string, busyTimeoutMs: number): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(path, (err) => {
      if (err) return reject(err);
      db.configure('busyTimeout', busyTimeoutMs);
      resolve(db);
    });
  });
}

const exec = (db: sqlite3.Database, sql: string): Promise<void> => new Promise((resolve, reject) => db.exec(sql, (err) => (err ? reject(err) : resolve())));
const close = (db: sqlite3.Database): Promise<void> => new Promise((resolve, reject) => db.close((err) => (err ? reject(err) : resolve())));

/** A SQL string literal. Values are JSON (control characters escaped), keys are ids: no NUL reaches here. */
const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/**
 * The whole group as one script: one transaction, one call into the driver. Built by `+=` (a rope
 * the driver flattens once): joining arrays of large two-byte strings (any emoji or CJK text in a
 * record makes its JSON one) costs several times more.
 */
export function commitScript(all: readonly RawOp[]): string {
  let sets = '';
  let deletes = '';
  for (const op of lastPerKey(all)) {
    if (op.key.includes('\0') || ('raw' in op && op.raw.includes('\0'))) throw new Error('NUL character in a store key or value');
    if ('raw' in op) sets += `${sets ? ', ' : ''}(${literal(op.key)}, ${literal(op.raw)})`;
    else deletes += `${deletes ? ', ' : ''}${literal(op.key)}`;
  }
  let script = 'BEGIN IMMEDIATE;\n';
  if (sets) script += `INSERT INTO keyv (key, value) VALUES ${sets} ON CONFLICT(key) DO UPDATE SET value = excluded.value;\n`;
  if (deletes) script += `DELETE FROM keyv WHERE key IN (${deletes});\n`;
  return `${script}COMMIT;`;
}

export async function sqliteWriter(path: string, busyTimeoutMs: number): Promise<SqliteWriter> {
  const db = await openDb(path, busyTimeoutMs);
  await exec(db, `PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}; ${CREATE_TABLE};`);
  const checkpoints = await openDb(path, busyTimeoutMs);
  let checkpointing: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    // PASSIVE never waits for writers or readers; a busy moment just leaves it to the next one.
    checkpointing ??= exec(checkpoints, 'PRAGMA wal_checkpoint(PASSIVE)')
      .catch(() => undefined)
      .finally(() => (checkpointing = undefined));
  }, CHECKPOINT_EVERY_MS);
  timer.unref();
  const group = new GroupCommit(async (ops) => {
    try {
      await exec(db, commitScript(ops));
    } catch (err) {
      // The script stopped part-way (e.g. the lock stayed busy): nothing of it may stay pending.
      await exec(db, 'ROLLBACK').catch(() => undefined);
      throw err;
    }
  });
  return {
    write: (ops) => group.write(ops),
    close: async () => {
      clearInterval(timer);
      await group.idle();
      await checkpointing;
      await Promise.all([close(db), close(checkpoints)]);
    },
  };
}
