/**
 * Group commit: writes that arrive while a commit is running wait for it and then share the next
 * one, so N concurrent writers cost one commit instead of N. A write in a quiet moment waits
 * only for the end of the current event-loop turn (no timer); each writer's promise resolves
 * only after the commit that holds its entries.
 */

/** One raw entry in the backend's own layout: a serialized value (envelope) to set, or a key to delete. */
export type RawOp = { key: string; raw: string; ttlMs?: number } | { key: string; delete: true };

interface Waiter {
  ops: readonly RawOp[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Upper bound of entries per commit (larger groups are split; keeps one statement bounded). */
const MAX_OPS_PER_COMMIT = 4000;

export class GroupCommit {
  private queue: Waiter[] = [];
  /** Set and cleared inside `drain` with no await in between, so no write is ever left waiting. */
  private active = false;
  private running: Promise<void> = Promise.resolve();
  /** Commits made (for tests and benchmarks). */
  commits = 0;

  /** `commit` writes entries in one atomic, durable transaction; the last entry for a key wins. */
  constructor(private readonly commit: (ops: RawOp[]) => Promise<void>) {}

  write(ops: readonly RawOp[]): Promise<void> {
    if (ops.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.queue.push({ ops, resolve, reject });
      if (!this.active) {
        this.active = true;
        // Wait one turn of the event loop: the writers woken by the previous commit all hand
        // in their next write in that turn, and then share one commit instead of 1 + N-1.
        this.running = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.drain());
      }
    });
  }

  /** Resolves once every write handed in so far is committed (or failed). */
  async idle(): Promise<void> {
    while (this.active) await this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const group = this.take();
        try {
          this.commits++;
          await this.commit(group.flatMap((w) => w.ops));
          for (const w of group) w.resolve();
        } catch (err) {
          // A shared commit failed: give each writer its own, so one bad entry fails only its writer.
          if (group.length === 1) group[0]!.reject(err);
          else for (const w of group) await this.commit([...w.ops]).then(w.resolve, w.reject);
        }
      }
    } finally {
      this.active = false;
    }
  }

  private take(): Waiter[] {
    let size = 0;
    let n = 0;
    while (n < this.queue.length && (n === 0 || size + this.queue[n]!.ops.length <= MAX_OPS_PER_COMMIT)) size += this.queue[n++]!.ops.length;
    return this.queue.splice(0, n);
  }
}

/** The last entry per key, in first-seen order (a later set or delete of a key replaces an earlier one). */
export function lastPerKey(ops: readonly RawOp[]): RawOp[] {
  const byKey = new Map<string, RawOp>();
  for (const op of ops) {
    byKey.delete(op.key);
    byKey.set(op.key, op);
  }
  return [...byKey.values()];
}
