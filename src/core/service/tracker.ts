/**
 * Follows every open task to a terminal state. Two sources feed it at once: notifyHook callbacks
 * (`ingest`) and polling (`tick`: one list-by-condition request per 100 open tasks, per-task
 * fetch only where the proxy has no batch endpoint). Updates are applied monotonically, so
 * duplicates and out-of-order callbacks never move a task backwards or finish it twice. A
 * finished task stays here until the outbox settles its delivery (`settle`); polling skips it.
 */
import { scrub, type Logger } from '../../log.js';
import type { Task } from '../../mj/schemas.js';
import { isSettled, isTerminal, parsePercent, rankOf, type TaskRecord } from '../domain/records.js';
import type { RecordStore } from '../domain/stores.js';
import { ProgressSaves } from './progress-saves.js';

export type UpdateKind = 'progress' | 'final' | 'modal';

export interface TrackerClient {
  /** `signal` aborts the request (shutdown). */
  listByCondition(ids: string[], signal?: AbortSignal): Promise<Task[]>;
  fetch(taskId: string, signal?: AbortSignal): Promise<Task | undefined>;
  supportsList(): Promise<boolean>;
}

export interface TrackerOptions {
  client: TrackerClient;
  records: RecordStore;
  intervalMs: number;
  logger: Logger;
  /** Called after a record changed and was saved. */
  onUpdate: (record: TaskRecord, kind: UpdateKind) => Promise<void>;
  now?: () => number;
  /** Ticks a task may be missing from list answers before it is fetched individually. */
  missingTicksBeforeFetch?: number;
  /** Ask the proxy on each tick (default). Off in a fleet, where one process polls for all (see fleet.ts). */
  poll?: boolean;
  /** Secret values to scrub from proxy texts shown to users (a proxy may echo the key). */
  secrets?: readonly string[];
}

export type IngestResult = 'applied' | 'ignored' | 'unknown';

export class Tracker {
  private readonly open = new Map<string, TaskRecord>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly missing = new Map<string, number>();
  private readonly doneWaiters = new Map<string, (() => void)[]>();
  private timer?: NodeJS.Timeout;
  private ticking?: Promise<void>;
  /** Aborts the polling requests of the current tick on stop, so shutdown never waits for a slow proxy. */
  private aborter = new AbortController();
  private stopped = true;
  /** Proxy requests made by polling (for tests and benchmarks). */
  pollRequests = 0;
  private readonly finishedListeners: ((record: TaskRecord) => void)[] = [];
  private readonly progressSaves: ProgressSaves;

