/**
 * The update queue behind getUpdates: offset confirmation, limit, allowed_updates, long-poll holds
 * released by new updates, and 409 for a getUpdates superseded by a newer one.
 */
import { TelegramApiError, badRequest } from './errors.js';
import type { TgUpdate } from './types.js';

type UpdateBody = Omit<TgUpdate, 'update_id'>;

interface Waiter {
  offset: number;
  limit: number;
  resolve: (updates: TgUpdate[]) => void;
  reject: (err: unknown) => void;
  timer: NodeJS.Timeout;
}

export interface PollRequest {
  promise: Promise<TgUpdate[]>;
  /** Call when the client went away: the hold ends without an answer. */
  cancel: () => void;
}

const CONFLICT = 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';

function updateType(update: TgUpdate): string {
  return Object.keys(update).find((k) => k !== 'update_id') ?? 'unknown';
}

function intOr(value: unknown, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw badRequest('invalid integer parameter');
  return n;
}

export class UpdateQueue {
  private pending: TgUpdate[] = [];
  private nextUpdateId = 1;
  private waiter: Waiter | undefined;
  /** Default per Bot API: every type except chat_member, message_reaction and message_reaction_count. */
  private allowed: string[] | undefined;
  webhookUrl = '';

  constructor(private readonly maxHoldMs: number) {}

  /** Queues an update and releases a held getUpdates if it can take it. */
  push(body: UpdateBody): TgUpdate {
    const update = { update_id: this.nextUpdateId++, ...body };
    this.pending.push(update);
    const waiter = this.waiter;
    if (waiter) {
      const batch = this.take(waiter.offset, waiter.limit);
      if (batch.length > 0) this.finish(waiter).resolve(batch);
    }
    return update;
  }

  /** Updates not yet confirmed by an offset (for diagnostics). */
  get unconfirmed(): readonly TgUpdate[] {
    return this.pending;
  }

  /** Handles one getUpdates call. */
  poll(params: Record<string, unknown>): PollRequest {
    if (this.webhookUrl) {
      const err = new TelegramApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
      return { promise: Promise.reject(err), cancel: () => undefined };
    }
    const offset = intOr(params.offset, 0);
    const limit = Math.min(100, Math.max(1, intOr(params.limit, 100)));
    const timeoutSeconds = Math.max(0, intOr(params.timeout, 0));
    if (Array.isArray(params.allowed_updates)) {
      this.allowed = params.allowed_updates.length > 0 ? params.allowed_updates.map(String) : undefined;
    }
    const previous = this.waiter;
    if (previous) this.finish(previous).reject(new TelegramApiError(409, CONFLICT));

    const ready = this.take(offset, limit);
    if (ready.length > 0 || timeoutSeconds === 0) return { promise: Promise.resolve(ready), cancel: () => undefined };

    let waiter: Waiter | undefined;
    const promise = new Promise<TgUpdate[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (waiter) this.finish(waiter).resolve([]);
      }, Math.min(timeoutSeconds * 1000, this.maxHoldMs));
      waiter = { offset, limit, resolve, reject, timer };
    });
    this.waiter = waiter;
    return {
      promise,
      cancel: () => {
        if (waiter && this.waiter === waiter) this.finish(waiter);
      },
    };
  }

  /** Forgets every queued update (deleteWebhook/setWebhook with drop_pending_updates). */
  dropPending(): void {
    this.pending = [];
  }

  /** Ends any held getUpdates with an empty answer (used on shutdown). */
  releaseAll(): void {
    if (this.waiter) this.finish(this.waiter).resolve([]);
  }

  private finish(waiter: Waiter): Waiter {
    clearTimeout(waiter.timer);
    if (this.waiter === waiter) this.waiter = undefined;
    return waiter;
  }

  /** Confirms updates below `offset` (negative = keep only the last -offset), then returns up to `limit` deliverable ones. */
  private take(offset: number, limit: number): TgUpdate[] {
    if (offset > 0) this.pending = this.pending.filter((u) => u.update_id >= offset);
    else if (offset < 0) this.pending = this.pending.slice(offset);
    // Telegram never delivers updates of types the bot did not subscribe to.
    if (this.allowed) {
      const allowed = this.allowed;
      this.pending = this.pending.filter((u) => allowed.includes(updateType(u)));
    }
    return this.pending.slice(0, limit);
  }
}
