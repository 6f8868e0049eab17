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
import type { Admission, ResumedJob, Store } from '../domain/ports.js';
import { adopt, hasRoom, ownersNeeded, waitingIn, type Adopted, type BookJob, type LineState } from './line.js';
import type { LineStore } from './lines.js';
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
  /** The stored lines (the gate's). */
  lines: LineStore;
  /** CHAT_MAX_RUNNING. */
  cap: number;
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
  /** How many local waiters each scope has (most lines read have none here). */
  private readonly waitingScopes = new Map<string, number>();
  /** Per scope with local waiters: the highest line version seen, so an older snapshot never undoes a newer one. */
  private readonly versions = new Map<string, number>();
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

  /** Wait until the job `id` (waiting in `line`, its scope's) is admitted here; false if it leaves this process. */
  wait(id: string, scope: string, onWait: (position: number) => Promise<void>, line: LineState): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    const admitted = new Promise<boolean>((resolve) => this.waiters.set(id, { scope, onWait, shown: 0, resolve }));
    this.waitingScopes.set(scope, (this.waitingScopes.get(scope) ?? 0) + 1);
    this.reflect(scope, line);
    return admitted;
  }

  /** Keep this process's liveness key fresh (at most twice per recheck). */
  async heartbeat(force = false): Promise<void> {
    const now = Date.now();
    if (!force && now - this.lastBeat < this.recheckMs / 2) return;
    this.lastBeat = now;
    await this.deps.store.set('meta', keys.alive(this.instance), now, this.aliveTtlMs);
  }

  /** Bring local waiters of `scope` in line with its `line`: admitted ones go, others see their place. */
  reflect(scope: string, line: LineState): void {
    const version = line.version ?? 0;
    if (!this.waitingScopes.has(scope)) return void this.versions.delete(scope);
    if (version < (this.versions.get(scope) ?? 0)) return;
    const pickUp: string[] = [];
    let order: BookJob[] | undefined;
    let waiting = false;
    for (const [id, w] of this.waiters) {
      if (w.scope !== scope) continue;
      const job = line.jobs[id];
      if (!job || job.owner !== this.instance) {
        this.settle(id, false);
        continue;
      }
      waiting = true;
      if (job.state === 'running') {
        if (job.started) this.settle(id, true);
        else if (!w.pickingUp) {
          w.pickingUp = true;
          pickUp.push(id);
        }
        continue;
      }
      if (job.state !== 'waiting') continue;
      order ??= waitingIn(line);
      const position = order.findIndex((j) => j.id === id) + 1;
      if (position === 0 || position === w.shown) continue;
      w.shown = position;
      w.onWait(position).catch((err: unknown) => this.deps.logger.warn({ err }, 'could not show a queue position'));
    }
    // Versions matter only while someone here waits in the scope (a waiter starts from a fresh one).
    if (waiting) this.versions.set(scope, version);
    else this.versions.delete(scope);
    if (pickUp.length) void this.pickUp(scope, pickUp);
  }

  private settle(id: string, admitted: boolean): void {
    const w = this.waiters.get(id);
    if (!w) return;
    this.waiters.delete(id);
    const left = (this.waitingScopes.get(w.scope) ?? 1) - 1;
    if (left > 0) this.waitingScopes.set(w.scope, left);
    else this.waitingScopes.delete(w.scope);
    w.resolve(admitted);
  }

  /** Start jobs of ours that another process admitted (marked started, so a takeover knows). */
  private async pickUp(scope: string, ids: string[]): Promise<void> {
    try {
      await this.deps.lines.changeOne(scope, [], [], (line) => {
        for (const id of ids) {
          const job = line.jobs[id];
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
      await this.deps.lines.migrate();
      const lines = await this.deps.lines.readAll();
      const mine = [...lines.values()].some((line) => Object.values(line.jobs).some((j) => j.owner === this.instance && !j.taskId));
      if (mine || this.waiters.size > 0) await this.heartbeat();
      // A local waiter whose line is gone altogether learns it from an empty line.
      for (const scope of [...this.waitingScopes.keys()]) if (!lines.has(scope)) await this.deps.lines.read(scope);
      await this.takeOver(lines);
      for (const [scope, line] of lines) if (hasRoom(line, this.deps.cap)) await this.deps.lines.changeOne(scope, [], [], () => undefined);
    } catch (err) {
      this.deps.logger.warn({ err }, 'queue re-check failed');
    } finally {
      this.checking = false;
    }
  }

  /** Adopt the jobs of processes whose liveness key is gone, and run them here. */
  private async takeOver(lines: Map<string, LineState>): Promise<void> {
    const owners = new Set([...lines.values()].flatMap((line) => [...ownersNeeded(line)]));
    const dead = new Set<string>();
    for (const owner of owners) {
      if (owner !== this.instance && (await this.deps.store.get('meta', keys.alive(owner))) === undefined) dead.add(owner);
    }
    if (dead.size === 0) return;
    // Alive before owning anything, so nobody takes these jobs from us in turn.
    await this.heartbeat(true);
    for (const [scope, before] of lines) {
      const users = [...new Set(Object.values(before.jobs).filter((j) => dead.has(j.owner)).map((j) => j.user))];
      if (users.length === 0) continue;
      const { result: taken, line } = await this.deps.lines.changeOne(scope, users, [], (l) => adopt(l, dead, this.instance));
      if (taken.length > 0) await this.resumeTaken(taken, line);
    }
  }

  private async resumeTaken(taken: Adopted[], line: LineState): Promise<void> {
    this.deps.logger.info({ jobs: taken.length }, 'took over jobs of a stopped process');
    for (const { id, started } of taken) {
      const job = line.jobs[id];
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
