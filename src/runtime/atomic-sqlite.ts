/**
 * Transactions on SQLite: a connection of their own (keyv's SQLite adapter, used only for its
 * `query`), one `BEGIN IMMEDIATE … COMMIT` per attempt. IMMEDIATE takes the write lock before
 * reading, so every other connection — in this process or another one on the same file — waits
 * (busy timeout) instead of interleaving; an attempt therefore never loses a race.
 */
import type { AtomicBackend } from './atomic.js';
import { Serial } from './atomic.js';

type Query = (sql: string, ...params: unknown[]) => Promise<{ key: string; value: string }[]>;

export async function sqliteAtomic(path: string, busyTimeoutMs: number): Promise<AtomicBackend> {
  const { default: KeyvSqlite } = await import('@keyv/sqlite');
  const connection = new KeyvSqlite({ uri: `sqlite://${path}`, busyTimeout: busyTimeoutMs });
  const query = connection.query as unknown as Query;
  // One connection runs one transaction at a time.
  const serial = new Serial();
  return {
    attempt(keys, decide) {
      return serial.run(async () => {
        await query('BEGIN IMMEDIATE');
        try {
          const rows = await query(`SELECT key, value FROM keyv WHERE key IN (${keys.map(() => '?').join(',')})`, ...keys);
          const found = new Map(rows.map((r) => [r.key, r.value]));
          const writes = await decide(keys.map((k) => found.get(k)));
          for (const [i, w] of writes.entries()) {
            if (!w) continue;
            if ('delete' in w) await query('DELETE FROM keyv WHERE key = ?', keys[i]);
            else await query('INSERT INTO keyv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value', keys[i], w.raw);
          }
          await query('COMMIT');
          return true;
        } catch (err) {
          await query('ROLLBACK').catch(() => undefined);
          throw err;
        }
      });
    },
    close: () => connection.disconnect(),
  };
}
