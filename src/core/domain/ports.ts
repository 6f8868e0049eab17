/**
 * The ports: everything the core needs from outside itself, as small interfaces. The MJ client
 * (src/mj), the runtime (src/runtime: store, fleet, downloads, metrics, health, HTTP server) and
 * the adapters (src/adapters: presenters) implement them; src/app.ts plugs them in.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MjClient } from '../../mj/client.js';
import type { Task } from '../../mj/schemas.js';
import type { ChatQueueView, AccessStats, UserUsage, RunningSlot } from './access-types.js';
import type { JobSpec, ParkedJob } from './jobs.js';
import type { TaskRecord } from './records.js';
import type { ChatRef, FormView, MessageRef, Origin, Platform, TaskView } from './types.js';

// === Storage

/** The namespaces the bot keeps. */
export const NAMESPACES = ['task', 'open', 'btn', 'form', 'user', 'chat', 'meta', 'msg', 'pending', 'adapter', 'line'] as const;
export type Namespace = (typeof NAMESPACES)[number];

/** One key of the store: its namespace and its name. */
export type StoreKey = readonly [ns: Namespace, key: string];

/** The keys of one `Store.transact`: reads see one consistent state, writes land together or not at all. */
export interface Transaction {
  /** Only keys listed in `transact` may be read or written (anything else throws). */
  get<T>(ns: Namespace, key: string): T | undefined;
  set<T>(ns: Namespace, key: string, value: T, ttlMs?: number): void;
  delete(ns: Namespace, key: string): void;
}

/** One entry of `Store.write`: a value to set (with an optional time to live) or a key to delete. */
export type StoreWrite =
  | { ns: Namespace; key: string; value: unknown; ttlMs?: number }
  | { ns: Namespace; key: string; delete: true };

/** Persistent key-value state with typed namespaces; values are JSON. */
export interface Store {
  get<T>(ns: Namespace, key: string): Promise<T | undefined>;
  set<T>(ns: Namespace, key: string, value: T, ttlMs?: number): Promise<void>;
  delete(ns: Namespace, key: string): Promise<boolean>;
  /**
   * Several sets and deletes as one write: they land together or not at all, and the promise
   * resolves only once they are durable (they survive the process being killed right after).
   * Concurrent writes may share one commit (SQLite), so many small writes cost one disk sync.
   */
  write(ops: readonly StoreWrite[]): Promise<void>;
  /**
   * Read-modify-write `keys` atomically against every other writer of the store, in this process
   * and in every other one sharing it (a Redis compare-and-set script, one SQLite transaction).
   * `body` is synchronous and may run more than once (after losing a race), so it must not have
   * effects besides its writes and its result; throwing inside it writes nothing.
   */
  transact<R>(keys: readonly StoreKey[], body: (tx: Transaction) => R): Promise<R>;
  /** All entries of a namespace (used at start-up for the small `open` namespace). */
  entries<T>(ns: Namespace): AsyncGenerator<[string, T]>;
  /** Which backend ("sqlite", "redis", "memory") — for logs and health. */
  readonly kind: string;
  close(): Promise<void>;
}

/** A key-value space of one adapter's own (its message bookkeeping), apart from the core's namespaces. */
export interface KeyValue {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<boolean>;
}

// === The MJ proxy

/** What the service asks of the MJ proxy client (one per speed mode). */
export type MjPort = Pick<
  MjClient,
  | 'imagine' | 'blend' | 'describe' | 'shorten' | 'faceSwap' | 'edits' | 'video' | 'uploadImages' | 'action' | 'modal'
  | 'fetch' | 'refreshLink' | 'listByCondition' | 'imageSeed' | 'cancel' | 'capabilities'
>;

// === Access control and fair scheduling

/**
 * Admission of jobs: allowlists, quotas, caps and the fair per-chat line (see src/core/access/).
 * Quota and caps are reserved atomically when a job is checked, for every process on the store.
 */
export interface JobGate {
  /** Before anything is shown: reserve the job's share of the quota and caps, or throw BotError FORBIDDEN / QUOTA_EXCEEDED. */
  check(origin: Origin, spec: JobSpec): Promise<Admission>;
  /**
   * The task's message is settled: free its slot; count it against quotas only if it succeeded
   * and its result was `delivered` (an `undeliverable` result is never charged). Called once per
   * task, after delivery — not when the proxy finished (docs/delivery.md).
   */
  finished(record: TaskRecord, outcome: DeliveryOutcome): Promise<void>;
  /** Start following the lines; `resume` runs jobs this process takes over from a stopped one (or from before a restart). */
  start(resume: (job: ResumedJob) => Promise<void>): Promise<void>;
  /** Stop; jobs still waiting here stay in the store for whichever process runs next. */
  close(): Promise<void>;
}

/** One job's way through admission, from `JobGate.check`. */
export interface Admission {
  /**
   * Wait in the chat's line for a slot; `job` is kept in the store meanwhile, and `onWait(position)`
   * keeps its message current. True once admitted; false when the job left this process (another
   * process took it over, or the gate closed) and must not be submitted here.
   */
  acquire(job: ParkedJob, onWait: (position: number) => Promise<void>): Promise<boolean>;
  /** The submit answered: `taskId` undefined = refused (the slot and the reservation are released). */
  submitted(taskId: string | undefined): Promise<void>;
  /** Give the reservation back without submitting (e.g. its message could not be opened). */
  release(): Promise<void>;
}

/** A job taken over from a stopped process. */
export interface ResumedJob {
  job: ParkedJob;
  admission: Admission;
  /** The stopped process had begun to submit it: the proxy may or may not have the job. */
  started: boolean;
}

