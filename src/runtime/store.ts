/**
 * Persistent key-value state on keyv: embedded SQLite by default, Redis for several processes,
 * memory for tests. One `Store` with typed namespaces; values are JSON.
 */
import Keyv from 'keyv';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { BotError } from '../errors.js';
import type { KeyValue, Namespace, Store } from '../core/domain/ports.js';

export type { Namespace, Store };


/** Open the store named by STORE_URL (`sqlite://path`, `redis://…`, `memory://`). */
export async function openStore(url: string): Promise<Store> {
  const kind = url.slice(0, url.indexOf('://'));
  const factory = await backendFactory(kind, url);
  const spaces = new Map<Namespace, Keyv>();
  const space = (ns: Namespace): Keyv => {
    let k = spaces.get(ns);
    if (!k) {
      k = factory(ns);
      // keyv emits 'error' on backend trouble; without a listener Node would crash the process.
      k.on('error', () => undefined);
      spaces.set(ns, k);
    }
    return k;
  };
  return {
    kind: kind === 'rediss' ? 'redis' : kind,
    async get<T>(ns: Namespace, key: string) {
      return (await space(ns).get<T>(key)) ?? undefined;
    },
    async set<T>(ns: Namespace, key: string, value: T, ttlMs?: number) {
      const ok = await space(ns).set(key, value, ttlMs);
      if (ok === false) throw new BotError('INTERNAL', `store write failed (${ns})`);
    },
    async delete(ns: Namespace, key: string) {
      return space(ns).delete(key);
    },
    async *entries<T>(ns: Namespace) {
      const k = space(ns);
      if (!k.iterator) throw new BotError('INTERNAL', `store ${kind} cannot list entries`);
      for await (const [key, value] of k.iterator(undefined)) {
        if (value !== undefined) yield [stripPrefix(String(key), ns), value as T] as [string, T];
      }
    },
    async close() {
      await Promise.all([...spaces.values()].map((k) => k.disconnect().catch(() => undefined)));
      spaces.clear();
    },
  };
}

type Factory = (ns: Namespace) => Keyv;

async function backendFactory(kind: string, url: string): Promise<Factory> {
  if (kind === 'memory') {
    return (ns) => new Keyv({ store: new Map(), namespace: ns });
  }
  if (kind === 'sqlite') {
    const { default: KeyvSqlite } = await import('@keyv/sqlite');
    const path = url.slice('sqlite://'.length) || './data/mjbot.sqlite';
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    // keyv binds its namespace onto the backend object, so each namespace gets its own backend
    // (one SQLite connection each, same file, same table).
    return (ns) => new Keyv({ store: new KeyvSqlite({ uri: `sqlite://${path}`, busyTimeout: 5000 }), namespace: ns });
  }
  if (kind === 'redis' || kind === 'rediss') {
    const { default: KeyvRedis } = await import('@keyv/redis');
    return (ns) => new Keyv({ store: new KeyvRedis(url, { throwOnConnectError: true }), namespace: `mjbot:${ns}` });
  }
  throw new BotError('CONFIG_INVALID', `STORE_URL: unsupported scheme "${kind}"`);
}

/** Backends differ in whether iterated keys still carry the namespace prefix. */
function stripPrefix(key: string, ns: Namespace): string {
  for (const prefix of [`mjbot:${ns}:`, `${ns}:`]) if (key.startsWith(prefix)) return key.slice(prefix.length);
  return key;
}

/** One adapter's own key-value space (namespace 'adapter', keys prefixed with the adapter's name). */
export function adapterState(store: Store, name: string): KeyValue {
  const key = (k: string) => `${name}:${k}`;
  return {
    get: (k) => store.get('adapter', key(k)),
    set: (k, value, ttlMs) => store.set('adapter', key(k), value, ttlMs),
    delete: (k) => store.delete('adapter', key(k)),
  };
}
