/**
 * Progress snapshots are saved a moment later, together, instead of one store write per notify:
 * a crash loses at most that moment of progress, which the next poll of the restarted process
 * brings back (the task stays in the open index from its submit, and the proxy has its current
 * state). Everything that must not be lost — a submit, a MODAL step, a final result, a delivery
 * stage — is still saved before anyone acts on it (see tracker.ts).
 */
import type { Logger } from '../../log.js';
import type { TaskRecord } from '../domain/records.js';
import type { RecordStore } from '../domain/stores.js';

/** How long a progress snapshot may wait for its save (a task's later progress replaces it meanwhile). */
export const PROGRESS_SAVE_DELAY_MS = 5000;
/** Records handed to the store per event-loop turn when saving progress. */
const SAVE_SLICE = 50;

export class ProgressSaves {
  private readonly dirty = new Map<string, TaskRecord>();
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly records: RecordStore,
    private readonly logger: Logger,
    /** Still this process's live copy of the task? (a released or settled task is not written) */
    private readonly owns: (record: TaskRecord) => boolean,
    private readonly delayMs = PROGRESS_SAVE_DELAY_MS,
  ) {}

  /** Save this record's progress soon. */
  later(record: TaskRecord): void {
    this.dirty.set(record.taskId, record);
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.delayMs);
    this.timer.unref?.();
  }

  /** The record is being saved now (or no longer ours): no deferred save for it. */
  forget(taskId: string): void {
    this.dirty.delete(taskId);
  }

  /**
   * Save every waiting snapshot now, a slice at a time: each slice is handed to the store in one
   * turn (so it commits as one), and other work — answering notify POSTs — runs between slices
   * instead of waiting for a thousand records to be encoded at once.
   */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.dirty.values()];
    this.dirty.clear();
    const saving = this.saveInSlices(batch);
    this.flushing = Promise.all([this.flushing, saving]).then(() => undefined);
    return this.flushing;
  }

  private async saveInSlices(batch: TaskRecord[]): Promise<void> {
    const saves: Promise<void>[] = [];
    for (let i = 0; i < batch.length; i += SAVE_SLICE) {
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      // Checked when its turn comes: a record finished or released meanwhile is not written.
      for (const record of batch.slice(i, i + SAVE_SLICE)) {
        if (record.finished || !this.owns(record)) continue;
        saves.push(
          this.records.save(record).catch((err: unknown) => {
            this.logger.warn({ err, taskId: record.taskId }, 'could not save task progress; the next poll brings it back');
          }),
        );
      }
    }
    await Promise.all(saves);
  }
}
