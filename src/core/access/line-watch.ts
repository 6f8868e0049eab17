/**
 * The process side of the stored lines. Each process drives its own jobs (their `owner`): it
 * waits for them to be admitted, shows their place in line as it changes, and keeps a liveness
 * key fresh while it has any. Any process may admit anyone's job when a slot frees up; the owner
 * picks it up on its next look (every `recheckMs`). A job whose owner's liveness key expired —
 * the process was killed, or stopped and restarted — is taken over: waiting jobs keep their
 * place and are run here; a job whose submit may already have been sent is reported instead.
 */
import type { Logger } from '../../log.js';
import type { ParkedJob } from '../domain/jobs.js';
import type { Admission, ResumedJob, Store, StoreKey, Transaction } from '../domain/ports.js';
import { adopt, ownersNeeded, waitingIn, type BookJob, type BookState } from './book.js';
import { keys } from './keys.js';

/** How often the lines are looked at (admissions by other processes, stopped owners). */
const RECHECK_MS = 500;
/** A process whose liveness key is older than this is taken to be gone. */
const ALIVE_TTL_MS = 5000;

export interface LineWatchDeps {
  store: Store;
  logger: Logger;
  /** This process's id as the owner of jobs. */
  instance: string;
  recheckMs?: number;
  aliveTtlMs?: number;
  /** Change the book in a transaction (the gate's). */
  change: <R>(extra: StoreKey[], body: (book: BookState, tx: Transaction) => R) => Promise<{ result: R; book: BookState }>;
  read: () => Promise<BookState>;
  /** Does some chat have a waiting job and a free slot? */
  hasRoom: (book: BookState) => boolean;
  /** The admission of a job taken over. */
  ticket: (job: BookJob) => Admission;
}

interface Waiter {
  scope: string;
  onWait: (position: number) => Promise<void>;
  shown: number;
  resolve: (admitted: boolean) => void;
  pickingUp?: boolean;
}

export class LineWatch {
  readonly instance: string;
  private readonly waiters = new Map<string, Waiter>();
  private resume?: (job: ResumedJob) => Promise<void>;
  private timer?: NodeJS.Timeout;
  private checking = false;
  private closed = false;
  private lastBeat = 0;
  private readonly recheckMs: number;
  private readonly aliveTtlMs: number;

  constructor(private readonly deps: LineWatchDeps) {
    this.instance = deps.instance;
    this.recheckMs = deps.recheckMs ?? RECHECK_MS;
    this.aliveTtlMs = deps.aliveTtlMs ?? ALIVE_TTL_MS;
  }

  /** Begin looking at the lines (at once: jobs left by a stopped process are taken over now). */
  async start(resume: (job: ResumedJob) => Promise<void>): Promise<void> {
    this.resume = resume;
    this.closed = false;
    await this.recheck();
    this.timer ??= setInterval(() => void this.recheck(), this.recheckMs);
    this.timer.unref();
  }

  /** Stop; waiters here learn that their job left this process, and the next process takes them over at once. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const id of [...this.waiters.keys()]) this.settle(id, false);
    await this.deps.store.delete('meta', keys.alive(this.instance)).catch(() => undefined);
  }

  /** Wait until the job `id` (waiting in `book`) is admitted here; false if it leaves this process. */
  wait(id: string, scope: string, onWait: (position: number) => Promise<void>, book: BookState): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    const admitted = new Promise<boolean>((resolve) => this.waiters.set(id, { scope, onWait, shown: 0, resolve }));
    this.reflect(book);
    return admitted;
  }

  /** Keep this process's liveness key fresh (at most twice per recheck). */
  async heartbeat(force = false): Promise<void> {
    const now = Date.now();
    if (!force && now - this.lastBeat < this.recheckMs / 2) return;
    this.lastBeat = now;
    await this.deps.store.set('meta', keys.alive(this.instance), now, this.aliveTtlMs);
  }

  /** Bring local waiters in line with `book`: admitted ones go, others see their place. */
  reflect(book: BookState): void {
    const pickUp: string[] = [];
    const orders = new Map<string, BookJob[]>();
    for (const [id, w] of this.waiters) {
      const job = book.jobs[id];
      if (!job || job.owner !== this.instance) {
        this.settle(id, false);
        continue;
      }
      if (job.state === 'running') {
        if (job.started) this.settle(id, true);
        else if (!w.pickingUp) {
          w.pickingUp = true;
          pickUp.push(id);
        }
        continue;
      }
      if (job.state !== 'waiting') continue;
      let order = orders.get(w.scope);
      if (!order) orders.set(w.scope, (order = waitingIn(book, w.scope)));
      const position = order.findIndex((j) => j.id === id) + 1;
      if (position === 0 || position === w.shown) continue;
      w.shown = position;
      w.onWait(position).catch((err: unknown) => this.deps.logger.warn({ err }, 'could not show a queue position'));
    }
    if (pickUp.length) void this.pickUp(pickUp);
  }

  private settle(id: string, admitted: boolean): void {
    const w = this.waiters.get(id);
    if (!w) return;
    this.waiters.delete(id);
    w.resolve(admitted);
  }

  /** Start jobs of ours that another process admitted (marked started, so a takeover knows). */
  private async pickUp(ids: string[]): Promise<void> {
    try {
      await this.deps.change([], (book) => {
        for (const id of ids) {
          const job = book.jobs[id];
          if (job && job.owner === this.instance && job.state === 'running' && !job.started) job.started = true;
        }
      });
    } catch (err) {
      this.deps.logger.warn({ err }, 'could not start an admitted job; will retry');
    } finally {
      for (const id of ids) {
        const w = this.waiters.get(id);
        if (w) w.pickingUp = false;
      }
    }
  }

  private async recheck(): Promise<void> {
    if (this.checking || this.closed) return;
    this.checking = true;
    try {
      const book = await this.deps.read();
      const mine = Object.values(book.jobs).some((j) => j.owner === this.instance && !j.taskId);
      if (mine || this.waiters.size > 0) await this.heartbeat();
      await this.takeOver(book);
      if (this.deps.hasRoom(book)) await this.deps.change([], () => undefined);
    } catch (err) {
      this.deps.logger.warn({ err }, 'queue re-check failed');
    } finally {
      this.checking = false;
    }
  }

  /** Adopt the jobs of processes whose liveness key is gone, and run them here. */
  private async takeOver(book: BookState): Promise<void> {
    const dead = new Set<string>();
    for (const owner of ownersNeeded(book)) {
      if (owner !== this.instance && (await this.deps.store.get('meta', keys.alive(owner))) === undefined) dead.add(owner);
    }
    if (dead.size === 0) return;
    // Alive before owning anything, so nobody takes these jobs from us in turn.
    await this.heartbeat(true);
    const { result: taken, book: after } = await this.deps.change([], (b) => adopt(b, dead, this.instance));
    if (taken.length === 0) return;
    this.deps.logger.info({ jobs: taken.length }, 'took over jobs of a stopped process');
    for (const { id, started } of taken) {
      const job = after.jobs[id];
      if (!job) continue;
      const admission = this.deps.ticket(job);
      const parked = await this.deps.store.get<ParkedJob>('meta', keys.job(id));
      if (!parked || !this.resume) {
        await admission.release();
        continue;
      }
      this.resume({ job: parked, admission, started }).catch((err: unknown) => this.deps.logger.warn({ err }, 'could not resume a job taken over'));
    }
  }
}
