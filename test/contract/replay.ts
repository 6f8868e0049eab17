/**
 * Crash replay for the contract: make a delivered result look as if the process had crashed right
 * after showing it, before saving that it did — the restarted bot then delivers it once more.
 */
import { RecordStore } from '../../src/core/domain/stores.js';
import type { Store } from '../../src/core/domain/ports.js';
import type { Simulator } from '../../src/sim/index.js';
import { until } from '../helpers/wait.js';

/** The id of the (only) task drawn for `prompt`. */
export function taskIdFor(sim: Simulator, prompt: string): string {
  const found = sim.tasks().filter((t) => String(t.prompt ?? '').includes(prompt));
  if (found.length !== 1) throw new Error(`expected one task for "${prompt}", found ${found.length}`);
  return String(found[0]!.id);
}

/** Put the delivered task back to "final ready" (and open), as a crash before the save would leave it. */
export async function forgetDelivery(store: Store, taskId: string): Promise<void> {
  const records = new RecordStore(store);
  await until(async () => (await records.get(taskId))?.stage === 'delivered', 10_000, `task ${taskId} delivered`);
  const record = (await records.get(taskId))!;
  record.stage = 'final-ready';
  await records.save(record);
}

/** Resolves once the restarted bot has delivered the task again. */
export function delivered(store: Store, taskId: string): Promise<void> {
  const records = new RecordStore(store);
  return until(async () => (await records.get(taskId))?.stage === 'delivered', 10_000, `task ${taskId} delivered again`);
}
