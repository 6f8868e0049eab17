/**
 * What the bot remembers about each task it submitted, and the rules of its status (pure; stored
 * by `RecordStore` in stores.ts).
 */
import type { Task } from '../../mj/schemas.js';
import type { Actor, ChatRef, MessageRef } from './types.js';

export type JobKind = 'imagine' | 'blend' | 'describe' | 'shorten' | 'faceswap' | 'edit' | 'video' | 'action' | 'modal';

export interface TaskRecord {
  taskId: string;
  kind: JobKind;
  /** Prompt or job description shown to users. */
  prompt: string;
  chat: ChatRef;
  owner: Actor;
  ref?: MessageRef;
  /** Last applied status / progress (monotonic, see `rankOf`). */
  status: string;
  percent: number;
  rank: number;
  queuePosition?: number;
  submittedAt: number;
  deadline: number;
  /** The proxy reported a terminal status (or the bot gave the task up). */
  finished: boolean;
  /** Where the task's message is in its life (persisted; see docs/delivery.md). */
  stage: MessageStage;
  /** Final-view delivery attempts that failed, and when the next one is due. */
  delivery?: DeliveryAttempts;
  parentTaskId?: string;
  customId?: string;
  /** Answer to send to /mj/submit/modal as soon as the task shows MODAL (relays hide code 21). */
  pendingModal?: { prompt?: string; maskBase64?: string };
  /** /modal was already sent: later MODAL notifications are stale. */
  modalSubmitted?: boolean;
  /** Form offered for a late MODAL (remix). */
  formId?: string;
  /** Last task snapshot from the proxy (buttons, finalPrompt, imageUrl). */
  task?: Task;
  /** Failure code and detail when finished unsuccessfully. */
  failure?: { code: string; detail?: string };
}

/**
 * The life of a task's message: `submitted` → `progress` → `final-ready` (the result is known, not
 * yet in the chat) → `delivered` | `undeliverable` (the chat refused it for good). A task stays
 * open — resumed after a restart, followed in the fleet — until its stage is one of the last two.
 */
export type MessageStage = 'submitted' | 'progress' | 'final-ready' | 'delivered' | 'undeliverable';

export interface DeliveryAttempts {
  /** Failed attempts so far. */
  failures: number;
  /** Epoch ms of the next attempt (absent = at once). */
  nextAt?: number;
  /** Why the last attempt failed (log-safe, for /history and operators). */
  lastError?: string;
  /** A fleet process started sending the final view then (epoch ms); `by` names the process. */
  sending?: { at: number; by: string };
}

/** The final view reached the chat, or never will: nothing is left to do for this task. */
export function isSettled(record: Pick<TaskRecord, 'stage'>): boolean {
  return record.stage === 'delivered' || record.stage === 'undeliverable';
}

/** Records written before stages existed carried `delivered: boolean`; read them as stages. */
export function withStage(record: TaskRecord & { delivered?: boolean }): TaskRecord {
  if (record.stage) return record;
  record.stage = record.delivered ? 'delivered' : record.finished ? 'final-ready' : 'progress';
  delete record.delivered;
  return record;
}

/** Keep finished records long enough for buttons to work for months. */
export const RECORD_TTL_MS = 180 * 24 * 3600_000;

/** Status rank for monotonic updates (MODAL ranks lowest: after /modal the task restarts at NOT_START). */
export function rankOf(status: string, percent: number): number {
  switch (status) {
    case 'MODAL':
    case 'NOT_START':
    case '':
      return 0;
    case 'SUBMITTED':
      return 1;
    case 'IN_PROGRESS':
      return 3 + Math.min(percent, 99) / 100;
    case 'SUCCESS':
    case 'FAILURE':
    case 'CANCEL':
      return 5;
    default:
      return 2;
  }
}

export function isTerminal(status: string): boolean {
  return status === 'SUCCESS' || status === 'FAILURE' || status === 'CANCEL';
}

/** "54%" / "54" / "" → 54 / 0. */
export function parsePercent(progress: string | number | undefined): number {
  const n = Number.parseFloat(String(progress ?? '').replace('%', ''));
  return Number.isFinite(n) ? Math.max(0, Math.min(100, n)) : 0;
}
