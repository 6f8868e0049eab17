/**
 * Group drawing sessions: a chat with a running cap of one admits waiting jobs round-robin
 * across users, and everyone sees their place in line — observed at the simulator's request
 * log (submit order) and in the messages the recording presenter was given.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/core/domain/types.js';
import { FairQueue } from '../../src/core/access/index.js';
import { createAccessStack, submittedPrompts, taskIdOf, until, type AccessStack } from './stack.js';

let stack: AccessStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

/** Positions a message showed while waiting, without repeats. */
function positionsShown(s: AccessStack, prompt: string): number[] {
  const shown = [...s.presenter.messages.values()].find((m) => m.views[0]?.prompt === prompt);
  const positions = (shown?.views ?? []).flatMap((v) => (v.phase === 'queued' && !v.taskId && v.queuePosition ? [v.queuePosition] : []));
  return positions.filter((p, i) => p !== positions[i - 1]);
}

describe('fair scheduling in a group chat', () => {
  it("admits B's single job right after A's running one, not after A's whole batch, and shows everyone their place", async () => {
    stack = await createAccessStack({ env: { CHAT_MAX_RUNNING: '1', USER_MAX_RUNNING: '10' } });
    const s = stack;
    const a = s.origin('a');
    const b = s.origin('b');
    const replies: Promise<Reply>[] = [];
    // Hold the proxy still while the line forms, so a1 cannot finish before b1 joins.
    s.sim.pause();
    replies.push(s.imagine(a, 'a1'));
    await until(() => submittedPrompts(s.sim).length === 1, 'a1 submitted');
    for (const prompt of ['a2', 'a3', 'a4', 'a5']) {
      replies.push(s.imagine(a, prompt));
      await until(() => positionsShown(s, prompt).length > 0, `${prompt} queued`);
    }
    replies.push(s.imagine(b, 'b1'));
    await until(() => positionsShown(s, 'b1').length > 0, 'b1 queued');
    s.sim.resume();

    const ids = (await Promise.all(replies)).map(taskIdOf);
    for (const id of ids) expect((await s.finalOf(id)).phase).toBe('result');

    expect(submittedPrompts(s.sim)).toEqual(['a1', 'b1', 'a2', 'a3', 'a4', 'a5']);
    expect(positionsShown(s, 'a1')).toEqual([]);
    expect(positionsShown(s, 'b1')).toEqual([1]);
    expect(positionsShown(s, 'a2')).toEqual([1, 2, 1]);
    expect(positionsShown(s, 'a5')).toEqual([4, 5, 4, 3, 2, 1]);
  });

  it('never runs more than the cap at once in a chat, while another chat is not held up', async () => {
    stack = await createAccessStack({ env: { CHAT_MAX_RUNNING: '2', USER_MAX_RUNNING: '10' } });
    const s = stack;
    s.sim.pause();
    const waiting = [s.imagine(s.origin('a'), 'g1')];
    await until(() => submittedPrompts(s.sim).length === 1, 'g1 submitted');
    waiting.push(s.imagine(s.origin('b'), 'g2'));
    await until(() => submittedPrompts(s.sim).length === 2, 'g2 submitted');
    waiting.push(s.imagine(s.origin('c'), 'g3'));
    await until(() => positionsShown(s, 'g3').length > 0, 'g3 queued');
    expect(positionsShown(s, 'g3')).toEqual([1]);
    expect(submittedPrompts(s.sim)).toEqual(['g1', 'g2']);
    // A different chat has its own slots.
    expect((await s.imagine(s.origin('d', { chatId: 'group-2' }), 'other chat')).type).toBe('task');
    expect(submittedPrompts(s.sim)).toEqual(['g1', 'g2', 'other chat']);
    s.sim.resume();
    for (const reply of await Promise.all(waiting)) await s.finalOf(taskIdOf(reply));
    expect(submittedPrompts(s.sim)).toEqual(['g1', 'g2', 'other chat', 'g3']);
  });

  it('a submit the proxy refuses frees the slot at once for the next job in line', async () => {
    stack = await createAccessStack({ env: { CHAT_MAX_RUNNING: '1' } });
    const s = stack;
    s.sim.pause();
    const first = s.imagine(s.origin('a'), 'first');
    await until(() => submittedPrompts(s.sim).length === 1, 'first submitted');
    s.sim.failNext('POST /mj/submit/imagine', { status: 200, body: { code: 24, description: 'banned prompt', properties: { bannedWord: 'nope' } } });
    const refused = s.imagine(s.origin('b'), 'nope');
    await until(() => positionsShown(s, 'nope').length > 0, 'nope queued');
    const next = s.imagine(s.origin('c'), 'fine');
    await until(() => positionsShown(s, 'fine').length > 0, 'fine queued');
    s.sim.resume();
    await s.finalOf(taskIdOf(await first));
    await refused;
    expect((await s.finalOf(taskIdOf(await next))).phase).toBe('result');
    expect(submittedPrompts(s.sim)).toEqual(['first', 'nope', 'fine']);
    expect(s.presenter.finals().find((v) => v.prompt === 'nope')).toMatchObject({ phase: 'failed' });
    expect(positionsShown(s, 'fine')).toEqual([2, 1]);
    expect(await s.gate.usage('console:b')).toMatchObject({ used: 0, inFlight: 0 });
    expect((await s.gate.stats()).refused).toBe(1);
  });
});

describe('FairQueue', () => {
  it('a newcomer goes next, then alternates with a user who has been served many times (no catching up on their history)', () => {
    const q = new FairQueue<string>();
    for (let i = 1; i <= 6; i++) q.push('a', `a${i}`);
    expect([q.shift(), q.shift(), q.shift()]).toEqual(['a1', 'a2', 'a3']);
    q.push('c', 'c1');
    q.push('c', 'c2');
    expect(q.ordered()).toEqual(['c1', 'a4', 'c2', 'a5', 'a6']);
  });
});
