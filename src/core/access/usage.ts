/**
 * Stored counters: successes per user per UTC day, extra quota granted by admins, blocked
 * users, daily statistics, and each chat's recent finished images (for /gallery). Every change
 * is a store transaction, so processes sharing the store never lose one another's counts.
 */
import type { DayStats, UserDayUsage } from '../domain/access-types.js';
import type { Store, StoreKey, Transaction } from '../domain/ports.js';
import { DAY_MS, dayOf, keys } from './keys.js';

export type { DayStats };

interface GalleryEntry {
  taskId: string;
  at: number;
}

const GALLERY_KEEP = 50;

/**
 * A day's statistics are split by user over this many documents, so the submits and outcomes of
 * different users rarely touch the same one (and none grows with every user of the day).
 */
const STATS_SHARDS = 32;

function statsKey(now: number, user: string): string {
  let hash = 0;
  for (let i = 0; i < user.length; i++) hash = (hash * 31 + user.charCodeAt(i)) >>> 0;
  return keys.statsShard(dayOf(now), hash % STATS_SHARDS);
}

export class UsageBook {
  constructor(
    private readonly store: Store,
    private readonly now: () => number,
  ) {}

  /** Successful jobs of `user` today (UTC). */
  async used(user: string): Promise<number> {
    return (await this.store.get<number>('meta', keys.used(dayOf(this.now()), user))) ?? 0;
  }

  /** Extra drawings granted by admins, spent once the daily quota is used up. */
  async extra(user: string): Promise<number> {
    return (await this.store.get<number>('meta', keys.extra(user))) ?? 0;
  }

  /** Add (or with a negative `n`, take away) extra drawings; returns the new balance (≥ 0). */
  grant(user: string, n: number): Promise<number> {
    return this.store.transact([['meta', keys.extra(user)]], (tx) => {
      const next = Math.max(0, (tx.get<number>('meta', keys.extra(user)) ?? 0) + n);
      tx.set('meta', keys.extra(user), next);
      return next;
    });
  }

  async isBlocked(user: string): Promise<boolean> {
    return (await this.store.get<{ at: number }>('meta', keys.blocked(user))) !== undefined;
  }

  async block(user: string, by: string): Promise<void> {
    await this.store.set('meta', keys.blocked(user), { at: this.now(), by });
  }

  unblock(user: string): Promise<boolean> {
    return this.store.delete('meta', keys.blocked(user));
  }

  /** The day's statistics: its shards added up (and the single document kept by earlier versions). */
  async stats(day = dayOf(this.now())): Promise<DayStats> {
    const names = [keys.stats(day), ...Array.from({ length: STATS_SHARDS }, (_, i) => keys.statsShard(day, i))];
    const parts = await Promise.all(names.map((name) => this.store.get<DayStats>('meta', name)));
    const total = emptyStats();
    for (const part of parts) {
      if (!part) continue;
      total.submitted += part.submitted;
      total.successes += part.successes;
      total.failures += part.failures;
      total.refused += part.refused;
      for (const [user, u] of Object.entries(part.users)) {
        const entry = userEntry(total, user, u.name);
        entry.submitted += u.submitted;
        entry.successes += u.successes;
      }
    }
    return total;
  }

  /** The chat's finished task ids since `sinceMs` ago, newest first. */
  async gallery(chatKey: string, sinceMs: number, limit: number): Promise<string[]> {
    const list = (await this.store.get<GalleryEntry[]>('meta', keys.gallery(chatKey))) ?? [];
    const oldest = this.now() - sinceMs;
    return list.filter((e) => e.at >= oldest).reverse().slice(0, limit).map((e) => e.taskId);
  }
}

/** The keys `countSubmit` changes for a job of `user`. */
export function submitKeys(now: number, user: string): StoreKey[] {
  return [['meta', statsKey(now, user)]];
}

/** Inside a transaction: the proxy accepted (`accepted`) or refused a submit. */
export function countSubmit(tx: Transaction, now: number, user: string, name: string, accepted: boolean): void {
  changeStats(tx, statsKey(now, user), (stats) => {
    if (!accepted) {
      stats.refused += 1;
      return;
    }
    stats.submitted += 1;
    userEntry(stats, user, name).submitted += 1;
  });
}

export interface Outcome {
  taskId: string;
  user: string;
  name: string;
  success: boolean;
  /** A success with an image for the chat's gallery. */
  drawn: boolean;
  chatKey: string;
  dailyQuota: number;
}

/** The keys `countOutcome` reads and changes. */
export function outcomeKeys(o: Outcome, now: number): StoreKey[] {
  const day = dayOf(now);
  return [keys.done(o.taskId), keys.used(day, o.user), keys.extra(o.user), statsKey(now, o.user), keys.gallery(o.chatKey)].map((k) => ['meta', k] as const);
}

/**
 * Inside a transaction: a task ended. Only a success is counted against the quota (failures are
 * refunded by never being counted); past the daily quota a success spends one extra drawing.
 * A task already counted (a final update delivered twice) changes nothing.
 */
export function countOutcome(tx: Transaction, o: Outcome, now: number): void {
  if (tx.get<number>('meta', keys.done(o.taskId))) return;
  tx.set('meta', keys.done(o.taskId), 1, 2 * DAY_MS);
  if (o.success) {
    const usedKey = keys.used(dayOf(now), o.user);
    const used = (tx.get<number>('meta', usedKey) ?? 0) + 1;
    tx.set('meta', usedKey, used, 2 * DAY_MS);
    const extra = tx.get<number>('meta', keys.extra(o.user)) ?? 0;
    if (o.dailyQuota > 0 && used > o.dailyQuota && extra > 0) tx.set('meta', keys.extra(o.user), extra - 1);
  }
  changeStats(tx, statsKey(now, o.user), (stats) => {
    if (o.success) {
      stats.successes += 1;
      userEntry(stats, o.user, o.name).successes += 1;
    } else stats.failures += 1;
  });
  if (o.success && o.drawn) {
    const list = tx.get<GalleryEntry[]>('meta', keys.gallery(o.chatKey)) ?? [];
    list.push({ taskId: o.taskId, at: now });
    tx.set('meta', keys.gallery(o.chatKey), list.slice(-GALLERY_KEEP), 2 * DAY_MS);
  }
}

function changeStats(tx: Transaction, key: string, change: (stats: DayStats) => void): void {
  const stats = tx.get<DayStats>('meta', key) ?? emptyStats();
  change(stats);
  tx.set('meta', key, stats, 8 * DAY_MS);
}

function emptyStats(): DayStats {
  return { submitted: 0, successes: 0, failures: 0, refused: 0, users: {} };
}

function userEntry(stats: DayStats, user: string, name: string): UserDayUsage {
  const entry = (stats.users[user] ??= { name, submitted: 0, successes: 0 });
  entry.name = name;
  return entry;
}
