/**
 * What the bot remembers about each task it submitted (namespace 'task') and which tasks are
 * still open (namespace 'open'). Written before the user is told anything, so a restart loses nothing.
 */
import type { Task } from '../../mj/schemas.js';
import type { Actor, ChatRef, MessageRef } from './types.js';
import type { Store } from './ports.js';

export type JobKind = 'imagine' | 'blend' | 'describe' | 'shorten' | 'faceswap' | 'action' | 'modal';

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

export class RecordStore {
  constructor(private readonly store: Store) {}

  get(taskId: string): Promise<TaskRecord | undefined> {
    return this.store.get<TaskRecord>('task', taskId);
  }

  async save(record: TaskRecord): Promise<void> {
    await this.store.set('task', record.taskId, record, RECORD_TTL_MS);
    if (record.finished) await this.store.delete('open', record.taskId);
    else await this.store.set('open', record.taskId, { deadline: record.deadline });
  }

  /** Ids of tasks that were still open when the process last stopped. */
  async openIds(): Promise<string[]> {
    const ids: string[] = [];
    for await (const [id] of this.store.entries<{ deadline: number }>('open')) ids.push(id);
    return ids;
  }
}
