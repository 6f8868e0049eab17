/**
 * A chat's waiting line, fair across users (start-time fair queueing): each user's jobs get
 * increasing start tags, a newcomer starts at the tag of the job admitted last, and the lowest
 * tag goes next. So if A queued five jobs and B one, B's goes right after A's running one.
 *
 * The line's clock is plain data (`LineClock`), so the gate keeps it in the store with the
 * waiting jobs (shared by a fleet, kept across restarts); `FairQueue` is the same rules in memory.
 */

/** The state of one chat's line besides its waiting jobs. */
export interface LineClock {
  /** Start tag of the job admitted last. */
  virtualTime: number;
  /** Per user: the start tag their next job gets at the earliest. */
  nextTag: Record<string, number>;
  /** Arrival counter (ties between equal tags go to who came first). */
  seq: number;
}

/** Where a waiting job stands in its line. */
export interface LinePlace {
  tag: number;
  seq: number;
}

export function newClock(): LineClock {
  return { virtualTime: 0, nextTag: {}, seq: 0 };
}

/** The place of a job `user` adds to the line now. */
export function join(clock: LineClock, user: string): LinePlace {
  const tag = Math.max(clock.virtualTime, clock.nextTag[user] ?? 0);
  clock.nextTag[user] = tag + 1;
  return { tag, seq: clock.seq++ };
}

/** A job at `place` was admitted: move the clock on. */
export function admitted(clock: LineClock, place: LinePlace): void {
  clock.virtualTime = place.tag;
  // Tags at or below the virtual time carry no information any more.
  for (const [user, tag] of Object.entries(clock.nextTag)) if (tag <= clock.virtualTime) delete clock.nextTag[user];
}

/** Admission order: lowest tag first, then first come. */
export function byPlace(a: LinePlace, b: LinePlace): number {
  return a.tag - b.tag || a.seq - b.seq;
}

/** The same line in memory (for callers that need no store). */
export class FairQueue<T> {
  private readonly clock = newClock();
  private entries: (LinePlace & { user: string; value: T })[] = [];

  get size(): number {
    return this.entries.length;
  }

  push(user: string, value: T): void {
    this.entries.push({ ...join(this.clock, user), user, value });
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
    admitted(this.clock, next);
    return next.value;
  }

  /** How many jobs `user` has waiting. */
  countBy(user: string): number {
    return this.entries.filter((e) => e.user === user).length;
  }

  private sorted() {
    return [...this.entries].sort(byPlace);
  }
}
