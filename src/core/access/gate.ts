/**
 * The production JobGate: allowlists, blocked users, daily quotas (successes only), a per-user
 * cap on jobs in flight, and a per-chat cap on jobs drawing with a fair, round-robin line.
 *
 * All of it lives in the store and changes only in store transactions (line.ts, lines.ts):
 * `check` reserves the job's share of the quota and the user's cap atomically with reading them
 * (the user's jobs are counted in the lines of the chats they have jobs in), a slot is taken
 * atomically with counting the chat's running jobs, and the line itself is stored — so no burst,
 * no second process and no restart can overshoot a limit or lose a place in line. Each chat's
 * line is its own document, so chats do not wait for one another. Which process runs which
 * waiting job, and taking over from stopped ones, is in line-watch.ts.
 */
import { randomUUID } from 'node:crypto';
import type { ParkedJob } from '../domain/jobs.js';
import type { TaskRecord } from '../domain/records.js';
import type { JobSpec } from '../domain/jobs.js';
import type { AccessControl, Admission, DeliveryOutcome, ResumedJob, StoreKey } from '../domain/ports.js';
import { SettingsStore } from '../domain/stores.js';
import type { ChatRef, Origin } from '../domain/types.js';
import { admit, enqueue, inFlightOf, runningIn, waitingIn, type BookJob } from './line.js';
import { LineStore } from './lines.js';
import { describeJob } from './describe.js';
import { chatKeyOf, dayOf, DAY_MS, keys, scopeOf, userKey, userKeyOf } from './keys.js';
import { refuseIfLimited } from './limits.js';
import { LineWatch } from './line-watch.js';
import { isBotAdmin } from './policy.js';
import type { RunningSlot } from '../domain/access-types.js';
import type { AccessGateDeps, AccessStats, ChatQueueView, UserUsage } from './types.js';
import { countOutcome, countSubmit, outcomeKeys, submitKeys, UsageBook } from './usage.js';

export type { AccessGateConfig, AccessGateDeps, AccessStats, ChatQueueView, UserUsage, WaitingJob } from './types.js';

/** A running job older than the task timeout plus this is considered lost (crashed process). */
const SLOT_GRACE_MS = 10 * 60_000;

export class AccessGate implements AccessControl {
  readonly usageBook: UsageBook;
  private readonly settings: SettingsStore;
  private readonly now: () => number;
  private readonly lines: LineStore;
  private readonly watch: LineWatch;

  constructor(private readonly deps: AccessGateDeps) {
    this.now = deps.now ?? Date.now;
    this.usageBook = new UsageBook(deps.store, this.now);
    this.settings = new SettingsStore(deps.store);
    const maxRunMs = deps.config.MJ_TASK_TIMEOUT_MS + SLOT_GRACE_MS;
    const cap = deps.config.CHAT_MAX_RUNNING;
    this.lines = new LineStore({ store: deps.store, now: this.now, maxRunMs, cap, seen: (scope, line) => this.watch.reflect(scope, line) });
    this.watch = new LineWatch({
      store: deps.store,
      logger: deps.logger,
      instance: randomUUID(),
      recheckMs: deps.recheckMs,
      aliveTtlMs: deps.aliveTtlMs,
      lines: this.lines,
      cap,
      ticket: (job) => new Ticket(this, job),
    });
  }

  isAdmin(origin: Origin): boolean {
    return isBotAdmin(this.deps.config, origin);
  }

  // === JobGate

