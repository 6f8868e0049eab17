/**
 * `Store.transact` on every backend: it sees and writes the same data as get/set (keyv's layout
 * and envelope, TTLs included), and concurrent read-modify-writes from two connections — as two
 * processes would have — never lose an update, also when many run at once on many keys.
 */
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/runtime/store.js';
import { testRedisUrl } from '../helpers/redis.js';
import { tempDir } from './harness.js';

const REDIS_URL = testRedisUrl(12);
const opened: Store[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

async function open(url: string, prefix?: string): Promise<Store> {
  const store = await openStore(url, { prefix });
  opened.push(store);
  return store;
}

async function urlFor(backend: string): Promise<string> {
  if (backend === 'sqlite') return `sqlite://${join(tempDir('mjbot-tx-'), 'tx.sqlite')}`;
  if (backend === 'redis') {
    const redis = new Redis(REDIS_URL);
    await redis.flushdb();
    redis.disconnect();
    return REDIS_URL;
  }
  return 'memory://';
}

describe.each(['memory', 'sqlite', 'redis'])('Store.transact on %s', (backend) => {
  it('reads what set wrote and writes what get reads, including deletes and expiry', async () => {
    const store = await open(await urlFor(backend));
    await store.set('meta', 'greeting', { text: ':colon first', n: 1 });
    await store.set('meta', 'short-lived', 'gone soon', 30);
    await new Promise((r) => setTimeout(r, 60));
    const seen = await store.transact(
      [
        ['meta', 'greeting'],
        ['meta', 'short-lived'],
        ['meta', 'fresh'],
        ['task', 'old'],
      ],
      (tx) => {
        const greeting = tx.get<{ text: string; n: number }>('meta', 'greeting');
        tx.set('meta', 'greeting', { ...greeting!, n: greeting!.n + 1 });
        tx.set('meta', 'fresh', 'brand new', 60_000);
        tx.delete('task', 'old');
        return { greeting, expired: tx.get('meta', 'short-lived'), fresh: tx.get('meta', 'fresh') };
      },
    );
    expect(seen).toEqual({ greeting: { text: ':colon first', n: 1 }, expired: undefined, fresh: 'brand new' });
    expect(await store.get('meta', 'greeting')).toEqual({ text: ':colon first', n: 2 });
    expect(await store.get('meta', 'fresh')).toBe('brand new');
  });

  it('refuses a key the transaction did not declare, and writes nothing when its body throws', async () => {
    const store = await open(await urlFor(backend));
    await expect(store.transact([['meta', 'a']], (tx) => tx.get('meta', 'b'))).rejects.toThrow(/undeclared/);
    await expect(
      store.transact([['meta', 'a']], (tx) => {
        tx.set('meta', 'a', 1);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await store.get('meta', 'a')).toBeUndefined();
  });

  it('loses no increment when two connections count concurrently', async () => {
    const url = await urlFor(backend);
    const first = await open(url);
    // Memory stores are per process, so there the two "connections" are one store.
    const second = backend === 'memory' ? first : await open(url);
    const increment = (store: Store) => store.transact([['meta', 'counter']], (tx) => tx.set('meta', 'counter', (tx.get<number>('meta', 'counter') ?? 0) + 1));
    await Promise.all(Array.from({ length: 40 }, (_, i) => increment(i % 2 ? second : first)));
    expect(await first.get('meta', 'counter')).toBe(40);
  });

  it('commits every transaction of a burst on many keys at once, and the ones that throw among them change nothing', async () => {
    const url = await urlFor(backend);
    const first = await open(url);
    const second = backend === 'memory' ? first : await open(url);
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) =>
        (i % 2 ? second : first).transact(
          [
            ['meta', `own-${i}`],
            ['meta', `group-${i % 6}`],
          ],
          (tx) => {
            tx.set('meta', `own-${i}`, i);
            tx.set('meta', `group-${i % 6}`, (tx.get<number>('meta', `group-${i % 6}`) ?? 0) + 1);
            if (i % 4 === 0) throw new Error(`no ${i}`);
          },
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(15);
    // Groups 0, 2, 4 lost every other one to a throw (i % 4 === 0), groups 1, 3, 5 none.
    for (let g = 0; g < 6; g++) expect(await first.get('meta', `group-${g}`)).toBe(g % 2 ? 10 : 5);
    for (let i = 0; i < 60; i++) expect(await second.get('meta', `own-${i}`)).toBe(i % 4 === 0 ? undefined : i);
  });
});

describe('Store key prefix on Redis', () => {
  it('keeps two prefixes apart on one database and writes every key under its prefix', async () => {
    const url = await urlFor('redis');
    const alpha = await open(url, 'alpha');
    const beta = await open(url, 'beta');
    await alpha.set('meta', 'secret', 'a');
    await alpha.transact([['meta', 'count']], (tx) => tx.set('meta', 'count', 1));
    expect(await beta.get('meta', 'secret')).toBeUndefined();
    expect(await beta.transact([['meta', 'count']], (tx) => tx.get('meta', 'count'))).toBeUndefined();
    const redis = new Redis(url);
    const keys = await redis.keys('*');
    redis.disconnect();
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((k) => !k.startsWith('alpha:'))).toEqual([]);
  });
});
