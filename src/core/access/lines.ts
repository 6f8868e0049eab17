/**
 * The stored lines (line.ts): one small document per scope in the store's `line` namespace, and
 * per user the list of scopes where they have jobs, so that a transaction reads and writes only
 * the lines it is about — jobs in different chats are admitted in parallel, and a transaction
 * costs what its own chat holds, not what the whole store has in flight.
 *
 * Every change of a line goes through `change`, which also admits waiting jobs where a slot is
 * free and keeps each named user's list exact (a scope is listed iff the user has a job there),
 * so `check` can count a user's jobs in flight from the lines on their list alone.
 */
import type { Store, StoreKey, Transaction } from '../domain/ports.js';
import { keys } from './keys.js';
import { admit, emptyLine, hasJobsOf, isEmpty, pruneClock, purge, type BookJob, type LineState } from './line.js';
import type { LineClock } from './fair-queue.js';

/** An emptied line stays this long as a marker, so its version keeps counting up (see `stamp`). */
const EMPTY_KEEP_MS = 60_000;

export interface LineStoreDeps {
  store: Store;
  now: () => number;
  maxRunMs: number;
  /** CHAT_MAX_RUNNING. */
  cap: number;
  /** Every line read or written (for the processes' waiters). */
  seen: (scope: string, line: LineState) => void;
}

/** Thrown inside a transaction whose keys turned out to be the wrong ones: read again and retry. */
class KeysChanged extends Error {}

/** The single-document book of earlier versions (migrated by `migrate`). */
interface LegacyBook {
  jobs: Record<string, BookJob>;
  clocks: Record<string, LineClock>;
}

const LEGACY: StoreKey = ['meta', keys.book];

export class LineStore {
  constructor(private readonly deps: LineStoreDeps) {}

  async read(scope: string): Promise<LineState> {
    const line = (await this.deps.store.get<LineState>('line', scope)) ?? emptyLine();
    purge(line, this.deps.now(), this.deps.maxRunMs);
    this.deps.seen(scope, line);
    return line;
  }

  /** Every line with jobs in it. */
  async readAll(): Promise<Map<string, LineState>> {
    const all = new Map<string, LineState>();
    for await (const [scope, line] of this.deps.store.entries<LineState>('line')) {
      purge(line, this.deps.now(), this.deps.maxRunMs);
      this.deps.seen(scope, line);
      if (!isEmpty(line)) all.set(scope, line);
    }
    return all;
  }

  /** Scopes where `user` has (or, until their next check, recently had) jobs. */
  async scopesOf(user: string): Promise<string[]> {
    return (await this.deps.store.get<string[]>('meta', keys.linesOf(user))) ?? [];
  }

  /**
   * Change the lines of `scopes` (and `extra` keys) in one transaction; afterwards each admits its
   * next waiting jobs where a slot is free, and the scope lists of `users` are brought up to date.
   */
  async change<R>(
    scopes: readonly string[],
    users: readonly string[],
    extra: readonly StoreKey[],
    body: (lines: Map<string, LineState>, tx: Transaction) => R,
  ): Promise<{ result: R; lines: Map<string, LineState> }> {
    const lineKeys = scopes.map((s): StoreKey => ['line', s]);
    const userKeys = users.map((u): StoreKey => ['meta', keys.linesOf(u)]);
    const out = await this.deps.store.transact([...lineKeys, ...userKeys, ...extra], (tx) => {
      const now = this.deps.now();
      const lines = new Map<string, LineState>();
      const before = new Map<string, string>();
      for (const scope of scopes) {
        const stored = tx.get<LineState>('line', scope);
        if (stored) before.set(scope, JSON.stringify(stored));
        const line = stored ?? emptyLine();
        purge(line, now, this.deps.maxRunMs);
        lines.set(scope, line);
      }
      const result = body(lines, tx);
      for (const [scope, line] of lines) {
        admit(line, this.deps.cap, now);
        pruneClock(line);
        // A line only read (the user's other chats at a check) is not written: others need not hear of it.
        const was = before.get(scope);
        if (was === undefined ? isEmpty(line) : was === JSON.stringify(line)) continue;
        line.version = stamp(line.version);
        if (isEmpty(line)) tx.set('line', scope, { jobs: {}, version: line.version }, EMPTY_KEEP_MS);
        else tx.set('line', scope, line);
      }
      for (const user of users) syncScopes(tx, user, lines);
      return { result, lines };
    });
    for (const [scope, line] of out.lines) this.deps.seen(scope, line);
    return out;
  }

