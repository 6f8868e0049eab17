/**
 * `Store.transact` on top of a backend's raw values. keyv has no atomic read-modify-write, so
 * each backend offers one `attempt`: read the raw (serialized) values of some keys, let the
 * caller decide, and write the decision only if nobody changed those keys meanwhile (Redis: a
 * compare-and-set script; memory: a synchronous compare; SQLite: the whole attempt inside one
 * `BEGIN IMMEDIATE` transaction). Raw values use keyv's own envelope (`{value, expires}`) and
 * key layout, so keyv's `get`/`set` and transactions see the same data.
 */
import { BotError } from '../errors.js';
import type { Namespace, StoreKey, Transaction } from '../core/domain/ports.js';

/** What to do with one key: write a new raw value, delete it, or leave it (undefined). */
export type RawWrite = { raw: string; ttlMs?: number } | { delete: true } | undefined;

export interface AtomicBackend {
  /** Apply `decide`'s writes atomically; false when another writer changed the keys first (try again). */
  attempt(keys: string[], decide: (raws: (string | undefined)[]) => Promise<RawWrite[]>): Promise<boolean>;
  close(): Promise<void>;
}

/** keyv's envelope codec for one namespace. */
export interface ValueCodec {
  encode(value: unknown, ttlMs?: number): Promise<string>;
  /** undefined for a missing or expired value. */
  decode(raw: string | undefined): Promise<unknown>;
}

/** A string value starting with ":" in compact JSON (keyv escapes those, and writes Buffers so). */
const ESCAPED_STRING = /[[,:]":/;

/**
 * keyv's envelope (`{value, expires}`, strings starting with ":" escaped with one more) in native
 * JSON, which is several times faster than keyv's own serializer on a large document; values are
 * JSON, as the Store promises. Raw values with an escaped string go through keyv's `deserialize`.
 */
export function envelopeCodec(keyvDeserialize: (raw: string) => unknown): ValueCodec {
  return {
    async encode(value, ttlMs) {
      const envelope = { value, expires: ttlMs ? Date.now() + ttlMs : undefined };
      // Without a replacer JSON.stringify is several times faster; only a value that has a string
      // starting with ":" (seen in compact JSON as ESCAPED_STRING) needs keyv's escaping.
      const plain = JSON.stringify(envelope);
      if (!ESCAPED_STRING.test(plain)) return plain;
      return JSON.stringify(envelope, (_key, v: unknown) => (typeof v === 'string' && v.startsWith(':') ? `:${v}` : v));
    },
    async decode(raw) {
      if (raw === undefined) return undefined;
      const data = (ESCAPED_STRING.test(raw) ? await keyvDeserialize(raw) : JSON.parse(raw)) as { value?: unknown; expires?: number | null } | null;
      if (!data || (typeof data.expires === 'number' && Date.now() > data.expires)) return undefined;
      return data.value ?? undefined;
    },
  };
}

export interface TransactionDeps {
  backend: AtomicBackend;
  /** The backend's key for a store key (keyv's layout). */
  physicalKey: (ns: Namespace, key: string) => string;
  codec: (ns: Namespace) => ValueCodec;
}

/** Attempts before a transaction gives up (only reached under heavy, sustained contention). */
const MAX_ATTEMPTS = 200;

/** Run `body` over `keys` until it commits without a conflict. */
export async function runTransaction<R>(deps: TransactionDeps, keys: readonly StoreKey[], body: (tx: Transaction) => R): Promise<R> {
  const index = new Map(keys.map(([ns, key], i) => [slot(ns, key), i]));
  const physical = keys.map(([ns, key]) => deps.physicalKey(ns, key));
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    let result: R | undefined;
    const committed = await deps.backend.attempt(physical, async (raws) => {
      const values = await Promise.all(keys.map(([ns], i) => deps.codec(ns).decode(raws[i])));
      const writes: ({ value: unknown; ttlMs?: number } | { delete: true } | undefined)[] = keys.map(() => undefined);
      const at = (ns: Namespace, key: string): number => {
        const i = index.get(slot(ns, key));
        if (i === undefined) throw new BotError('INTERNAL', `transaction touched an undeclared key (${ns})`);
        return i;
      };
      const tx: Transaction = {
        get: <T>(ns: Namespace, key: string) => {
          const w = writes[at(ns, key)];
          if (w) return 'delete' in w ? undefined : (w.value as T);
          return values[at(ns, key)] as T | undefined;
        },
        set: (ns, key, value, ttlMs) => void (writes[at(ns, key)] = { value, ttlMs }),
        delete: (ns, key) => void (writes[at(ns, key)] = { delete: true }),
      };
      result = body(tx);
      return Promise.all(
        writes.map(async (w, i): Promise<RawWrite> => {
          if (!w) return undefined;
          if ('delete' in w) return raws[i] === undefined ? undefined : w;
          return { raw: await deps.codec(keys[i]![0]).encode(w.value, w.ttlMs), ttlMs: w.ttlMs };
        }),
      );
    });
    if (committed) return result as R;
    // Lost a race with another process: back off a little (randomly, so two do not collide again).
    await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));
  }
  throw new BotError('INTERNAL', 'store transaction kept conflicting');
}

function slot(ns: Namespace, key: string): string {
  return `${ns}\u0000${key}`;
}

/** Transactions on the memory backend: the maps keyv keeps per namespace, compared and written synchronously. */
export function memoryAtomic(mapOf: (physicalKey: string) => Map<string, unknown>): AtomicBackend {
  return {
    async attempt(keys, decide) {
      const read = keys.map((k) => mapOf(k).get(k));
      const raws = read.map((v) => (typeof v === 'string' ? v : undefined));
      const writes = await decide(raws);
      // Between the read and now other code may have run: commit only if nothing changed.
      if (keys.some((k, i) => mapOf(k).get(k) !== read[i])) return false;
      keys.forEach((k, i) => {
        const w = writes[i];
        if (!w) return;
        if ('delete' in w) mapOf(k).delete(k);
        else mapOf(k).set(k, w.raw);
      });
      return true;
    },
    async close() {},
  };
}

/**
 * Runs async steps one at a time per key: a step waits for the earlier steps that share a key
 * with it (so transactions of one process on the same keys queue up instead of colliding), while
 * steps on different keys run side by side.
 */
export class KeyedSerial {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(keys: readonly string[], step: () => Promise<T>): Promise<T> {
    const before = keys.map((k) => this.tails.get(k)).filter((p) => p !== undefined);
    const result = Promise.allSettled(before).then(step);
    const tail = result.catch(() => undefined);
    for (const k of keys) this.tails.set(k, tail);
    void tail.then(() => {
      for (const k of keys) if (this.tails.get(k) === tail) this.tails.delete(k);
    });
    return result;
  }
}
