/**
 * Upgrading a running deployment: earlier versions kept every job in flight in one stored
 * document (`access:book`). The first start of this version moves it into per-chat lines, so a
 * job drawing keeps its user's cap and its chat's slot, and a waiting job keeps its place; the
 * day's statistics kept in one document are still counted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { createAccessGate, type AccessGate } from '../../src/core/access/index.js';
import type { TaskRecord } from '../../src/core/domain/records.js';
import type { ChatRef, Origin } from '../../src/core/domain/types.js';
import { silentLogger } from '../../src/log.js';
import { openStore, type Store } from '../../src/runtime/store.js';

const chat: ChatRef = { platform: 'console', chatId: 'group-1', isGroup: true };
const origin = (userId: string): Origin => ({ chat, actor: { userId, name: `User ${userId}`, locale: 'en' } });
const SCOPE = 'console:group-1';

let store: Store | undefined;
let gate: AccessGate | undefined;
afterEach(async () => {
  await gate?.close();
  await store?.close();
  gate = store = undefined;
});

/** What an earlier version left: x drawing (task t1), y waiting behind, both driven by a live process "old". */
function legacyBook(now: number) {
  const base = { scope: SCOPE, chat: SCOPE, owner: 'old', what: 'imagine' };
  return {
    jobs: {
      jx: { ...base, id: 'jx', user: 'console:x', name: 'User x', state: 'running', started: true, taskId: 't1', since: now },
      jy: { ...base, id: 'jy', user: 'console:y', name: 'User y', state: 'waiting', place: { tag: 1, seq: 1 }, since: now },
    },
    clocks: { [SCOPE]: { virtualTime: 0, nextTag: { 'console:x': 1, 'console:y': 2 }, seq: 2 } },
    version: 41,
  };
}

function recordOf(taskId: string, userId: string): TaskRecord {
  const now = Date.now();
  return { taskId, kind: 'imagine', prompt: 'p', chat, owner: origin(userId).actor, status: 'SUCCESS', percent: 100, rank: 5, submittedAt: now, deadline: now + 60_000, finished: true, stage: 'delivered' };
}

describe('upgrading from the single stored book', () => {
  it('keeps the jobs in flight on first start: the drawing user is still at their cap, the waiting one is admitted next', async () => {
    store = await openStore('memory://');
    await store.set('meta', 'access:book', legacyBook(Date.now()));
    await store.set('meta', 'access:alive:old', Date.now(), 60_000);
    const today = new Date().toISOString().slice(0, 10);
    await store.set('meta', `access:stats:${today}`, { submitted: 3, successes: 2, failures: 0, refused: 0, users: { 'console:x': { name: 'User x', submitted: 3, successes: 2 } } });
    const config = parseConfig({ USER_MAX_RUNNING: '1', CHAT_MAX_RUNNING: '1', STORE_URL: 'memory://' });
    gate = createAccessGate({ config, store, logger: silentLogger() });
    await gate.start(async () => undefined);

    expect(await store.get('meta', 'access:book')).toBeUndefined();
    const queue = await gate.chatQueue(chat);
    expect(queue.running.map((s) => s.user)).toEqual(['console:x']);
    expect(queue.waiting.map((w) => [w.user, w.position])).toEqual([['console:y', 1]]);
    expect((await gate.usage('console:x')).inFlight).toBe(1);
    await expect(gate.check(origin('x'), { kind: 'imagine', prompt: 'again' })).rejects.toMatchObject({ code: 'QUOTA_EXCEEDED' });

    await gate.finished(recordOf('t1', 'x'), 'delivered');
    const after = await gate.chatQueue(chat);
    expect(after.running.map((s) => s.user)).toEqual(['console:y']);
    expect(after.waiting).toEqual([]);
    expect((await gate.usage('console:x')).used).toBe(1);
    // The day's statistics kept before the upgrade still count.
    expect(await gate.stats()).toMatchObject({ submitted: 3, successes: 3, running: 1, waiting: 0, top: [{ user: 'console:x', successes: 3 }] });
  });
});
