/**
 * A sliding window of sends ("at most `limit` in any `spanMs`"), the shape of every Telegram flood
 * limit the budget models. A send is stamped when its answer arrives, not when it leaves: Telegram
 * counts it somewhere in between, so a slot freed one span after the answer is free on Telegram's
 * side too, whatever the network's delay. A send still in flight holds its slot.
 */

/** One counted send; `at` is Infinity while it is in flight. */
export interface Slot {
  at: number;
}

export class FloodWindow {
  private slots: Slot[] = [];

  constructor(
    readonly limit: number,
    readonly spanMs: number,
  ) {}

  /** Sends counted now (in flight included). */
  count(now: number): number {
    this.prune(now);
    return this.slots.length;
  }

  /**
   * Milliseconds until one more send (keeping `reserve` slots free) fits; Infinity when only a
   * send in flight can free a slot (its answer will wake the budget).
   */
  waitMs(now: number, reserve = 0): number {
    this.prune(now);
    const excess = this.slots.length + reserve - this.limit + 1;
    if (excess <= 0) return 0;
    const times = this.slots.map((s) => s.at).sort((a, b) => a - b);
    const freeing = times[excess - 1] ?? Infinity;
    return freeing === Infinity ? Infinity : Math.max(1, Math.ceil(freeing + this.spanMs - now));
  }

  /** Count a send that leaves now; stamp it with `done` when its answer arrives. */
  add(slot: Slot): void {
    this.slots.push(slot);
  }

  private prune(now: number): void {
    if (this.slots.some((s) => s.at <= now - this.spanMs)) this.slots = this.slots.filter((s) => s.at > now - this.spanMs);
  }
}
