/**
 * Final results on their own schedule (docs/delivery.md). A finished task's final view is tried
 * at once; a chat that refuses it is tried again with backoff, per task, never in the polling
 * loop's path. After a permanent refusal (blocked, kicked, chat gone) or the last allowed try the
 * result is undeliverable: its slot is freed and its quota not charged. Each outcome is saved
 * before anything else, so a restart resumes what was left — and never settles a task twice.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../log.js';
import { backoffDelay, type RetryPolicy } from '../../mj/retry.js';
import type { DeliveryOutcome, JobGate, TaskFleet } from '../domain/ports.js';
import { isSettled, type TaskRecord } from '../domain/records.js';
import type { RecordStore } from '../domain/stores.js';
import type { TaskView } from '../domain/types.js';
import type { Delivery } from './delivery.js';
import type { Tracker } from './tracker.js';

/** Default: 6 tries of a final view (5 retries), 2 s doubling to at most 60 s apart (≈1 minute in all). */
export const DEFAULT_FINAL_RETRY: RetryPolicy = { retries: 5, baseDelayMs: 2000, maxDelayMs: 60_000 };

/**
 * Fleet: how long a result another process started sending is left to that send before this
 * process sends it again. A process paused in the middle of a send loses the task but finishes
 * the send when it resumes; waiting lets that send land and be recorded instead of posting twice.
 */
export const SEND_GRACE_MS = 15_000;

export interface OutboxOptions {
  records: RecordStore;
  tracker: Tracker;
  delivery: Delivery;
  gate: JobGate;
  fleet?: TaskFleet;
  logger: Logger;
  /** The final view of a finished record (buttons encoded). */
  finalView: (record: TaskRecord) => Promise<TaskView>;
  retry?: RetryPolicy;
  /** See SEND_GRACE_MS. */
  sendGraceMs?: number;
  now: () => number;
  /** Told every saved outcome (metrics). */
  onSettled?: (record: TaskRecord, outcome: DeliveryOutcome) => void;
}

export class Outbox {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Map<string, Promise<void>>();
  private stopped = false;
  /** Names this process in a record's `delivery.sending`. */
  private readonly self = randomUUID();

  constructor(private readonly opts: OutboxOptions) {}

  /** Deliver the record's final view: now, or when its last failure said. Never waits for it. */
  schedule(record: TaskRecord): void {
    const { taskId } = record;
    if (this.stopped || isSettled(record) || this.running.has(taskId) || this.timers.has(taskId)) return;
    const wait = Math.max(0, (record.delivery?.nextAt ?? 0) - this.opts.now());
    if (wait === 0) return this.run(taskId);
    const timer = setTimeout(() => {
      this.timers.delete(taskId);
      this.run(taskId);
    }, wait);
    timer.unref?.();
    this.timers.set(taskId, timer);
  }

  private run(taskId: string): void {
    const attempt = this.attempt(taskId).catch((err: unknown) => this.failedAttempt(taskId, err));
    this.running.set(
      taskId,
      attempt.then(() => undefined),
    );
    void attempt.then((again) => {
      this.running.delete(taskId);
      if (again) this.schedule(again);
    });
  }

  /** Tasks with an attempt due or in flight (tests, diagnostics). */
  get size(): number {
    return new Set([...this.timers.keys(), ...this.running.keys()]).size;
  }

