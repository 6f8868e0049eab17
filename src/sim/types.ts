/**
 * Public types of the embedded MJ proxy simulator and the internal task record.
 * The wire shapes come from src/mj/schemas.ts so the client and the simulator agree.
 */
import type { TaskWire } from '../mj/schemas.js';

/** Which real proxy the simulator imitates (docs/protocol.md#flavours). */
export type SimFlavour = 'plus' | 'trueai' | 'oss' | 'newapi';
export const SIM_FLAVOURS: readonly SimFlavour[] = ['plus', 'trueai', 'oss', 'newapi'];

export interface SimOptions {
  /** Proxy to imitate; default 'plus'. */
  flavour?: SimFlavour;
  host?: string;
  port?: number;
  /** If set, requests must authenticate the way the flavour does; unset = open. */
  apiKey?: string;
  /** Time between life steps (ms), default 50. */
  stepMs?: number;
  /** Number of IN_PROGRESS updates, default 3. */
  progressSteps?: number;
  /** Account remix mode: V/reroll/pan/vary answer code 21 + MODAL. */
  remix?: boolean;
  /** Words that trip the banned-prompt check (word boundaries, case-insensitive). */
  bannedWords?: string[];
  /** Tasks running at once, default 3; more are queued (code 22). */
  concurrency?: number;
  /** Max queued tasks, default 10; more are rejected (code 23, trueai 9). */
  queueLimit?: number;
  /** If set, image URLs are signed and expire after this many ms (HTTP 403 afterwards). 0 = unsigned. */
  imageUrlTtlMs?: number;
  /** newapi: fetch/list answers come from a snapshot refreshed at most every N ms. */
  staleFetchMs?: number;
  /** Duplicate and delay some notifyHook posts so that their order varies. */
  notifyChaos?: boolean;
  /** Clock used for timestamps and URL expiry; default Date.now. */
  now?: () => number;
}

export type ResolvedSimOptions = Required<Omit<SimOptions, 'apiKey'>> & { apiKey: string | undefined };

export interface SimRequestLogEntry {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  status: number;
  at: number;
}

/** A canned answer for {@link Simulator.failNext}. */
export type SimCannedAnswer = { status: number; body?: unknown; headers?: Record<string, string> } | 'drop-connection';

export interface Simulator {
  /** Base URL before `/mj`, e.g. `http://127.0.0.1:43123`. */
  readonly url: string;
  readonly options: ResolvedSimOptions;
  /** Every request received, in order. */
  readonly requests: SimRequestLogEntry[];
  /** Snapshot of all tasks as a fresh fetch would show them. */
  tasks(): TaskWire[];
  task(id: string): TaskWire | undefined;
  /** The next request matching `match` ('POST /mj/submit/imagine' or a path prefix) gets `answer` instead. */
  failNext(match: string, answer: SimCannedAnswer, times?: number): void;
  /** Make a task (or the next submitted one) end in FAILURE with `reason`. */
  failTask(idOrNext: string, reason?: string): void;
  /** Make a task (or the next submitted one) stop progressing forever. */
  stickTask(idOrNext: string): void;
  setRemix(on: boolean): void;
  /** Freeze / unfreeze all task progress. */
  pause(): void;
  resume(): void;
  /** Resolve when the task reaches one of `statuses` (default SUCCESS, FAILURE, MODAL). */
  waitFor(id: string, statuses?: string[]): Promise<TaskWire>;
  /** Forget all tasks, requests and canned answers. */
  reset(): void;
  close(): Promise<void>;
}

export type TaskStatus = 'NOT_START' | 'SUBMITTED' | 'MODAL' | 'IN_PROGRESS' | 'FAILURE' | 'SUCCESS';
export type SpeedMode = 'FAST' | 'RELAX' | 'TURBO';

/** Which button set / image a finished task gets. */
export type ResultKind = 'grid' | 'solo' | 'solo-hd' | 'describe' | 'shorten' | 'shorten-details' | 'single' | 'video' | 'video-solo';

export interface SimButton { customId: string; emoji: string; label: string; type: number; style: number }

export type Rgb = readonly [number, number, number];

/** Internal task record; serialised per flavour by flavours.ts. */
export interface SimTask {
  id: string;
  action: string;
  /** The action new-api would store for this request (it never copies the upstream action). */
  relayAction: string;
  status: TaskStatus;
  prompt: string;
  promptEn: string;
  description: string;
  state: string | null;
  submitTime: number;
  startTime: number | null;
  finishTime: number | null;
  /** Path under the sim (`/sim/img/...`), unsigned; null before the first image. */
  imagePath: string | null;
  videoPath: string | null;
  progress: string;
  failReason: string | null;
  finalPrompt: string;
  properties: Record<string, unknown>;
  buttons: SimButton[];
  mode: SpeedMode;
  botType: string;
  parentId: string | null;
  notifyHook: string | null;
  resultKind: ResultKind;
  /** Four colours of the grid; a solo image uses `palette[0]`. */
  palette: Rgb[];
  /** Progress updates done so far. */
  step: number;
  /** Failure planned for this run (failTask, trueai banned word). */
  plannedFailure: string | null;
  /** Fail right after SUBMITTED instead of after the first progress update. */
  failEarly: boolean;
  stuck: boolean;
  /** For modal tasks: what the pressed customId was (decides validation). */
  modalKind: 'custom-zoom' | 'inpaint' | 'prompt' | null;
  /** Description the task gets once its modal is submitted. */
  afterModalDescription: string | null;
  /** Image size of the parent (inpaint masks must match). */
  parentSize: { width: number; height: number } | null;
  /** Texts extracted for describe / shorten results (numbered prompts). */
  numberedPrompts: string[];
}
