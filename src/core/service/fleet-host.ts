/**
 * What the service offers the fleet (FleetHost): follow a task in this process until its result
 * is settled, apply snapshots, let go of a task another process took over, and save again what
 * this process follows when Redis lost its data.
 */
import type { FleetHost } from '../domain/ports.js';
import { isSettled } from '../domain/records.js';
import type { RecordStore } from '../domain/stores.js';
import type { Outbox } from './outbox.js';
import type { Tracker } from './tracker.js';

export function fleetHost(deps: { records: RecordStore; tracker: Tracker; outbox: Outbox }): FleetHost {
  const { records, tracker, outbox } = deps;
  return {
    follow: async (taskId) => {
      const record = await records.get(taskId);
      if (!record || isSettled(record)) return;
      tracker.add(record);
      // Finished before this process took it over: only its delivery is left.
      if (record.finished) outbox.schedule(record);
      await tracker.whenDone(taskId);
    },
    owns: (taskId) => tracker.get(taskId) !== undefined,
    apply: (task) => tracker.ingest(task),
    release: (taskId) => tracker.release(taskId),
    pollIds: () => records.unfinishedIds(),
    openIds: () => records.openIds(),
    restore: async () => {
      const ids = tracker.ids();
      for (const id of ids) {
        const record = tracker.get(id);
        if (record) await records.save(record);
      }
      return ids;
    },
  };
}