  /** Wait for the attempts in flight (not for those waiting for their time). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running.values());
  }

  /** Cancel waiting attempts (they resume after a restart) and wait for those in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.all(this.running.values());
  }

  /** One try; returns the record when another try is due. */
  private async attempt(taskId: string): Promise<TaskRecord | undefined> {
    const { tracker, records, fleet, delivery } = this.opts;
    // The live copy when this process follows the task; a reloaded one could roll its state back.
    const record = tracker.get(taskId) ?? (await records.get(taskId));
    if (!record || isSettled(record)) {
      tracker.settle(taskId);
      return undefined;
    }
    if (!record.ref) {
      await this.settle(record, 'undeliverable');
      return undefined;
    }
    // Fencing: a process that lost the task to another one must not deliver it too.
    if (fleet && !(await fleet.holds(taskId))) {
      this.opts.logger.warn({ taskId }, 'lost the fleet lock of a task before delivering it; leaving it to its new owner');
      tracker.release(taskId);
      return undefined;
    }
    if (fleet) {
      const wait = await this.claimSend(record);
      if (wait !== 'go') return wait;
    }
    const result = await delivery.push(taskId, record.ref, await this.opts.finalView(record));
    if (result.sent) {
      await this.settle(record, 'delivered');
      return undefined;
    }
    const failures = (record.delivery?.failures ?? 0) + 1;
    const retry = this.opts.retry ?? DEFAULT_FINAL_RETRY;
    const reason = result.reason.slice(0, 200);
    if (result.failure === 'permanent' || failures > retry.retries) {
      record.delivery = { failures, lastError: reason };
      this.opts.logger.warn({ taskId, failures, failure: result.failure, reason }, 'final result undeliverable');
      await this.settle(record, 'undeliverable');
      return undefined;
    }
    record.delivery = { failures, nextAt: this.opts.now() + backoffDelay(failures, retry), lastError: reason };
    await records.save(record);
    return record;
  }

  /**
   * Fleet only: settle a result its previous owner delivered meanwhile, leave one it is still
   * sending a moment to land (returns the record, due later), else note that this process sends it.
   */
  private async claimSend(record: TaskRecord): Promise<'go' | TaskRecord | undefined> {
    const stored = await this.opts.records.get(record.taskId);
    if (stored && isSettled(stored)) {
      record.stage = stored.stage;
      this.opts.tracker.settle(record.taskId);
      return undefined;
    }
    const now = this.opts.now();
    const grace = this.opts.sendGraceMs ?? SEND_GRACE_MS;
    const sending = stored?.delivery?.sending;
    if (sending && sending.by !== this.self && now - sending.at < grace) {
      record.delivery = { failures: record.delivery?.failures ?? 0, ...record.delivery, nextAt: sending.at + grace };
      return record;
    }
    record.delivery = { failures: record.delivery?.failures ?? 0, lastError: record.delivery?.lastError, sending: { at: now, by: this.self } };
    await this.opts.records.save(record);
    return 'go';
  }

  /** Save the outcome first (a crash after it never repeats the delivery), then free the slot, then stop following. */
  private async settle(record: TaskRecord, outcome: DeliveryOutcome): Promise<void> {
    const before = { stage: record.stage, delivery: record.delivery };
    record.stage = outcome;
    if (outcome === 'delivered') record.delivery = undefined;
    try {
      await this.opts.records.save(record);
    } catch (err) {
      // Not saved: stay final-ready, so the next try (or a restart) settles it.
      Object.assign(record, before);
      throw err;
    }
    this.opts.onSettled?.(record, outcome);
    try {
      await this.opts.gate.finished(record, outcome);
    } catch (err) {
      // The outcome is saved; a slot left behind expires by age (src/core/access).
      this.opts.logger.warn({ err, taskId: record.taskId, outcome }, 'could not free the slot of a settled task');
    }
    // Last: once a task is no longer followed, everything about it is done.
    this.opts.tracker.settle(record.taskId);
  }

  /** The store or the view failed (not the chat): try again later, without counting it against the chat. */
  private failedAttempt(taskId: string, err: unknown): TaskRecord | undefined {
    this.opts.logger.warn({ taskId, err }, 'final delivery attempt failed; will try again');
    const record = this.opts.tracker.get(taskId);
    if (!record || isSettled(record)) return undefined;
    const retry = this.opts.retry ?? DEFAULT_FINAL_RETRY;
    record.delivery = { ...record.delivery, failures: record.delivery?.failures ?? 0, nextAt: this.opts.now() + retry.baseDelayMs };
    return record;
  }
}
