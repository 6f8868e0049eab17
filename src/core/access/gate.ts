/**
 * The production JobGate: allowlists, blocked users, daily quotas (successes only), a per-user
 * cap on jobs in flight, and a per-chat cap on jobs drawing with a fair, round-robin line.
 *
 * Shared state (running slots, counters, blocks, grants, gallery) lives in the store; the
 * waiting line itself is in memory (a restart drops it) and is re-checked every second while
 * anyone waits, so slots freed by another process on the same Redis are picked up.
 */
import { randomUUID } from 'node:crypto';
import type { TaskRecord } from '../domain/records.js';
import type { JobSpec } from '../domain/jobs.js';
import type { AccessControl } from '../domain/ports.js';
import { SettingsStore } from '../domain/stores.js';
import type { ChatRef, Origin } from '../domain/types.js';
import { describeJob } from './describe.js';
import { FairQueue } from './fair-queue.js';
import { chatKeyOf, dayOf, DAY_MS, scopeOf, userKey, userKeyOf } from './keys.js';
import { refuseIfLimited } from './limits.js';
import { isBotAdmin } from './policy.js';
import { RunningBook, type RunningSlot } from './running.js';
import type { AccessGateDeps, AccessStats, ChatQueueView, UserUsage } from './types.js';
import { UsageBook } from './usage.js';

export type { AccessGateConfig, AccessGateDeps, AccessStats, ChatQueueView, UserUsage, WaitingJob } from './types.js';

interface Waiter {
  slotId: string;
  origin: Origin;
  user: string;
  name: string;
  what: string;
  scope: string;
  onWait: (position: number) => Promise<void>;
  shown: number;
  admit: () => void;
}

/** How often waiting lines are re-checked (slots freed by other processes, expired slots). */
const RECHECK_MS = 1000;
/** A slot older than the task timeout plus this is considered lost (crashed process). */
const SLOT_GRACE_MS = 10 * 60_000;

export class AccessGate implements AccessControl {
  readonly usageBook: UsageBook;
  private readonly book: RunningBook;
  private readonly settings: SettingsStore;
  private readonly queues = new Map<string, FairQueue<Waiter>>();
  /** Per origin object: job descriptions from `check`, then admitted slot ids until `submitted`. */
  private readonly described = new WeakMap<Origin, string[]>();
  private readonly admitted = new WeakMap<Origin, string[]>();
  private timer?: NodeJS.Timeout;
  private readonly now: () => number;

  constructor(private readonly deps: AccessGateDeps) {
    this.now = deps.now ?? Date.now;
    this.book = new RunningBook(deps.store, deps.config.MJ_TASK_TIMEOUT_MS + SLOT_GRACE_MS, this.now);
    this.usageBook = new UsageBook(deps.store, this.now);
    this.settings = new SettingsStore(deps.store);
  }

  isAdmin(origin: Origin): boolean {
    return isBotAdmin(this.deps.config, origin);
  }

  async check(origin: Origin, spec: JobSpec): Promise<void> {
    if (!this.isAdmin(origin)) {
      const user = userKey(origin);
      const locale = await this.settings.locale(origin.chat.platform, origin.actor.userId, origin.actor.locale);
      const [blocked, inFlight, used, extra] = await Promise.all([this.usageBook.isBlocked(user), this.inFlight(user), this.usageBook.used(user), this.usageBook.extra(user)]);
      refuseIfLimited({ config: this.deps.config, origin, locale, blocked, inFlight, used, extra, now: this.now() });
    }
    pushTo(this.described, origin, await describeJob(this.deps.store, spec));
  }

  async acquire(origin: Origin, onWait: (position: number) => Promise<void>): Promise<void> {
    const waiter: Waiter = {
      slotId: randomUUID(),
      origin,
      user: userKey(origin),
      name: origin.actor.name,
      what: shiftFrom(this.described, origin) ?? '',
      scope: scopeOf(origin.chat),
      onWait,
      shown: 0,
      admit: () => undefined,
    };
    const admitted = new Promise<void>((resolve) => (waiter.admit = resolve));
    if (this.isAdmin(origin)) {
      // Admins skip the line but still take a slot, so others see the chat as busy.
      await this.book.update((slots) => slots.push(this.slotOf(waiter)));
      pushTo(this.admitted, origin, waiter.slotId);
      return;
    }
    this.queueOf(waiter.scope).push(waiter.user, waiter);
    await this.pump(waiter.scope);
    await admitted;
  }

  async submitted(origin: Origin, taskId: string | undefined): Promise<void> {
    const slotId = shiftFrom(this.admitted, origin);
    if (!slotId) return;
    await this.usageBook.submitted(userKey(origin), origin.actor.name, taskId !== undefined);
    if (taskId !== undefined) {
      await this.book.update((slots) => {
        const slot = slots.find((s) => s.slotId === slotId);
        if (slot) slot.taskId = taskId;
      });
      return;
    }
    const slot = await this.book.take((s) => s.slotId === slotId);
    await this.pump(slot?.scope ?? scopeOf(origin.chat));
  }

  async finished(record: TaskRecord): Promise<void> {
    const slot = await this.book.take((s) => s.taskId === record.taskId);
    const success = record.status === 'SUCCESS' && !record.failure;
    const user = userKeyOf(record.chat.platform, record.owner.userId);
    const counted = await this.usageBook.finished(record.taskId, user, record.owner.name, success, this.deps.config.DAILY_QUOTA);
    const drawn = record.kind !== 'describe' && record.kind !== 'shorten' && Boolean(record.task?.imageUrl);
    if (counted && success && drawn) await this.usageBook.addToGallery(chatKeyOf(record.chat), record.taskId);
    await this.pump(slot?.scope ?? scopeOf(record.chat));
  }

