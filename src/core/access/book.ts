/**
 * The admission book: every job between its reservation and its end, and each chat's line clock,
 * as one stored document. The gate changes it only inside store transactions, so every process
 * on a shared store sees — and changes — one consistent book. Pure functions over plain data.
 *
 * A job is `reserved` (quota and the user's cap taken, its message being opened), then `waiting`
 * in its chat's fair line, then `running` (holding one of the chat's slots) until it ends. Its
 * `owner` is the process that drives it; a job whose owner stopped is taken over (see `adopt`).
 */
import { admitted, byPlace, join, newClock, type LineClock, type LinePlace } from './fair-queue.js';

export type JobState = 'reserved' | 'waiting' | 'running';

export interface BookJob {
  id: string;
  /** `platform:userId`. */
  user: string;
  name: string;
  /** Short description for /queue and /admin running. */
  what: string;
  /** Where the chat cap applies (see `scopeOf`). */
  scope: string;
  /** `platform:chatId`. */
  chat: string;
  /** Bot admins skip the line and the limits, but still hold a slot. */
  admin?: boolean;
  state: JobState;
  /** Instance id of the process driving the job. */
  owner: string;
  /** Running: its process began to submit it (false: admitted, not picked up yet). */
  started?: boolean;
  taskId?: string;
  /** When it was reserved; once running, when it was admitted. */
  since: number;
  /** Its place in the line while waiting. */
  place?: LinePlace;
}

export interface BookState {
  jobs: Record<string, BookJob>;
  clocks: Record<string, LineClock>;
  /** Counts changes, so a process can tell an older snapshot from a newer one. */
  version?: number;
}

export function emptyBook(): BookState {
  return { jobs: {}, clocks: {} };
}

/** A reservation lives while a message is opened; older ones belong to a process that died then. */
const RESERVATION_MAX_MS = 10 * 60_000;

/** Drop what no process will ever end: running jobs past `maxRunMs`, forgotten reservations. */
export function purge(book: BookState, now: number, maxRunMs: number): void {
  for (const job of Object.values(book.jobs)) {
    const limit = job.state === 'running' ? maxRunMs : job.state === 'reserved' ? RESERVATION_MAX_MS : Infinity;
    if (now - job.since > limit) delete book.jobs[job.id];
  }
}

/**
 * Forget the line clocks of chats where nobody draws or waits: with no one in line, nobody's
 * history matters any more, and the book does not grow with every chat that ever drew.
 */
export function pruneClocks(book: BookState): void {
  const busy = new Set(Object.values(book.jobs).filter((j) => j.state !== 'reserved').map((j) => j.scope));
  for (const scope of Object.keys(book.clocks)) if (!busy.has(scope)) delete book.clocks[scope];
}

/** Jobs of `user` reserved, waiting or running (what the per-user cap and the quota count). */
export function inFlightOf(book: BookState, user: string): number {
  return Object.values(book.jobs).filter((j) => j.user === user && !j.admin).length;
}

/** Waiting jobs of a chat in admission order. */
export function waitingIn(book: BookState, scope: string): BookJob[] {
  return Object.values(book.jobs)
    .filter((j) => j.scope === scope && j.state === 'waiting')
    .sort((a, b) => byPlace(a.place!, b.place!));
}

export function runningIn(book: BookState, scope: string): BookJob[] {
  return Object.values(book.jobs).filter((j) => j.scope === scope && j.state === 'running');
}

/** Put a reserved job in its chat's line (admins go straight to a slot). */
export function enqueue(book: BookState, job: BookJob, now: number): void {
  if (job.admin) {
    Object.assign(job, { state: 'running', since: now, started: true });
    return;
  }
  const clock = (book.clocks[job.scope] ??= newClock());
  job.state = 'waiting';
  job.place = join(clock, job.user);
}

/** Admit waiting jobs while the chat has free slots; returns the ids admitted. */
export function admit(book: BookState, scope: string, cap: number, now: number): string[] {
  const ids: string[] = [];
  let busy = runningIn(book, scope).length;
  for (const job of waitingIn(book, scope)) {
    if (busy >= cap) break;
    admitted((book.clocks[scope] ??= newClock()), job.place!);
    Object.assign(job, { state: 'running', since: now, started: false, place: undefined });
    ids.push(job.id);
    busy++;
  }
  return ids;
}

/** Admit everywhere there is room. */
export function admitAll(book: BookState, cap: number, now: number): string[] {
  const scopes = new Set(Object.values(book.jobs).filter((j) => j.state === 'waiting').map((j) => j.scope));
  return [...scopes].flatMap((scope) => admit(book, scope, cap, now));
}

/** Owners of jobs that still need their process (not yet handed to the proxy). */
export function ownersNeeded(book: BookState): Set<string> {
  return new Set(Object.values(book.jobs).filter((j) => !j.taskId).map((j) => j.owner));
}

export interface Adopted {
  id: string;
  /** Running: the dead process had admitted it; `started` = its submit may have been sent. */
  state: JobState;
  started: boolean;
}

/**
 * Take over the jobs of stopped processes: reservations are dropped (their message never got
 * further than "submitting"), waiting and admitted jobs become `me`'s. Jobs with a task id are
 * left alone: the tracker ends them wherever it runs.
 */
export function adopt(book: BookState, dead: Set<string>, me: string): Adopted[] {
  const taken: Adopted[] = [];
  for (const job of Object.values(book.jobs)) {
    if (!dead.has(job.owner) || job.taskId) continue;
    if (job.state === 'reserved') {
      delete book.jobs[job.id];
      continue;
    }
    job.owner = me;
    taken.push({ id: job.id, state: job.state, started: job.started === true });
  }
  return taken;
}
