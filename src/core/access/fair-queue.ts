/**
 * A chat's waiting line, fair across users (start-time fair queueing): each user's jobs get
 * increasing start tags, a newcomer starts at the tag of the job admitted last, and the lowest
 * tag goes next. So if A queued five jobs and B one, B's goes right after A's running one.
 * Kept in memory: a restart drops the line (the waiting users' messages simply stay "queued").
 */
interface Entry<T> {
  seq: number;
  user: string;
  start: number;
  value: T;
}

export class FairQueue<T> {
  /** Start tag of the job admitted last. */
  private virtualTime = 0;
  /** Per user: the start tag their next job gets at the earliest. */
  private readonly nextTag = new Map<string, number>();
  private entries: Entry<T>[] = [];
  private seq = 0;

  get size(): number {
    return this.entries.length;
  }

  push(user: string, value: T): void {
    const start = Math.max(this.virtualTime, this.nextTag.get(user) ?? 0);
    this.nextTag.set(user, start + 1);
    this.entries.push({ seq: this.seq++, user, start, value });
  }

  /** Waiting values in the order they will be admitted (if nobody else arrives). */
  ordered(): T[] {
    return this.sorted().map((e) => e.value);
  }

  /** Admit the next job. */
  shift(): T | undefined {
    const next = this.sorted()[0];
    if (!next) return undefined;
    this.entries = this.entries.filter((e) => e !== next);
    this.virtualTime = next.start;
    // Tags at or below the virtual time carry no information any more.
    for (const [user, tag] of this.nextTag) if (tag <= this.virtualTime) this.nextTag.delete(user);
    return next.value;
  }

  /** Users with waiting jobs, and how many each. */
  countBy(user: string): number {
    return this.entries.filter((e) => e.user === user).length;
  }

  private sorted(): Entry<T>[] {
    return [...this.entries].sort((a, b) => a.start - b.start || a.seq - b.seq);
  }
}