  async check(origin: Origin, spec: JobSpec): Promise<Admission> {
    const admin = this.isAdmin(origin);
    const user = userKey(origin);
    const locale = admin ? origin.actor.locale : await this.settings.locale(origin.chat.platform, origin.actor.userId, origin.actor.locale);
    const now = this.now();
    const job: BookJob = {
      id: randomUUID(),
      user,
      name: origin.actor.name,
      what: await describeJob(this.deps.store, spec),
      scope: scopeOf(origin.chat),
      chat: chatKeyOf(origin.chat),
      admin: admin || undefined,
      state: 'reserved',
      owner: this.watch.instance,
      since: now,
    };
    await this.watch.heartbeat();
    if (admin) {
      await this.lines.changeOne(job.scope, [user], [], (line) => void (line.jobs[job.id] = { ...job }));
      return new Ticket(this, job);
    }
    const day = dayOf(now);
    const limitKeys: StoreKey[] = [keys.used(day, user), keys.extra(user), keys.blocked(user)].map((k) => ['meta', k] as const);
    // Reading the counters and the user's lines and taking the reservation are one transaction: a burst cannot overshoot.
    await this.lines.changeForUser(user, job.scope, limitKeys, (lines, tx) => {
      const blocked = tx.get('meta', keys.blocked(user)) !== undefined;
      const used = tx.get<number>('meta', keys.used(day, user)) ?? 0;
      const extra = tx.get<number>('meta', keys.extra(user)) ?? 0;
      const inFlight = [...lines.values()].reduce((n, line) => n + inFlightOf(line, user), 0);
      refuseIfLimited({ config: this.deps.config, origin, locale, blocked, inFlight, used, extra, now });
      lines.get(job.scope)!.jobs[job.id] = { ...job };
    });
    return new Ticket(this, job);
  }

  async finished(record: TaskRecord, delivery: DeliveryOutcome): Promise<void> {
    const now = this.now();
    const outcome = {
      taskId: record.taskId,
      user: userKeyOf(record.chat.platform, record.owner.userId),
      name: record.owner.name,
      // A result the chat never got is not charged (docs/delivery.md).
      success: delivery === 'delivered' && record.status === 'SUCCESS' && !record.failure,
      drawn: record.kind !== 'describe' && record.kind !== 'shorten' && Boolean(record.task?.imageUrl),
      chatKey: chatKeyOf(record.chat),
      dailyQuota: this.deps.config.DAILY_QUOTA,
    };
    // Freeing the slot and counting the success are one step, so the quota never sees neither or both.
    // The job is in the chat's line; the owner's other lines are looked at too (records without a guild id).
    await this.lines.changeForUser(outcome.user, scopeOf(record.chat), outcomeKeys(outcome, now), (lines, tx) => {
      for (const line of lines.values()) {
        const job = Object.values(line.jobs).find((j) => j.taskId === record.taskId);
        if (job) delete line.jobs[job.id];
      }
      countOutcome(tx, outcome, now);
    });
  }

  start(resume: (job: ResumedJob) => Promise<void>): Promise<void> {
    return this.watch.start(resume);
  }

  close(): Promise<void> {
    return this.watch.close();
  }

  // === The steps of one admission (see Ticket)

  /** Join the line (or take a slot at once); the job's data is stored for whoever runs it later. */
  async acquire(job: BookJob, parked: ParkedJob, onWait: (position: number) => Promise<void>): Promise<boolean> {
    const jobKey = keys.job(job.id);
    const { result, line } = await this.lines.changeOne(job.scope, [], [['meta', jobKey]], (line, tx) => {
      const entry = line.jobs[job.id];
      if (!entry || entry.owner !== this.watch.instance) return 'gone';
      if (entry.state === 'reserved') enqueue(line, entry, this.now());
      admit(line, this.deps.config.CHAT_MAX_RUNNING, this.now());
      const running = entry.state === 'running';
      if (running) entry.started = true;
      // Admitted at once: only the message is needed later (to say the submit was cut off).
      if (tx.get('meta', jobKey) === undefined) tx.set('meta', jobKey, running ? { ...parked, spec: undefined } : parked);
      return running ? 'admitted' : 'waiting';
    });
    if (result !== 'waiting') return result === 'admitted';
    return this.watch.wait(job.id, job.scope, onWait, line);
  }

  async submitted(job: BookJob, taskId: string | undefined): Promise<void> {
    const now = this.now();
    await this.lines.changeOne(job.scope, [job.user], [['meta', keys.job(job.id)], ...submitKeys(now, job.user)], (line, tx) => {
      tx.delete('meta', keys.job(job.id));
      countSubmit(tx, now, job.user, job.name, taskId !== undefined);
      if (taskId === undefined) {
        delete line.jobs[job.id];
        return;
      }
      // Normally still there; if another process took it over meanwhile (this one was paused), it holds a slot again.
      line.jobs[job.id] = { ...(line.jobs[job.id] ?? job), state: 'running', started: true, taskId, place: undefined };
    });
  }

