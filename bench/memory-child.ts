/**
 * Child process of benchmark 4: hold 10,000 tracked tasks one way and print the memory it took
 * as JSON. Variants: `mjbot memory://`, `mjbot sqlite://<path>`, `naive`.
 */
import { silentLogger } from '../src/log.js';
import { RecordStore } from '../src/core/domain/stores.js';
import { openStore } from '../src/runtime/store.js';
import { Tracker } from '../src/core/service/tracker.js';
import { sampleRecord, sampleTask } from './util.js';

const TASKS = 10_000;
/** Snapshots a naive bot keeps per task: one per notify (SUBMITTED, 6 progress steps, SUCCESS). */
const SNAPSHOTS = 8;

function usage(): { rss: number; heap: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed };
}

const [variant = 'naive', url = 'memory://'] = process.argv.slice(2);
const keep: unknown[] = [];
const before = usage();
if (variant === 'mjbot') {
  const store = await openStore(url);
  const records = new RecordStore(store);
  const tracker = new Tracker({
    client: { listByCondition: async () => [], fetch: async () => undefined, supportsList: async () => true },
    records,
    intervalMs: 3_600_000,
    logger: silentLogger(),
    onUpdate: async () => undefined,
  });
  for (let i = 0; i < TASKS; i++) {
    const record = sampleRecord(`1795${String(i).padStart(13, '0')}`, i);
    await records.save(record);
    tracker.add(record);
  }
  keep.push(store, tracker);
} else {
  // Every notify body kept as parsed JSON, per task, for the task's whole life.
  const history: unknown[][] = [];
  for (let i = 0; i < TASKS; i++) {
    const id = `1795${String(i).padStart(13, '0')}`;
    history.push(Array.from({ length: SNAPSHOTS }, (_, s) => JSON.parse(JSON.stringify(sampleTask(id, `${Math.round((s / (SNAPSHOTS - 1)) * 100)}%`, 'IN_PROGRESS')))));
  }
  keep.push(history);
}
const after = usage();
console.log(JSON.stringify({ rss: after.rss - before.rss, heap: after.heap - before.heap, kept: keep.length }));
process.exit(0);