/** What /queue, /gallery and /admin read and change, where access control is on. */
export interface AccessBook {
  chatQueue(chat: ChatRef): Promise<ChatQueueView>;
  running(): Promise<RunningSlot[]>;
  stats(): Promise<AccessStats>;
  usage(user: string): Promise<UserUsage>;
  block(user: string, by: string): Promise<void>;
  unblock(user: string): Promise<boolean>;
  grant(user: string, n: number): Promise<number>;
  gallery(chat: Pick<ChatRef, 'platform' | 'chatId'>, opts?: { sinceMs?: number; limit?: number }): Promise<string[]>;
  /** Take the waiting job shown by `messageId` out of its line (if `allow` says so); nothing was submitted, nothing is charged. */
  cancelWaiting(chat: ChatRef, messageId: string, allow: (job: ParkedJob) => boolean): Promise<{ job: ParkedJob; removed: boolean } | undefined>;
}

export type AccessControl = JobGate & AccessBook;

// === Showing tasks (implemented by each adapter)

/** How a task's message ended: its final view reached the chat, or the chat refused it for good. */
export type DeliveryOutcome = 'delivered' | 'undeliverable';

/**
 * How a platform refused a message. `permanent`: this chat will never take it (the bot was
 * blocked, kicked, the chat is gone) — the result becomes undeliverable at once. `transient`:
 * anything else (network, 5xx, rate limits) — tried again with backoff, a bounded number of times.
 */
export type SendFailure = 'permanent' | 'transient';

/**
 * Implemented by each adapter; the service drives every task message through it.
 *
 * Replay contract: `update` with a final view may be called again for the same message after a
 * crash or a lost fleet lock. It must then edit the same message or recognise that it already
 * shows that result — never post a second result. Only where the platform cannot tell whether a
 * send landed (a crash inside the send call) may one duplicate appear (docs/delivery.md).
 */
export interface Presenter {
  readonly platform: Platform;
  /** Create the task's message in answer to `origin`; returns a ref stored with the task. */
  open(origin: Origin, view: TaskView): Promise<MessageRef>;
  /** Show a new state of the task. Return a new ref if the message had to be replaced. */
  update(ref: MessageRef, view: TaskView): Promise<MessageRef | void>;
  /** Offer a form that appeared after the fact (e.g. remix MODAL seen on fetch): a message with an "open" button. */
  offerForm(ref: MessageRef, form: FormView): Promise<void>;
  /** Minimum gap between two non-final updates of one message (coalescing). */
  readonly minUpdateIntervalMs: number;
  /** Sort an error thrown by `open`, `update` or `offerForm` (see SendFailure). */
  classifyFailure(err: unknown): SendFailure;
}

// === Several processes (implemented on Redis by src/runtime/fleet.ts)

/** What the service offers the fleet: follow a task here, apply a snapshot, list open tasks. */
export interface FleetHost {
  /** Track the task in this process; resolves once it is settled here (delivered, undeliverable, or released). */
  follow(taskId: string): Promise<void>;
  /** Is this process tracking the task right now? */
  owns(taskId: string): boolean;
  /** Apply a snapshot of a task this process owns (the fleet checked the lock just before). */
  apply(task: Task): Promise<'applied' | 'ignored' | 'unknown'>;
  /** This process lost the task's lock: stop following it here, deliver nothing more. */
  release(taskId: string): void;
  /** Open tasks of the fleet the proxy has not finished (for the one batch poll per tick). */
  pollIds(): Promise<string[]>;
  /** Every open task of the fleet, finished ones waiting for delivery included. */
  openIds(): Promise<string[]>;
  /** Redis came back without its data: save again every task this process follows; returns their ids. */
  restore(): Promise<string[]>;
}

/** Distributes tracking over the processes that share one store. */
export interface TaskFleet {
  start(host: FleetHost): Promise<void>;
  /** Hand a newly submitted task to the fleet (some process will track it). */
  track(taskId: string): Promise<void>;
  /** Route a task snapshot (notify) to whichever process owns it. */
  route(task: Task): Promise<'applied' | 'ignored' | 'unknown' | 'published'>;
  /**
   * Fencing: does this process still hold the task's lock? Compared in Redis (the lock's token
   * against the one this process got), immediately before every delivery. False = another
   * process took the task over (this one was paused or cut off past the lock time).
   */
  holds(taskId: string): Promise<boolean>;
  close(): Promise<void>;
}

// === Images from the network

export interface FetchedImage {
  bytes: Buffer;
  mime: string;
  ext: string;
  width?: number;
  height?: number;
}

/** A size-capped, SSRF-guarded download (src/runtime/images/download.ts), checked to be an image (or, with `kind: 'video'`, a clip). */
export type ImageFetcher = (url: string, opts: { maxBytes: number; allowOrigins?: string[]; kind?: 'image' | 'video' }) => Promise<FetchedImage>;

// === Observability and HTTP

/** Told about task outcomes (metrics). Must not throw. */
export interface ServiceObserver {
  taskFinished(record: TaskRecord): void;
  /** A finished task's result reached its chat, or never will (the chat refused it for good). */
  resultSettled?(record: TaskRecord, outcome: 'delivered' | 'undeliverable'): void;
}

/** An HTTP route (Telegram webhook, /metrics): the requests to exactly `path` (query aside) are its own. */
export interface RouteHandler {
  path: string;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/** A readiness check (/healthz): true = up. A check that throws or hangs counts as down. */
export type HealthCheck = () => Promise<boolean> | boolean;
