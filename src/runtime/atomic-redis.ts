/**
 * Transactions on Redis: read with MGET, decide, then commit with one Lua script that writes only
 * if every key still holds the value that was read (compare-and-set). A script runs atomically
 * in Redis, so two processes deciding on the same keys cannot both commit; the loser reads again.
 * No WATCH, so one connection serves any number of concurrent transactions.
 */
import { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import type { AtomicBackend } from './atomic.js';

/** ARGV per key: expected present (1/0), expected raw, op (s = set, d = delete, k = keep), new raw, ttl ms. */
const COMPARE_AND_SET = `
for i = 1, #KEYS do
  local b = (i - 1) * 5
  local current = redis.call('GET', KEYS[i])
  if ARGV[b + 1] == '1' then
    if current ~= ARGV[b + 2] then return 0 end
  elseif current then
    return 0
  end
end
for i = 1, #KEYS do
  local b = (i - 1) * 5
  local op = ARGV[b + 3]
  if op == 's' then
    local ttl = tonumber(ARGV[b + 5])
    if ttl and ttl > 0 then redis.call('SET', KEYS[i], ARGV[b + 4], 'PX', ttl) else redis.call('SET', KEYS[i], ARGV[b + 4]) end
  elseif op == 'd' then
    redis.call('DEL', KEYS[i])
  end
end
return 1
`;

type CasClient = Redis & { compareAndSet(numKeys: number, ...keysAndArgs: string[]): Promise<number> };

export function redisAtomic(url: string, logger?: Logger): AtomicBackend {
  const client = new Redis(url, { maxRetriesPerRequest: 2 }) as CasClient;
  // Sent once, then called by its SHA (ioredis falls back to EVAL when Redis lost it).
  client.defineCommand('compareAndSet', { lua: COMPARE_AND_SET });
  // Without a listener ioredis reports connection trouble as an unhandled 'error' event.
  client.on('error', (err: Error) => logger?.warn({ err: { message: err.message } }, 'store transactions: Redis connection error'));
  return {
    async attempt(keys, decide) {
      const raws = (await client.mget(...keys)).map((v) => v ?? undefined);
      const writes = await decide(raws);
      if (writes.every((w) => !w)) return true; // read-only: MGET already was one consistent snapshot
      const args = keys.flatMap((_, i) => {
        const w = writes[i];
        const expected = raws[i];
        const op = !w ? ['k', '', '0'] : 'delete' in w ? ['d', '', '0'] : ['s', w.raw, String(Math.ceil(w.ttlMs ?? 0))];
        return [expected === undefined ? '0' : '1', expected ?? '', ...op];
      });
      return (await client.compareAndSet(keys.length, ...keys, ...args)) === 1;
    },
    async close() {
      client.disconnect();
    },
  };
}
