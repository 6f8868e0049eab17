/**
 * Persistent key-value state on keyv: embedded SQLite by default, Redis for several processes,
 * memory for tests. One `Store` with typed namespaces; values are JSON. Atomic read-modify-write
 * (`transact`, which keyv lacks) goes to the backend directly, in keyv's own layout (atomic.ts).
 * A backend that cannot be reached fails at once with STORE_UNAVAILABLE (users are told so), never hangs.
 */
import Keyv from 'keyv';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { BotError } from '../errors.js';
import type { Logger } from '../log.js';
import { storeFailure, STARTUP_TIMEOUTS, withTimeout } from '../startup.js';
import { NAMESPACES, type KeyValue, type Namespace, type Store, type StoreWrite } from '../core/domain/ports.js';
import { envelopeCodec, KeyedSerial, memoryAtomic, runTransaction, type AtomicBackend } from './atomic.js';
import type { RawOp } from './group-commit.js';

export type { Namespace, Store };

/** A store as opened here: the port, plus a first round trip that proves it works. */
export interface OpenedStore extends Store {
  /** Write, read back and remove a fresh value; throws (with the backend's own error as cause) when that fails. */
  verify(): Promise<void>;
  /** The last error the backend reported (e.g. while it keeps trying to connect). */
  lastError(): unknown;
}

export interface StoreOptions {
  /** Redis only: the first part of every key, so several bots can share one Redis (default "mjbot"). */
  prefix?: string;
  /** Where backend connection trouble is reported. */
  logger?: Logger;
}

const SQLITE_BUSY_TIMEOUT_MS = 5000;
/** How long a command waits for a Redis store's first connection before it fails. */
const FIRST_CONNECT_MS = 5000;

/** Open the store named by STORE_URL (`sqlite://path`, `redis://…`, `memory://`). */
export async function openStore(url: string, opts: StoreOptions = {}): Promise<OpenedStore> {
  const kind = url.slice(0, url.indexOf('://'));
  // Backend trouble (keyv's 'error' events, the Redis client's): keep the last one as the cause.
  let lastError: unknown;
  let onError: ((err: unknown) => void) | undefined;
  const reportError = (err: unknown) => {
    lastError = err;
    onError?.(err);
  };
  const backend = await backendOf(kind, url, opts, reportError);
  const spaces = new Map<Namespace, Keyv>();
  const space = (ns: Namespace): Keyv => {
    let k = spaces.get(ns);
    if (!k) {
      k = backend.keyv(ns);
      // Without a listener Node would crash the process on keyv's 'error' event.
      k.on('error', reportError);
      spaces.set(ns, k);
    }
    return k;
  };
  const run = async <R>(ns: Namespace, op: (k: Keyv) => Promise<R>): Promise<R> => {
    try {
      await backend.ready?.();
      return await op(space(ns));
    } catch (err) {
      throw err instanceof BotError ? err : new BotError('STORE_UNAVAILABLE', `store ${kind} unavailable (${ns})`, {}, { cause: err });
    }
  };
  const codec = (ns: Namespace) => envelopeCodec((raw) => space(ns).deserialize!(raw));
  const write = async (ops: readonly StoreWrite[]): Promise<void> => {
    const raw = await Promise.all(
      ops.map(async (op): Promise<RawOp> => {
        const key = backend.physicalKey(op.ns, op.key);
        return 'delete' in op ? { key, delete: true } : { key, raw: await codec(op.ns).encode(op.value, op.ttlMs), ttlMs: op.ttlMs };
      }),
    );
    try {
      await backend.ready?.();
      await backend.write(raw);
    } catch (err) {
      throw err instanceof BotError ? err : new BotError('STORE_UNAVAILABLE', `store ${kind} unavailable (write)`, {}, { cause: err });
    }
  };
  // Transactions of this process on the same keys run one after another: they then only ever race
  // other processes. Transactions on different keys run side by side (SQLite batches them).
  const serial = new KeyedSerial();
  let atomic: Promise<AtomicBackend> | undefined;
  const store: OpenedStore = {
    kind: kind === 'rediss' ? 'redis' : kind,
    get<T>(ns: Namespace, key: string) {
      return run(ns, async (k) => (await k.get<T>(key)) ?? undefined);
    },
    async set<T>(ns: Namespace, key: string, value: T, ttlMs?: number) {
      // SQLite: through the group-committing writer, so concurrent sets share a commit.
      if (backend.writesThroughWriter) return write([{ ns, key, value, ttlMs }]);
      const ok = await run(ns, (k) => k.set(key, value, ttlMs));
      if (ok === false) throw new BotError('STORE_UNAVAILABLE', `store write failed (${ns})`);
    },
    async delete(ns: Namespace, key: string) {
      if (!backend.writesThroughWriter) return run(ns, (k) => k.delete(key));
      // SQLite: only the writer connection writes (see sqlite-writer.ts for why).
      const existed = await run(ns, (k) => k.has(key));
      await write([{ ns, key, delete: true }]);
      return existed;
    },
    write,
    async *entries<T>(ns: Namespace) {
      await run(ns, async () => undefined);
      const k = space(ns);
      if (!k.iterator) throw new BotError('INTERNAL', `store ${kind} cannot list entries`);
      try {
        for await (const [key, value] of k.iterator(undefined)) {
          if (value !== undefined) yield [backend.stripPrefix(String(key), ns), value as T] as [string, T];
        }
      } catch (err) {
        throw new BotError('STORE_UNAVAILABLE', `store ${kind} unavailable (${ns})`, {}, { cause: err });
      }
    },
    transact(keys, body) {
      atomic ??= backend.atomic();
      return serial.run(keys.map(([ns, key]) => `${ns}\u0000${key}`), async () => runTransaction({ backend: await atomic!, physicalKey: backend.physicalKey, codec }, keys, body));
    },
    async close() {
      await Promise.all([...spaces.values()].map((k) => k.disconnect().catch(() => undefined)));
      spaces.clear();
      if (atomic) await (await atomic).close().catch(() => undefined);
      await backend.close?.();
    },
    lastError: () => lastError,
    async verify() {
      const key = `verify:${randomUUID()}`;
      lastError = undefined;
      // The first error the backend reports fails the check at once (a Redis client would keep reconnecting).
      const failed = new Promise<never>((_, reject) => (onError = reject));
      const roundTrip = async () => {
        await store.set('meta', key, key, 60_000);
        if ((await store.get<string>('meta', key)) !== key) throw new BotError('INTERNAL', 'store round trip read back nothing');
        await store.delete('meta', key);
      };
      try {
        await Promise.race([roundTrip(), failed]);
      } catch (err) {
        throw new BotError('INTERNAL', `store ${kind} does not work`, {}, { cause: lastError ?? err });
      } finally {
        onError = undefined;
        failed.catch(() => undefined);
      }
    },
  };
  return store;
}

