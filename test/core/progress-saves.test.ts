/**
 * What the tracker writes when: a final result is in the store before anyone is told of it; plain
 * progress is saved a moment later, several tasks in one go; a task released to another process
 * is not written by this one afterwards; and the receiver applies a task's updates in order,
 * never moving it backwards.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { TaskSchema, type Task } from '../../src/mj/schemas.js';
import { RecordStore } from '../../src/core/domain/stores.js';
import type { TaskRecord } from '../../src/core/domain/records.js';
import { Tracker, type UpdateKind } from '../../src/core/service/tracker.js';
import { openStore, type Store } from '../../src/runtime/store.js';

let store: Store | undefined;
let tracker: Tracker | undefined;
afterEach(async () => {
  tracker?.stop();
  await tracker?.idle();
  await store?.close();
  store = tracker = undefined;
});

const task = (id: string, status: string, progress: string): Task => TaskSchema.parse({ id, status, progress, imageUrl: `https://cdn.example/${id}-${progress}.png` });

function record(taskId: string): TaskRecord {
  const now = Date.now();
  return {
    taskId, kind: 'imagine', prompt: 'a fox', chat: { platform: 'console', chatId: 'c1', isGroup: false }, owner: { userId: 'u1', name: 'u1', locale: 'en' },
    status: 'SUBMITTED', percent: 0, rank: 1, submittedAt: now, deadline: now + 600_000, finished: false, stage: 'submitted',
  };
}

async function setUp(ids: string[]): Promise<{ records: RecordStore; seen: { id: string; kind: UpdateKind; stored?: string }[] }> {
  store = await openStore('memory://');
  const records = new RecordStore(store);
  const seen: { id: string; kind: UpdateKind; stored?: string }[] = [];
  tracker = new Tracker({
    client: { listByCondition: async () => [], fetch: async () => undefined, supportsList: async () => true },
    records, intervalMs: 600_000, logger: silentLogger(), poll: false,
    // What the store holds at the moment the service is told about the update.
    onUpdate: async (r, kind) => void seen.push({ id: r.taskId, kind, stored: (await records.get(r.taskId))?.status }),
  });
  for (const id of ids) {
    const r = record(id);
    await records.save(r);
    tracker.add(r);
  }
  await tracker.start({ resume: false });
  return { records, seen };
}

describe('tracker saves', () => {
  it('a final result is stored before the service hears of it; progress follows within a moment, for all tasks together', async () => {
    const { records, seen } = await setUp(['1001', '1002']);
    await tracker!.ingest(task('1001', 'IN_PROGRESS', '30%'));
    await tracker!.ingest(task('1002', 'IN_PROGRESS', '50%'));
    expect(seen.map((s) => s.kind)).toEqual(['progress', 'progress']);
    await tracker!.idle();
    expect((await records.get('1001'))?.percent).toBe(30);
    expect((await records.get('1002'))?.percent).toBe(50);
    await tracker!.ingest(task('1001', 'SUCCESS', '100%'));
    expect(seen.at(-1)).toEqual({ id: '1001', kind: 'final', stored: 'SUCCESS' });
    expect((await records.get('1001'))?.stage).toBe('final-ready');
  });

  it('applies a task\'s updates in order and ignores older ones that arrive late', async () => {
    const { records, seen } = await setUp(['2001']);
    for (const [status, progress] of [['IN_PROGRESS', '15%'], ['IN_PROGRESS', '62%'], ['IN_PROGRESS', '30%'], ['SUCCESS', '100%'], ['IN_PROGRESS', '93%']] as const) {
      await tracker!.ingest(task('2001', status, progress));
    }
    expect(seen.map((s) => s.kind)).toEqual(['progress', 'progress', 'final']);
    await tracker!.idle();
    const saved = await records.get('2001');
    expect([saved?.status, saved?.percent]).toEqual(['SUCCESS', 100]);
  });

  it('does not write progress of a task handed to another process', async () => {
    const { records } = await setUp(['3001']);
    await tracker!.ingest(task('3001', 'IN_PROGRESS', '40%'));
    tracker!.release('3001');
    await tracker!.idle();
    expect((await records.get('3001'))?.percent).toBe(0);
  });
});
