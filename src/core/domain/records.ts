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
  finished: boolean;
  /** The final view was handed to the presenter (never deliver twice). */
  delivered: boolean;
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
