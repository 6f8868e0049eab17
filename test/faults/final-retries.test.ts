/**
 * Refused final results are retried on their own schedule, a bounded number of times, and the
 * retry state survives a restart. An undeliverable result frees its slot and costs no quota;
 * a delivered one is charged.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAccessGate } from '../../src/core/access/index.js';
import { RecordStore } from '../../src/core/domain/stores.js';
import type { Origin, Reply } from '../../src/core/domain/types.js';
import { silentLogger } from '../../src/log.js';
import { startSimulator, type Simulator } from '../../src/sim/index.js';
import { until } from '../helpers/wait.js';
import { createCoreStack, RecordingPresenter, tempDir, type CoreStack } from '../core/harness.js';

let stacks: CoreStack[] = [];
let sim: Simulator | undefined;
afterEach(async () => {
  for (const s of stacks) await s.close().catch(() => undefined);
  stacks = [];
  await sim?.close();
  sim = undefined;
});

const dm = (userId: string): Origin => ({ chat: { platform: 'console', chatId: `dm-${userId}`, isGroup: false }, actor: { userId, name: `User ${userId}`, locale: 'en' } });
const idOf = (r: Reply): string => {
  if (r.type !== 'task' || !r.taskId) throw new Error(JSON.stringify(r));
  return r.taskId;
};
const chatRefuses = (chatId: string) => (ref: { chat: { chatId: string } }, view: { final: boolean }) =>
  ref.chat.chatId === chatId && view.final ? Object.assign(new Error('chat unreachable'), { permanent: false }) : undefined;

describe('a final result the chat keeps refusing', () => {
  it('is tried a bounded number of times apart from the polling loop, then undeliverable: slot freed, quota uncharged', async () => {
    const presenter = new RecordingPresenter();
    presenter.refuse = chatRefuses('dm-u1');
    const stack = await createCoreStack({
      presenter,
      env: { DAILY_QUOTA: '1', USER_MAX_RUNNING: '1' },
      finalRetry: { retries: 2, baseDelayMs: 40, maxDelayMs: 80 },
      gate: ({ config, store }) => createAccessGate({ config, store, logger: silentLogger() }),
    });
    stacks.push(stack);
    const records = new RecordStore(stack.store);

    const refused = idOf(await stack.service.submit(dm('u1'), { kind: 'imagine', prompt: 'a fox' }, 'a fox'));
    const healthy = idOf(await stack.service.submit(dm('u2'), { kind: 'imagine', prompt: 'a hare' }, 'a hare'));
    await stack.finalOf(healthy);
    await until(async () => (await records.get(refused))?.stage === 'undeliverable', 10_000, 'the refused result declared undeliverable');
    // One try and two retries, no more.
    expect(presenter.refusals.filter((v) => v.taskId === refused)).toHaveLength(3);
    expect((await records.get(refused))?.delivery).toMatchObject({ failures: 3, lastError: 'chat unreachable' });

    // The slot is free and nothing was charged: u1 may draw at once (one job at a time, one a day).
    presenter.refuse = undefined;
    const second = idOf(await stack.service.submit(dm('u1'), { kind: 'imagine', prompt: 'a second fox' }, 'a second fox'));
    await stack.finalOf(second);
    await until(async () => (await records.get(second))?.stage === 'delivered', 10_000, 'the second result delivered');
    // That one reached the chat, so it counts: the daily quota of one is used up now.
    const third = await stack.service.submit(dm('u1'), { kind: 'imagine', prompt: 'a third fox' }, 'a third fox');
    expect(third).toMatchObject({ type: 'error', code: 'QUOTA_EXCEEDED' });
  });

  it('waits for its next try across a restart, then reaches the chat once', async () => {
    sim = await startSimulator({ stepMs: 15 });
    const storeUrl = `sqlite://${join(tempDir(), 'bot.sqlite')}`;
    const first = new RecordingPresenter();
    first.refuse = chatRefuses('dm-u1');
    const a = await createCoreStack({ presenter: first, storeUrl, simInstance: sim, finalRetry: { retries: 5, baseDelayMs: 300, maxDelayMs: 300 } });
    stacks.push(a);
    const id = idOf(await a.service.submit(dm('u1'), { kind: 'imagine', prompt: 'a fox' }, 'a fox'));
    await until(() => first.refusals.length === 1, 10_000, 'the first try refused');
    // Stopping lets the attempt in flight save its outcome; the next try waits for the restart.
    await a.close();
    stacks = [];

    const b = await createCoreStack({ storeUrl, simInstance: sim, finalRetry: { retries: 5, baseDelayMs: 300, maxDelayMs: 300 } });
    stacks.push(b);
    const final = await b.finalOf(id);
    expect(final.phase).toBe('result');
    await until(async () => (await b.records.get(id))?.stage === 'delivered', 10_000, 'delivered after the restart');
    await b.service.flush();
    expect(b.presenter.finals().filter((v) => v.taskId === id)).toHaveLength(1);
    expect(first.finals().filter((v) => v.taskId === id)).toHaveLength(0);
  });
});
