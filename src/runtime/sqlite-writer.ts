/**
 * Writes to the SQLite store on a connection of their own, in WAL mode with synchronous=NORMAL:
 * a commit is appended to the write-ahead log without waiting for the disk, so a write that
 * resolved survives the process being killed (the operating system holds the log), though not a
 * power cut before the next checkpoint. Concurrent writes share one transaction (group commit).
 * The journal mode is a property of the file, so every other connection to it runs in WAL too.
 */
import { GroupCommit, lastPerKey, type RawOp } from './group-commit.js';

type Query = (sql: string, ...params: unknown[]) => Promise<{ key: string; value: string }[]>;

/** Rows per multi-row statement (two bound values each, well under SQLite's variable limit). */
const ROWS_PER_STATEMENT = 500;
/**
 * Checkpoints (copying the log into the database file, with a disk sync) run on a connection of
 * their own every second, beside the commits instead of inside one; the commit that crosses
 * this many log pages (4 KiB each) still checkpoints itself, which bounds the log if they lag.
 */
const CHECKPOINT_EVERY_MS = 1000;
const AUTOCHECKPOINT_PAGES = 10_000;

export interface SqliteWriter {
  write(ops: readonly RawOp[]): Promise<void>;
  close(): Promise<void>;
}

export async function sqliteWriter(path: string, busyTimeoutMs: number): Promise<SqliteWriter> {
  const { default: KeyvSqlite } = await import('@keyv/sqlite');
  // keyv's adapter only for its connection (it also creates the table the same way keyv does).
  const connection = new KeyvSqlite({ uri: `sqlite://${path}`, busyTimeout: busyTimeoutMs });
  const query = connection.query as unknown as Query;
  await query('PRAGMA journal_mode = WAL');
  await query('PRAGMA synchronous = NORMAL');
  await query(`PRAGMA wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  const checkpoints = new KeyvSqlite({ uri: `sqlite://${path}`, busyTimeout: busyTimeoutMs });
  let checkpointing: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    // PASSIVE never waits for writers or readers; a busy moment just leaves it to the next one.
    checkpointing ??= (checkpoints.query as unknown as Query)('PRAGMA wal_checkpoint(PASSIVE)')
      .catch(() => undefined)
      .finally(() => (checkpointing = undefined));
  }, CHECKPOINT_EVERY_MS);
  timer.unref();
  const commit = async (all: RawOp[]): Promise<void> => {
    const ops = lastPerKey(all);
    const sets = ops.filter((op): op is Extract<RawOp, { raw: string }> => 'raw' in op);
    const deletes = ops.filter((op) => 'delete' in op).map((op) => op.key);
    await query('BEGIN IMMEDIATE');
    try {
      for (let i = 0; i < sets.length; i += ROWS_PER_STATEMENT) {
        const rows = sets.slice(i, i + ROWS_PER_STATEMENT);
        await query(
          `INSERT INTO keyv (key, value) VALUES ${rows.map(() => '(?, ?)').join(', ')} ON CONFLICT(key) DO UPDATE SET value = excluded.value`,
          ...rows.flatMap((op) => [op.key, op.raw]),
        );
      }
      for (let i = 0; i < deletes.length; i += ROWS_PER_STATEMENT) {
        const keys = deletes.slice(i, i + ROWS_PER_STATEMENT);
        await query(`DELETE FROM keyv WHERE key IN (${keys.map(() => '?').join(', ')})`, ...keys);
      }
      await query('COMMIT');
    } catch (err) {
      await query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  };
  const group = new GroupCommit(commit);
  return {
    write: (ops) => group.write(ops),
    close: async () => {
      clearInterval(timer);
      await group.idle();
      await checkpointing;
      await Promise.all([connection.disconnect(), checkpoints.disconnect()]);
    },
  };
}
