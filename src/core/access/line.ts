/**
 * One chat's admission line: every job of the chat (its cap's scope) between its reservation and
 * its end, and the line's clock, as one stored document per scope (lines.ts stores them). The
 * gate changes a line only inside store transactions, so every process on a shared store sees —
 * and changes — one consistent line. Pure functions over plain data.
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

export interface LineState {
  jobs: Record<string, BookJob>;
  /** Kept only while someone waits or draws here (see `pruneClock`). */
  clock?: LineClock;
  /** Counts changes, so a process can tell an older snapshot from a newer one (see lines.ts). */
  version?: number;
}

export function emptyLine(): LineState {
  return { jobs: {} };
}

export function isEmpty(line: LineState): boolean {
  return Object.keys(line.jobs).length === 0;
}

/** A reservation lives while a message is opened; older ones belong to a process that died then. */
const RESERVATION_MAX_MS = 10 * 60_000;

/** Drop what no process will ever end: running jobs past `maxRunMs`, forgotten reservations. */
export function purge(line: LineState, now: number, maxRunMs: number): void {
  for (const job of Object.values(line.jobs)) {
    const limit = job.state === 'running' ? maxRunMs : job.state === 'reserved' ? RESERVATION_MAX_MS : Infinity;
    if (now - job.since > limit) delete line.jobs[job.id];
  }
}

/** With nobody waiting or drawing, nobody's history in the line matters any more: forget the clock. */
export function pruneClock(line: LineState): void {
  if (!Object.values(line.jobs).some((j) => j.state !== 'reserved')) delete line.clock;
}

/** Jobs of `user` reserved, waiting or running here (what the per-user cap and the quota count). */
export function inFlightOf(line: LineState, user: string): number {
  return Object.values(line.jobs).filter((j) => j.user === user && !j.admin).length;
}

/** Does `user` have any job here (admins' included)? */
export function hasJobsOf(line: LineState, user: string): boolean {
  return Object.values(line.jobs).some((j) => j.user === user);
}

/** Waiting jobs in admission order. */
export function waitingIn(line: LineState): BookJob[] {
  return Object.values(line.jobs)
    .filter((j) => j.state === 'waiting')
    .sort((a, b) => byPlace(a.place!, b.place!));
}

export function runningIn(line: LineState): BookJob[] {
  return Object.values(line.jobs).filter((j) => j.state === 'running');
}

/** Put a reserved job in the line (admins go straight to a slot). */
export function enqueue(line: LineState, job: BookJob, now: number): void {
  if (job.admin) {
    Object.assign(job, { state: 'running', since: now, started: true });
    return;
  }
  const clock = (line.clock ??= newClock());
  job.state = 'waiting';
  job.place = join(clock, job.user);
}

/** Admit waiting jobs while the line's scope has free slots; returns the ids admitted. */
export function admit(line: LineState, cap: number, now: number): string[] {
  const ids: string[] = [];
  let busy = runningIn(line).length;
  for (const job of waitingIn(line)) {
    if (busy >= cap) break;
    admitted((line.clock ??= newClock()), job.place!);
    Object.assign(job, { state: 'running', since: now, started: false, place: undefined });
    ids.push(job.id);
    busy++;
  }
  return ids;
}

/** A job waits and a slot is free (a change would admit it). */
export function hasRoom(line: LineState, cap: number): boolean {
  return waitingIn(line).length > 0 && runningIn(line).length < cap;
}

/** Owners of jobs that still need their process (not yet handed to the proxy). */
export function ownersNeeded(line: LineState): Set<string> {
  return new Set(Object.values(line.jobs).filter((j) => !j.taskId).map((j) => j.owner));
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
export function adopt(line: LineState, dead: Set<string>, me: string): Adopted[] {
  const taken: Adopted[] = [];
  for (const job of Object.values(line.jobs)) {
    if (!dead.has(job.owner) || job.taskId) continue;
    if (job.state === 'reserved') {
      delete line.jobs[job.id];
      continue;
    }
    job.owner = me;
    taken.push({ id: job.id, state: job.state, started: job.started === true });
  }
  return taken;
}