  /** Who is drawing and who waits where `chat` is scheduled (the guild on Discord). */
  async chatQueue(chat: ChatRef): Promise<ChatQueueView> {
    const scope = scopeOf(chat);
    const running = (await this.book.list()).filter((s) => s.scope === scope);
    const ordered = this.queues.get(scope)?.ordered() ?? [];
    const waiting = ordered.map((w, i) => ({ user: w.user, name: w.name, what: w.what, position: i + 1 }));
    return { max: this.deps.config.CHAT_MAX_RUNNING, running, waiting };
  }

  /** Every job holding a slot, oldest first. */
  async running(): Promise<RunningSlot[]> {
    return (await this.book.list()).sort((a, b) => a.since - b.since);
  }

  async stats(): Promise<AccessStats> {
    const day = dayOf(this.now());
    const stats = await this.usageBook.stats(day);
    const top = Object.entries(stats.users)
      .map(([user, u]) => ({ user, name: u.name, successes: u.successes }))
      .filter((u) => u.successes > 0)
      .sort((a, b) => b.successes - a.successes)
      .slice(0, 10);
    const waiting = [...this.queues.values()].reduce((n, q) => n + q.size, 0);
    return { ...stats, day, running: (await this.book.list()).length, waiting, top };
  }

  async usage(user: string): Promise<UserUsage> {
    const [used, extra, inFlight, blocked] = await Promise.all([this.usageBook.used(user), this.usageBook.extra(user), this.inFlight(user), this.usageBook.isBlocked(user)]);
    const quota = this.deps.config.DAILY_QUOTA;
    return { used, extra, inFlight, blocked, limit: quota > 0 ? quota + extra : undefined };
  }

  block(user: string, by: string): Promise<void> {
    return this.usageBook.block(user, by);
  }

  unblock(user: string): Promise<boolean> {
    return this.usageBook.unblock(user);
  }

  /** Extra drawings for `user` (negative takes away); returns the new extra balance. */
  grant(user: string, n: number): Promise<number> {
    return this.usageBook.grant(user, n);
  }

  /** Task ids of the chat's finished images, newest first (default: last 24 h, at most 10). */
  gallery(chat: Pick<ChatRef, 'platform' | 'chatId'>, opts: { sinceMs?: number; limit?: number } = {}): Promise<string[]> {
    return this.usageBook.gallery(chatKeyOf(chat), opts.sinceMs ?? DAY_MS, opts.limit ?? 10);
  }

  /** Stop the re-check timer (waiting jobs stay waiting). */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Jobs of `user` waiting in any line (this process) or holding a slot (any process). */
  private async inFlight(user: string): Promise<number> {
    const holding = (await this.book.list()).filter((s) => s.user === user).length;
    let waiting = 0;
    for (const queue of this.queues.values()) waiting += queue.countBy(user);
    return holding + waiting;
  }

  private queueOf(scope: string): FairQueue<Waiter> {
    let queue = this.queues.get(scope);
    if (!queue) this.queues.set(scope, (queue = new FairQueue<Waiter>()));
    return queue;
  }

  private slotOf(w: Waiter): RunningSlot {
    return { slotId: w.slotId, scope: w.scope, chat: chatKeyOf(w.origin.chat), user: w.user, name: w.name, what: w.what, since: this.now() };
  }

  /** Admit waiting jobs while the chat has free slots, then tell the rest their place in line. */
  private async pump(scope: string): Promise<void> {
    const queue = this.queues.get(scope);
    if (!queue || queue.size === 0) return this.syncTimer();
    const admitted: Waiter[] = [];
    await this.book.update((slots) => {
      let busy = slots.filter((s) => s.scope === scope).length;
      for (; queue.size > 0 && busy < this.deps.config.CHAT_MAX_RUNNING; busy++) {
        const next = queue.shift();
        if (!next) break;
        slots.push(this.slotOf(next));
        admitted.push(next);
      }
    });
    for (const w of admitted) {
      pushTo(this.admitted, w.origin, w.slotId);
      w.admit();
    }
    queue.ordered().forEach((w, i) => {
      if (w.shown === i + 1) return;
      w.shown = i + 1;
      w.onWait(i + 1).catch((err: unknown) => this.deps.logger.warn({ err }, 'could not show a queue position'));
    });
    this.syncTimer();
  }

  private syncTimer(): void {
    const waiting = [...this.queues.values()].some((q) => q.size > 0);
    if (waiting && !this.timer) {
      this.timer = setInterval(() => {
        for (const [scope, queue] of this.queues) {
          if (queue.size > 0) this.pump(scope).catch((err: unknown) => this.deps.logger.warn({ err }, 'queue re-check failed'));
        }
      }, RECHECK_MS);
      this.timer.unref();
    } else if (!waiting) this.close();
  }
}

/** Build the access gate; pass it as `access` in the MjService deps. */
export function createAccessGate(deps: AccessGateDeps): AccessGate {
  return new AccessGate(deps);
}

function pushTo(map: WeakMap<Origin, string[]>, origin: Origin, value: string): void {
  const list = map.get(origin);
  if (list) list.push(value);
  else map.set(origin, [value]);
}

function shiftFrom(map: WeakMap<Origin, string[]>, origin: Origin): string | undefined {
  return map.get(origin)?.shift();
}
