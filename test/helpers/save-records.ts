/**
 * Child process for the store durability test: saves TaskRecords with 16 concurrent writers on
 * the store named by argv[2] and prints `saved <taskId>` each time a save has resolved, until it
 * is killed. What it printed is what the bot would have acted on.
 */
import { RecordStore } from '../../src/core/domain/stores.js';
import type { TaskRecord } from '../../src/core/domain/records.js';
import { openStore } from '../../src/runtime/store.js';

const [url = '', prefix = 'mjbot'] = process.argv.slice(2);
const store = await openStore(url, { prefix });
const records = new RecordStore(store);

function record(n: number): TaskRecord {
  const now = Date.now();
  return {
    taskId: `durable-${n}`, kind: 'imagine', prompt: `a lighthouse in fog, take ${n} ${'detail '.repeat(100)}`,
    chat: { platform: 'console', chatId: 'c1', isGroup: false }, owner: { userId: 'u1', name: 'u1', locale: 'en' },
    status: 'IN_PROGRESS', percent: n % 100, rank: 2, submittedAt: now, deadline: now + 900_000, finished: false, stage: 'progress',
  };
}

let next = 0;
await Promise.all(
  Array.from({ length: 16 }, async () => {
    for (;;) {
      const n = next++;
      await records.save(record(n));
      process.stdout.write(`saved durable-${n}\n`);
    }
  }),
);
