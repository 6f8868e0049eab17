/**
 * The jobs holding a slot (admitted, submitted, not finished), kept as one list in the store so
 * every process on a shared Redis sees the same running counts. Entries older than the task
 * timeout plus a margin are dropped on read, so a crashed process cannot block a chat for ever.
 */
import type { RunningSlot } from '../domain/access-types.js';
import type { Store } from '../domain/ports.js';
import { keys, Serial } from './keys.js';

export type { RunningSlot };


export class RunningBook {
  private readonly serial = new Serial();

  constructor(
    private readonly store: Store,
    private readonly maxAgeMs: number,
    private readonly now: () => number,
  ) {}

  async list(): Promise<RunningSlot[]> {
    const slots = (await this.store.get<RunningSlot[]>('meta', keys.running)) ?? [];
    const oldest = this.now() - this.maxAgeMs;
    return slots.filter((s) => s.since >= oldest);
  }

  /** Read-modify-write the list; `change` is synchronous so it sees a consistent list. */
  update<T>(change: (slots: RunningSlot[]) => T): Promise<T> {
    return this.serial.run(async () => {
      const slots = await this.list();
      const result = change(slots);
      await this.store.set('meta', keys.running, slots);
      return result;
    });
  }

  /** Remove the slot matching `match`; returns it. */
  take(match: (slot: RunningSlot) => boolean): Promise<RunningSlot | undefined> {
    return this.update((slots) => {
      const index = slots.findIndex(match);
      return index < 0 ? undefined : slots.splice(index, 1)[0];
    });
  }
}
