/**
 * The flood budget on a hand-driven clock: lanes (finals before acknowledgements before
 * progress), the bot-wide window over all chats, and what progress is allowed to use.
 */
import { describe, expect, it } from 'vitest';
import { ChatBudget, type BudgetClock } from '../../src/adapters/telegram/budget.js';

/** A clock that moves only when told; sleepers wake when their time has come. */
function manualClock(): BudgetClock & { advance(ms: number): Promise<void> } {
  let now = 1_000_000;
  const sleepers: { at: number; wake: () => void }[] = [];
  const flush = () => new Promise((resolve) => setImmediate(resolve));
  return {
    now: () => now,
    sleep: (ms) => new Promise<void>((wake) => sleepers.push({ at: now + ms, wake })),
    async advance(ms) {
      now += ms;
      for (const s of sleepers.splice(0)) {
        if (s.at <= now) s.wake();
        else sleepers.push(s);
      }
      await flush();
      await flush();
    },
  };
}

const GROUP = -100123;

describe('Telegram flood budget', () => {
  it('serves a waiting final before a waiting progress edit and a waiting acknowledgement, whatever came first', async () => {
    const clock = manualClock();
    const budget = new ChatBudget(undefined, clock);
    for (let i = 0; i < 3; i++) budget.done(await budget.take(GROUP));
    const order: string[] = [];
    const progress = budget.take(GROUP, { lane: 'progress' }).then((s) => (order.push('progress'), budget.done(s)));
    const ack = budget.take(GROUP, { lane: 'ack' }).then((s) => (order.push('ack'), budget.done(s)));
    const final = budget.take(GROUP, { lane: 'final' }).then((s) => (order.push('final'), budget.done(s)));
    expect(budget.hasRoom(GROUP)).toBe(false);
    for (let i = 0; i < 10 && order.length < 3; i++) await clock.advance(1000);
    await Promise.all([progress, ack, final]);
    expect(order).toEqual(['final', 'ack', 'progress']);
  });

  it('within the final lane, the result of the job that waited longest goes first', async () => {
    const clock = manualClock();
    const budget = new ChatBudget(undefined, clock);
    for (let i = 0; i < 3; i++) budget.done(await budget.take(GROUP));
    const order: number[] = [];
    const asks = [300, 100, 200].map((rank) => budget.take(GROUP, { lane: 'final', rank }).then((s) => (order.push(rank), budget.done(s))));
    for (let i = 0; i < 10 && order.length < 3; i++) await clock.advance(1000);
    await Promise.all(asks);
    expect(order).toEqual([100, 200, 300]);
  });

  it('lets 30 messages a second out over many chats, the 31st only when the first has aged a second', async () => {
    const clock = manualClock();
    const budget = new ChatBudget(undefined, clock);
    for (let i = 0; i < 30; i++) budget.done(await budget.take(5000 + i));
    let granted = false;
    const next = budget.take(6000).then((s) => ((granted = true), budget.done(s)));
    await clock.advance(999);
    expect(granted).toBe(false);
    expect(budget.hasRoom(7000)).toBe(false);
    await clock.advance(1);
    await next;
    expect(granted).toBe(true);
  });

  it('keeps a send in flight in the window until it is answered', async () => {
    const clock = manualClock();
    const budget = new ChatBudget({ perChatPerSecond: 1000, perChatBurst: 1000, perGroupPerMinute: 1000, perBotPerSecond: 1 }, clock);
    const first = await budget.take(1);
    let granted = false;
    const second = budget.take(2).then((s) => ((granted = true), budget.done(s)));
    await clock.advance(5000);
    expect(granted).toBe(false);
    budget.done(first);
    await clock.advance(999);
    expect(granted).toBe(false);
    await clock.advance(1);
    await second;
    expect(granted).toBe(true);
  });

  it('leaves the last slots of a group\'s minute to results: progress has no room from the 16th message on', async () => {
    const clock = manualClock();
    const budget = new ChatBudget(undefined, clock);
    for (let i = 0; i < 15; i++) {
      expect(budget.hasRoom(GROUP)).toBe(true);
      budget.done(await budget.take(GROUP, { lane: 'progress' }));
      await clock.advance(3000);
    }
    expect(budget.hasRoom(GROUP)).toBe(false);
    // A result still goes out at once.
    let sent = false;
    const final = budget.take(GROUP, { lane: 'final' }).then((s) => ((sent = true), budget.done(s)));
    await clock.advance(1);
    await final;
    expect(sent).toBe(true);
  });
});