  constructor(private readonly opts: TrackerOptions) {
    this.progressSaves = new ProgressSaves(opts.records, opts.logger, (record) => this.open.get(record.taskId) === record);
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  /** Call `listener` once per task when it reaches a terminal state here (metrics). */
  onFinished(listener: (record: TaskRecord) => void): void {
    this.finishedListeners.push(listener);
  }

  private emitFinished(record: TaskRecord): void {
    for (const listener of this.finishedListeners) {
      try {
        listener(record);
      } catch (err) {
        this.opts.logger.warn({ err }, 'finished listener failed');
      }
    }
  }

  /** Number of tasks being followed. */
  get size(): number {
    return this.open.size;
  }

  ids(): string[] {
    return [...this.open.keys()];
  }

  /** Follow a (saved) record until it is settled. */
  add(record: TaskRecord): void {
    if (!isSettled(record)) this.open.set(record.taskId, record);
  }

  /** Resolves once the task's result is delivered or undeliverable (or it is no longer followed here). */
  whenDone(taskId: string): Promise<void> {
    if (!this.open.has(taskId)) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.doneWaiters.get(taskId) ?? [];
      list.push(resolve);
      this.doneWaiters.set(taskId, list);
    });
  }

  /** The task's delivery is settled (delivered or undeliverable): stop following it. */
  settle(taskId: string): void {
    this.drop(taskId);
  }

  /** Another process owns the task now (fleet): stop following it here. */
  release(taskId: string): void {
    this.drop(taskId);
  }

  private drop(taskId: string): void {
    this.progressSaves.forget(taskId);
    this.open.delete(taskId);
    this.missing.delete(taskId);
    for (const resolve of this.doneWaiters.get(taskId) ?? []) resolve();
    this.doneWaiters.delete(taskId);
  }

  /** Replace the cached copy after someone else changed and saved the record. */
  refresh(record: TaskRecord): void {
    if (this.open.has(record.taskId)) this.open.set(record.taskId, record);
  }

  get(taskId: string): TaskRecord | undefined {
    return this.open.get(taskId);
  }

  /** Load open tasks from the store and start polling. Returns the records that resumed. */
  async start(opts: { resume?: boolean } = {}): Promise<TaskRecord[]> {
    this.stopped = false;
    this.aborter = new AbortController();
    const resumed: TaskRecord[] = [];
    for (const id of opts.resume === false ? [] : await this.opts.records.openIds()) {
      const record = await this.opts.records.get(id);
      if (record) {
        this.add(record);
        resumed.push(record);
      }
    }
    this.schedule();
    return resumed;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.aborter.abort(new Error('tracker stopped'));
  }

  /** Wait for the current tick (if any), the updates being applied and their saves. */
  async idle(): Promise<void> {
    await this.ticking;
    await Promise.all([...this.locks.values()]);
    await this.progressSaves.flush();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.ticking = this.tick().finally(() => {
        this.ticking = undefined;
        this.schedule();
      });
    }, this.opts.intervalMs);
    this.timer.unref?.();
  }

  /** Serialize work per task so notify and poll never interleave on one record. */
  private withLock<T>(taskId: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(taskId);
    // Nothing running for this task (the usual case): start at once instead of a turn later.
    const next = prev ? prev.then(fn, fn) : fn();
    const settled = next.catch(() => undefined);
    this.locks.set(taskId, settled);
    void settled.then(() => {
      if (this.locks.get(taskId) === settled) this.locks.delete(taskId);
    });
    return next;
  }

  /** Apply a task snapshot from any source. */
  ingest(task: Task): Promise<IngestResult> {
    return this.withLock(task.id, () => this.apply(task));
  }

  private async apply(task: Task): Promise<IngestResult> {
    const record = this.open.get(task.id);
    if (!record) return (await this.opts.records.get(task.id)) ? 'ignored' : 'unknown';
    if (record.finished) return 'ignored';
    const status = task.status;
    if (status === 'MODAL' && record.modalSubmitted) return 'ignored';
    const percent = isTerminal(status) ? 100 : parsePercent(task.progress);
    const rank = rankOf(status, percent);
    if (rank < record.rank) return 'ignored';
    const sameImage = (record.task?.imageUrl ?? '') === (task.imageUrl ?? '');
    if (rank === record.rank && status === record.status && percent === record.percent && sameImage) return 'ignored';

    record.status = status;
    record.percent = percent;
    record.rank = rank;
    record.task = task;
    if (status !== 'NOT_START') record.queuePosition = undefined;
    let kind: UpdateKind = status === 'MODAL' ? 'modal' : 'progress';
    if (isTerminal(status)) {
      record.finished = true;
      record.stage = 'final-ready';
      kind = 'final';
      if (status !== 'SUCCESS') record.failure = classifyFailure(task, this.opts.secrets ?? []);
    } else if (status !== 'MODAL') record.stage = 'progress';
    // Plain progress is saved a moment later with others (polling restores it after a crash).
    if (kind === 'progress') this.progressSaves.later(record);
    else {
      this.progressSaves.forget(record.taskId);
      await this.opts.records.save(record);
    }
    if (kind === 'final') this.emitFinished(record);
    await this.opts.onUpdate(record, kind);
    return 'applied';
  }

  /** One task's failure (a store error while saving it) never costs the others their update. */
  private async ingestSafely(task: Task): Promise<void> {
    try {
      await this.ingest(task);
    } catch (err) {
      this.opts.logger.warn({ err, taskId: task.id }, 'could not apply a task update; the next poll tries again');
    }
  }

  /** Fail a task that ran past its deadline (and any other local failure). */
  fail(taskId: string, code: string, detail?: string): Promise<void> {
    return this.withLock(taskId, async () => {
      const record = this.open.get(taskId);
      if (record) await this.failRecord(record, code, detail);
    });
  }

  /** Fail without taking the task's lock (for callers already inside an update of that task). */
  async failRecord(record: TaskRecord, code: string, detail?: string): Promise<void> {
    if (record.finished) return;
    record.finished = true;
    record.stage = 'final-ready';
    record.failure = { code, detail };
    record.rank = 5;
    this.progressSaves.forget(record.taskId);
    await this.opts.records.save(record);
    this.emitFinished(record);
    await this.opts.onUpdate(record, 'final');
  }

  /** One polling round for every open task. */
  async tick(): Promise<void> {
    const now = this.now();
    const pending: TaskRecord[] = [];
    for (const record of this.open.values()) {
      // A finished task waits for the outbox (its own schedule), never for this loop.
      if (record.finished) continue;
      if (now > record.deadline) {
        await this.fail(record.taskId, 'MJ_TASK_TIMEOUT');
        continue;
      }
      pending.push(record);
    }
    if (pending.length === 0 || this.opts.poll === false) return;
    try {
      if (await this.opts.client.supportsList()) await this.pollList(pending.map((r) => r.taskId));
      else await this.pollEach(pending.map((r) => r.taskId));
    } catch (err) {
      this.opts.logger.warn({ err, tasks: pending.length }, 'polling failed; will retry next tick');
    }
  }

  private async pollList(ids: string[]): Promise<void> {
    const seen = new Set<string>();
    for (let i = 0; i < ids.length; i += 100) {
      const chunk = ids.slice(i, i + 100);
      this.pollRequests++;
      const tasks = await this.opts.client.listByCondition(chunk, this.aborter.signal);
      for (const task of tasks) {
        seen.add(task.id);
        await this.ingestSafely(task);
      }
    }
    // Tasks the batch answer left out are asked for one by one after a few ticks (e.g. a relay
    // that lost them); a confirmed unknown task fails instead of hanging until the deadline.
    const limit = this.opts.missingTicksBeforeFetch ?? 3;
    for (const id of ids) {
      if (seen.has(id)) {
        this.missing.delete(id);
        continue;
      }
      const misses = (this.missing.get(id) ?? 0) + 1;
      this.missing.set(id, misses);
      if (misses >= limit) {
        this.missing.delete(id);
        await this.pollEach([id]);
      }
    }
  }

  private async pollEach(ids: string[]): Promise<void> {
    for (const id of ids) {
      this.pollRequests++;
      const task = await this.opts.client.fetch(id, this.aborter.signal);
      if (task) await this.ingestSafely(task);
      else {
        const record = this.open.get(id);
        // A MODAL task created a moment ago may not be visible yet; only fail older ones.
        if (record && this.now() - record.submittedAt > this.opts.intervalMs * 3) await this.fail(id, 'MJ_NOT_FOUND');
      }
    }
  }
}

/** FAILURE reasons that mean a banned prompt (trueai reports code 24 this way). */
function classifyFailure(task: Task, secrets: readonly string[]): { code: string; detail?: string } {
  if (task.status === 'CANCEL') return { code: 'CANCELLED' };
  const reason = scrub(task.failReason ?? '', secrets);
  if (/敏感词|banned prompt/i.test(reason)) return { code: 'MJ_BANNED_PROMPT', detail: reason };
  return { code: 'MJ_TASK_FAILED', detail: reason || undefined };
}