  async release(job: BookJob): Promise<void> {
    await this.lines.changeOne(job.scope, [job.user], [['meta', keys.job(job.id)]], (line, tx) => {
      tx.delete('meta', keys.job(job.id));
      delete line.jobs[job.id];
    });
  }

  // === AccessBook

  /**
   * Take a waiting job out of the line: the one whose message is `messageId` in `chat`. Its
   * reservation is given back (nothing was submitted, so nothing is charged) and the process that
   * waits for it learns it is gone. Returns the job, for its message to say so.
   */
  async cancelWaiting(chat: ChatRef, messageId: string, allow: (job: ParkedJob) => boolean): Promise<{ job: ParkedJob; removed: boolean } | undefined> {
    const scope = scopeOf(chat);
    const line = await this.lines.read(scope);
    for (const job of Object.values(line.jobs)) {
      if (job.state !== 'waiting' || job.chat !== chatKeyOf(chat)) continue;
      const parked = await this.deps.store.get<ParkedJob>('meta', keys.job(job.id));
      if (parked?.ref.messageId !== messageId) continue;
      if (!allow(parked)) return { job: parked, removed: false };
      const { result } = await this.lines.changeOne(scope, [job.user], [['meta', keys.job(job.id)]], (l, tx) => {
        if (l.jobs[job.id]?.state !== 'waiting') return false;
        tx.delete('meta', keys.job(job.id));
        delete l.jobs[job.id];
        return true;
      });
      return result ? { job: parked, removed: true } : undefined;
    }
    return undefined;
  }

  /** Who is drawing and who waits where `chat` is scheduled (the guild on Discord). */
  async chatQueue(chat: ChatRef): Promise<ChatQueueView> {
    const line = await this.lines.read(scopeOf(chat));
    const waiting = waitingIn(line).map((j, i) => ({ user: j.user, name: j.name, what: j.what, position: i + 1 }));
    return { max: this.deps.config.CHAT_MAX_RUNNING, running: runningIn(line).map(slotOf), waiting };
  }

  /** Every job holding a slot, oldest first. */
  async running(): Promise<RunningSlot[]> {
    const lines = await this.lines.readAll();
    return [...lines.values()].flatMap((line) => runningIn(line).map(slotOf)).sort((a, b) => a.since - b.since);
  }

  async stats(): Promise<AccessStats> {
    const day = dayOf(this.now());
    const [stats, lines] = await Promise.all([this.usageBook.stats(day), this.lines.readAll()]);
    const top = Object.entries(stats.users)
      .map(([user, u]) => ({ user, name: u.name, successes: u.successes }))
      .filter((u) => u.successes > 0)
      .sort((a, b) => b.successes - a.successes)
      .slice(0, 10);
    const all = [...lines.values()];
    const running = all.reduce((n, line) => n + runningIn(line).length, 0);
    const waiting = all.reduce((n, line) => n + waitingIn(line).length, 0);
    return { ...stats, day, running, waiting, top };
  }

  async usage(user: string): Promise<UserUsage> {
    const [used, extra, scopes, blocked] = await Promise.all([this.usageBook.used(user), this.usageBook.extra(user), this.lines.scopesOf(user), this.usageBook.isBlocked(user)]);
    const lines = await Promise.all(scopes.map((scope) => this.lines.read(scope)));
    const quota = this.deps.config.DAILY_QUOTA;
    const inFlight = lines.reduce((n, line) => n + inFlightOf(line, user), 0);
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
}

/** One job's admission (the `Admission` port), from `check` to its submit's answer. */
class Ticket implements Admission {
  constructor(
    private readonly gate: AccessGate,
    private readonly job: BookJob,
  ) {}

  acquire(parked: ParkedJob, onWait: (position: number) => Promise<void>): Promise<boolean> {
    return this.gate.acquire(this.job, parked, onWait);
  }

  submitted(taskId: string | undefined): Promise<void> {
    return this.gate.submitted(this.job, taskId);
  }

  release(): Promise<void> {
    return this.gate.release(this.job);
  }
}

function slotOf(j: BookJob): RunningSlot {
  return { slotId: j.id, scope: j.scope, chat: j.chat, user: j.user, name: j.name, what: j.what, taskId: j.taskId, since: j.since };
}

/** Build the access gate; pass it as `access` in the MjService deps. */
export function createAccessGate(deps: AccessGateDeps): AccessGate {
  return new AccessGate(deps);
}