  /** `change` of one line, on behalf of `users` (whose jobs there it may add or remove). */
  async changeOne<R>(scope: string, users: readonly string[], extra: readonly StoreKey[], body: (line: LineState, tx: Transaction) => R): Promise<{ result: R; line: LineState }> {
    const { result, lines } = await this.change([scope], users, extra, (ls, tx) => body(ls.get(scope)!, tx));
    return { result, line: lines.get(scope)! };
  }

  /**
   * Change `user`'s lines — every scope on their list plus `scope` — reading the list inside the
   * transaction too, so a job of theirs added elsewhere meanwhile is counted (or the change retried).
   */
  async changeForUser<R>(user: string, scope: string, extra: readonly StoreKey[], body: (lines: Map<string, LineState>, tx: Transaction) => R): Promise<R> {
    for (;;) {
      const listed = await this.scopesOf(user);
      const scopes = [...new Set([scope, ...listed])];
      try {
        const { result } = await this.change(scopes, [user], extra, (lines, tx) => {
          const now = tx.get<string[]>('meta', keys.linesOf(user)) ?? [];
          if (now.some((s) => !lines.has(s))) throw new KeysChanged();
          return body(lines, tx);
        });
        return result;
      } catch (err) {
        if (!(err instanceof KeysChanged)) throw err;
      }
    }
  }

  /**
   * Move the single-document book of earlier versions (`access:book`) into per-chat lines, once:
   * jobs keep their state, owner and place in line, and each chat its line clock.
   */
  async migrate(): Promise<void> {
    for (;;) {
      const book = await this.deps.store.get<LegacyBook>(...LEGACY);
      if (!book) return;
      const jobs = Object.values(book.jobs ?? {});
      const scopes = [...new Set([...jobs.map((j) => j.scope), ...Object.keys(book.clocks ?? {})])];
      const users = [...new Set(jobs.map((j) => j.user))];
      try {
        await this.change(scopes, users, [LEGACY], (lines, tx) => {
          const now = tx.get<LegacyBook>(...LEGACY);
          if (!now) return;
          for (const job of Object.values(now.jobs ?? {})) {
            const line = lines.get(job.scope);
            if (!line || !users.includes(job.user)) throw new KeysChanged();
            line.jobs[job.id] ??= job;
          }
          for (const [scope, clock] of Object.entries(now.clocks ?? {})) {
            const line = lines.get(scope);
            if (line) line.clock ??= clock;
          }
          tx.delete(...LEGACY);
        });
        return;
      } catch (err) {
        if (!(err instanceof KeysChanged)) throw err;
      }
    }
  }
}

/**
 * A line's next version: one more than before, and at least the wall clock in µs — so a line
 * emptied and later created again (after its marker expired) still counts up for every process.
 */
function stamp(previous: number | undefined): number {
  return Math.max((previous ?? 0) + 1, Date.now() * 1000);
}

/** List `user` under each of `lines` exactly where they have a job. */
function syncScopes(tx: Transaction, user: string, lines: Map<string, LineState>): void {
  const key = keys.linesOf(user);
  const before = tx.get<string[]>('meta', key) ?? [];
  const next = new Set(before);
  for (const [scope, line] of lines) {
    if (hasJobsOf(line, user)) next.add(scope);
    else next.delete(scope);
  }
  if (next.size === before.length && before.every((s) => next.has(s))) return;
  if (next.size === 0) tx.delete('meta', key);
  else tx.set('meta', key, [...next]);
}
