/**
 * Hands task views to the adapters, coalescing per message: while an update is in flight or
 * the message was updated less than `presenter.minUpdateIntervalMs` ago, only the newest view is
 * kept. Final views skip the interval. Every view is tried once here; retrying a final view that
 * failed is the outbox's job (outbox.ts), on its own schedule.
 */
import type { Logger } from '../../log.js';
import type { MessageRef, TaskView } from '../domain/types.js';
import type { Presenter, SendFailure } from '../domain/ports.js';

/** What became of a view handed over: shown, or refused (and how). */
export type SendResult = { sent: true } | { sent: false; failure: SendFailure; reason: string };

/** A view, or how to build it when it is sent (undefined: nothing to show any more). */
type Pending = TaskView | (() => TaskView | undefined);

const isFinal = (pending: Pending | undefined): boolean => typeof pending === 'object' && pending.final;

interface Slot {
  ref: MessageRef;
  pending?: Pending;
  inFlight?: Promise<void>;
  timer?: NodeJS.Timeout;
  lastAt: number;
  waiters: ((result: SendResult) => void)[];
}

export interface DeliveryOptions {
  logger: Logger;
  /** Called when a presenter replaced the message (new ref to persist). */
  onRef: (key: string, ref: MessageRef) => Promise<void> | void;
}

export class Delivery {
  private readonly slots = new Map<string, Slot>();
  private readonly presenters = new Map<string, Presenter>();
  private closed = false;

  constructor(private readonly opts: DeliveryOptions) {}

  addPresenter(presenter: Presenter): void {
    this.presenters.set(presenter.platform, presenter);
  }

  presenter(platform: string): Presenter | undefined {
    return this.presenters.get(platform);
  }

  /** Queue `view` for the message `ref`; resolves once it (or a newer view) was shown, or refused. */
  push(key: string, ref: MessageRef, view: TaskView): Promise<SendResult> {
    const slot = this.slotFor(key, ref);
    // A final view is never replaced by a later non-final one (out-of-order callers).
    if (!(isFinal(slot.pending) && !view.final)) slot.pending = view;
    const done = new Promise<SendResult>((resolve) => slot.waiters.push(resolve));
    this.schedule(key, slot);
    return done;
  }

  /**
   * Progress: `build` makes the (non-final) view when it is sent, so the views that a newer one
   * replaces before their turn are never built. Nobody waits for these.
   */
  show(key: string, ref: MessageRef, build: () => TaskView | undefined): void {
    const slot = this.slotFor(key, ref);
    if (!isFinal(slot.pending)) slot.pending = build;
    this.schedule(key, slot);
  }

  private slotFor(key: string, ref: MessageRef): Slot {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { ref, lastAt: 0, waiters: [] };
      this.slots.set(key, slot);
    }
    slot.ref = ref;
    return slot;
  }

  private schedule(key: string, slot: Slot): void {
    if (slot.inFlight || !slot.pending) return;
    // A waiting progress timer never holds back a final view (flush clears the timer).
    const final = isFinal(slot.pending);
    if (slot.timer && !final) return;
    const presenter = this.presenters.get(slot.ref.chat.platform);
    const interval = presenter?.minUpdateIntervalMs ?? 0;
    const wait = final ? 0 : Math.max(0, slot.lastAt + interval - Date.now());
    if (wait === 0) return this.flush(key, slot);
    slot.timer = setTimeout(() => {
      slot.timer = undefined;
      this.flush(key, slot);
    }, wait);
    slot.timer.unref?.();
  }

  private flush(key: string, slot: Slot): void {
    const pending = slot.pending;
    if (!pending) return;
    if (slot.timer) {
      clearTimeout(slot.timer);
      slot.timer = undefined;
    }
    slot.pending = undefined;
    const waiters = slot.waiters.splice(0);
    const view = typeof pending === 'function' ? pending() : pending;
    if (!view) {
      // Nothing to show any more (the task moved on to its final view, which comes on its own).
      for (const resolve of waiters) resolve({ sent: true });
      return;
    }
    let result: SendResult = { sent: false, failure: 'transient', reason: 'not sent' };
    slot.inFlight = this.send(key, slot, view)
      .then((r) => {
        result = r;
      })
      .finally(() => {
        slot.inFlight = undefined;
        slot.lastAt = Date.now();
        for (const resolve of waiters) resolve(result);
        if (slot.pending) this.schedule(key, slot);
        else if (view.final) this.slots.delete(key);
      });
  }

  private async send(key: string, slot: Slot, view: TaskView): Promise<SendResult> {
    const presenter = this.presenters.get(slot.ref.chat.platform);
    if (!presenter) {
      this.opts.logger.warn({ key, platform: slot.ref.chat.platform }, 'no presenter for platform; update dropped');
      return { sent: false, failure: 'transient', reason: `no presenter for ${slot.ref.chat.platform}` };
    }
    if (this.closed) return { sent: false, failure: 'transient', reason: 'shutting down' };
    try {
      const newRef = await presenter.update(slot.ref, view);
      if (newRef) {
        slot.ref = newRef;
        await this.opts.onRef(key, newRef);
      }
      return { sent: true };
    } catch (err) {
      const failure = classify(presenter, err);
      this.opts.logger.warn({ key, err, final: view.final, failure }, 'presenter update failed');
      return { sent: false, failure, reason: err instanceof Error ? err.message : String(err) };
    }
  }

  /** Wait for everything queued to be handed over (used on shutdown and in tests). */
  async drain(): Promise<void> {
    for (let i = 0; i < 50; i++) {
      const busy = [...this.slots.values()].filter((s) => s.inFlight || s.pending);
      if (busy.length === 0) return;
      for (const s of busy) if (!s.inFlight && isFinal(s.pending)) this.schedule('', s);
      await Promise.all(busy.map((s) => s.inFlight ?? sleep(20)));
    }
  }

  close(): void {
    this.closed = true;
    for (const slot of this.slots.values()) if (slot.timer) clearTimeout(slot.timer);
  }
}

/** A presenter's own verdict; a classifier that throws counts as transient. */
function classify(presenter: Presenter, err: unknown): SendFailure {
  try {
    return presenter.classifyFailure(err);
  } catch {
    return 'transient';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
