/**
 * Stored counters: successes per user per UTC day, extra quota granted by admins, blocked
 * users, daily statistics, and each chat's recent finished images (for /gallery).
 */
import type { DayStats, UserDayUsage } from '../domain/access-types.js';
import type { Store } from '../domain/ports.js';
import { DAY_MS, dayOf, keys, Serial } from './keys.js';

export type { DayStats };

interface GalleryEntry {
  taskId: string;
  at: number;
}

const GALLERY_KEEP = 50;

export class UsageBook {
  private readonly serial = new Serial();

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
    return this.serial.run(async () => {
      const next = Math.max(0, (await this.extra(user)) + n);
      await this.store.set('meta', keys.extra(user), next);
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

  /** The proxy accepted (`accepted`) or refused a submit. */
  submitted(user: string, name: string, accepted: boolean): Promise<void> {
    return this.changeStats((stats) => {
      if (!accepted) {
        stats.refused += 1;
        return;
      }
      stats.submitted += 1;
      userEntry(stats, user, name).submitted += 1;
    });
  }

  /**
   * A task ended. Only a success is counted against the quota (failures are refunded by never
   * being counted); past the daily quota a success spends one extra drawing. Returns false if
   * this task was already counted (a final update delivered twice).
   */
  finished(taskId: string, user: string, name: string, success: boolean, dailyQuota: number): Promise<boolean> {
    return this.serial.run(async () => {
      if (await this.store.get<number>('meta', keys.done(taskId))) return false;
      await this.store.set('meta', keys.done(taskId), 1, 2 * DAY_MS);
      if (success) {
        const usedKey = keys.used(dayOf(this.now()), user);
        const used = ((await this.store.get<number>('meta', usedKey)) ?? 0) + 1;
        await this.store.set('meta', usedKey, used, 2 * DAY_MS);
        const extra = await this.extra(user);
        if (dailyQuota > 0 && used > dailyQuota && extra > 0) await this.store.set('meta', keys.extra(user), extra - 1);
      }
      await this.changeStatsNow((stats) => {
        if (success) {
          stats.successes += 1;
          userEntry(stats, user, name).successes += 1;
        } else stats.failures += 1;
      });
      return true;
    });
  }

  async stats(day = dayOf(this.now())): Promise<DayStats> {
    return (await this.store.get<DayStats>('meta', keys.stats(day))) ?? emptyStats();
  }

  /** Remember a finished image of a chat (newest last). */
  addToGallery(chatKey: string, taskId: string): Promise<void> {
    return this.serial.run(async () => {
      const list = (await this.store.get<GalleryEntry[]>('meta', keys.gallery(chatKey))) ?? [];
      list.push({ taskId, at: this.now() });
      await this.store.set('meta', keys.gallery(chatKey), list.slice(-GALLERY_KEEP), 2 * DAY_MS);
    });
  }

  /** The chat's finished task ids since `sinceMs` ago, newest first. */
  async gallery(chatKey: string, sinceMs: number, limit: number): Promise<string[]> {
    const list = (await this.store.get<GalleryEntry[]>('meta', keys.gallery(chatKey))) ?? [];
    const oldest = this.now() - sinceMs;
    return list.filter((e) => e.at >= oldest).reverse().slice(0, limit).map((e) => e.taskId);
  }

  private changeStats(change: (stats: DayStats) => void): Promise<void> {
    return this.serial.run(() => this.changeStatsNow(change));
  }

  /** Only from inside `serial`. */
  private async changeStatsNow(change: (stats: DayStats) => void): Promise<void> {
    const day = dayOf(this.now());
    const stats = await this.stats(day);
    change(stats);
    await this.store.set('meta', keys.stats(day), stats, 8 * DAY_MS);
  }
}

function emptyStats(): DayStats {
  return { submitted: 0, successes: 0, failures: 0, refused: 0, users: {} };
}

function userEntry(stats: DayStats, user: string, name: string): UserDayUsage {
  const entry = (stats.users[user] ??= { name, submitted: 0, successes: 0 });
  entry.name = name;
  return entry;
}