/** Open the store and prove it works with a round trip, within the start-up bound. */
export async function openWorkingStore(url: string, opts: StoreOptions = {}, timeoutMs: number = STARTUP_TIMEOUTS.storeMs): Promise<Store> {
  let opened: OpenedStore | undefined;
  return withTimeout(
    async (signal) => {
      const store = await openStore(url, opts).catch((err: unknown) => {
        throw storeFailure(url, err);
      });
      opened = store;
      try {
        await store.verify();
        return store;
      } catch (err) {
        void store.close().catch(() => undefined);
        throw storeFailure(url, err);
      } finally {
        // Timed out meanwhile: nobody will use or close this store.
        if (signal.aborted) void store.close().catch(() => undefined);
      }
    },
    timeoutMs,
    // A Redis client keeps reconnecting: its last error says why.
    () => storeFailure(url, opened?.lastError(), timeoutMs),
  );
}

/** One kind of backend: keyv per namespace, keyv's key layout, and transactions on the same data. */
interface Backend {
  keyv(ns: Namespace): Keyv;
  physicalKey(ns: Namespace, key: string): string;
  stripPrefix(key: string, ns: Namespace): string;
  atomic(): Promise<AtomicBackend>;
  /** `Store.write`: raw entries (keyv's layout and envelope) in one atomic write, resolved once durable. */
  write(ops: RawOp[]): Promise<void>;
  /** Plain sets go through `write` too (SQLite: shares the group commit). */
  writesThroughWriter?: boolean;
  /** Resolves once the backend can take commands; rejects when it cannot yet. */
  ready?: () => Promise<void>;
  close?: () => Promise<void>;
}

async function backendOf(kind: string, url: string, opts: StoreOptions, reportError: (err: unknown) => void): Promise<Backend> {
  // keyv prefixes each key with its namespace (`ns:key`); backends may add their own prefix on top.
  const plain = { physicalKey: (ns: Namespace, key: string) => `${ns}:${key}`, stripPrefix: (key: string, ns: Namespace) => strip(key, [`${ns}:`]) };
  if (kind === 'memory') {
    const maps = new Map<string, Map<string, unknown>>();
    const mapOf = (ns: string) => {
      let map = maps.get(ns);
      if (!map) maps.set(ns, (map = new Map()));
      return map;
    };
    const mapOfKey = (physical: string) => mapOf(physical.slice(0, physical.indexOf(':')));
    return {
      ...plain,
      keyv: (ns) => new Keyv({ store: mapOf(ns), namespace: ns }),
      atomic: async () => memoryAtomic(mapOfKey),
      write: async (ops) => {
        for (const op of ops) {
          if ('delete' in op) mapOfKey(op.key).delete(op.key);
          else mapOfKey(op.key).set(op.key, op.raw);
        }
      },
    };
  }
  if (kind === 'sqlite') {
    const { default: KeyvSqlite } = await import('@keyv/sqlite');
    const path = url.slice('sqlite://'.length) || './data/mjbot.sqlite';
    if (path !== ':memory:') makeFolders(dirname(resolve(path)));
    const { sqliteAtomic } = await import('./atomic-sqlite.js');
    const { sqliteWriter } = await import('./sqlite-writer.js');
    // Opened first: it puts the file in WAL mode before keyv's connections open it.
    const writer = await sqliteWriter(path, SQLITE_BUSY_TIMEOUT_MS);
    return {
      ...plain,
      write: (ops) => writer.write(ops),
      writesThroughWriter: true,
      close: () => writer.close(),
      // keyv binds its namespace onto the backend object, so each namespace gets its own backend
      // (one SQLite connection each, same file, same table).
      keyv: (ns) => new Keyv({ store: new KeyvSqlite({ uri: `sqlite://${path}`, busyTimeout: SQLITE_BUSY_TIMEOUT_MS }), namespace: ns }),
      atomic: () => sqliteAtomic(path, SQLITE_BUSY_TIMEOUT_MS),
    };
  }
  if (kind === 'redis' || kind === 'rediss') {
    const { default: KeyvRedis, createClient } = await import('@keyv/redis');
    const { redisAtomic } = await import('./atomic-redis.js');
    const prefix = opts.prefix ?? 'mjbot';
    // keyv's namespace is `<prefix>:<ns>`; the Redis adapter puts it in front again, joined by "::".
    const namespace = (ns: Namespace) => `${prefix}:${ns}`;
    // One client for every namespace. No offline queue: while Redis is away a command fails at
    // once (STORE_UNAVAILABLE) instead of waiting; the client reconnects by itself. Before its
    // first connection a command waits for it a moment, so start-up does not race the connect.
    const client = createClient({ url, disableOfflineQueue: true, socket: { reconnectStrategy: (attempt: number) => Math.min(2 ** attempt * 100, 2000) } });
    client.on('error', reportError);
    client.setMaxListeners(4 * NAMESPACES.length);
    let connected = false;
    const connecting = client.connect().then(() => {
      connected = true;
    });
    connecting.catch(() => undefined);
    return {
      keyv: (ns) => new Keyv({ store: new KeyvRedis(client, { throwOnConnectError: true, throwOnErrors: true }), namespace: namespace(ns), throwOnErrors: true }),
      physicalKey: (ns, key) => `${namespace(ns)}::${namespace(ns)}:${key}`,
      stripPrefix: (key, ns) => strip(key, [`${namespace(ns)}:`, `${ns}:`]),
      atomic: async () => redisAtomic(url, opts.logger),
      ready: () => (connected ? Promise.resolve() : within(connecting, FIRST_CONNECT_MS)),
      // MULTI/EXEC: every entry lands in one step; durable as far as Redis's own persistence is.
      write: async (ops) => {
        const multi = client.multi();
        for (const op of ops) {
          if ('delete' in op) multi.addCommand(['DEL', op.key]);
          else if (op.ttlMs) multi.addCommand(['SET', op.key, op.raw, 'PX', String(Math.ceil(op.ttlMs))]);
          else multi.addCommand(['SET', op.key, op.raw]);
        }
        await multi.exec();
      },
      close: async () => {
        if (client.isOpen) client.destroy();
      },
    };
  }
  throw new BotError('CONFIG_INVALID', `STORE_URL: unsupported scheme "${kind}"`);
}

/** `connecting`, but no longer than `ms`. */
async function within(connecting: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BotError('STORE_UNAVAILABLE', `Redis not connected after ${ms / 1000} s`)), ms);
    timer.unref?.();
  });
  try {
    await Promise.race([connecting, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `mkdir -p` one level at a time: Node's recursive mkdir never returns for a path under /proc
 * (it retries the ENOENT forever), which would freeze start-up instead of failing it.
 */
function makeFolders(dir: string): void {
  const missing: string[] = [];
  for (let at = dir; !existsSync(at) && dirname(at) !== at; at = dirname(at)) missing.unshift(at);
  for (const folder of missing) mkdirSync(folder);
}

/** Backends differ in whether iterated keys still carry the namespace prefix. */
function strip(key: string, prefixes: string[]): string {
  for (const prefix of prefixes) if (key.startsWith(prefix)) return key.slice(prefix.length);
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
