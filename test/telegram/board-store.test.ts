/**
 * The session board's message across processes, through the real grammY client against the fake
 * Bot API: a restarted process takes over the board it had (one process on the store), while in a
 * fleet each live process keeps its own board and never edits or deletes another's.
 */
import { Api } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import type { KeyValue } from '../../src/core/domain/ports.js';
import { silentLogger } from '../../src/log.js';
import { SessionBoard, type BoardLine } from '../../src/adapters/telegram/board.js';
import { ChatBudget, realClock } from '../../src/adapters/telegram/budget.js';
import type { Shared } from '../../src/adapters/telegram/context.js';
import { adapterState, openStore, type OpenedStore } from '../../src/runtime/store.js';
import { startFakeTelegram, type BotMessage, type FakeTelegram } from '../fakes/telegram/index.js';
import { until } from '../helpers/wait.js';

const GROUP = -100777;
const isBoard = (m: BotMessage): boolean => (m.text ?? '').startsWith('🎨 Drawing now in this group');
const line = (name: string): BoardLine => ({ name, prompt: `${name}'s picture`, phase: 'progress', percent: 40, since: 1 });

let fake: FakeTelegram | undefined;
let store: OpenedStore | undefined;
afterEach(async () => {
  await fake?.close();
  await store?.close();
  fake = store = undefined;
});

/** One process's board, on the shared adapter state. */
function boardOf(f: FakeTelegram, state: KeyValue, remember: boolean): SessionBoard {
  // The board uses the API, the state, the budget and the logger of what the adapter shares.
  const shared = { api: new Api(f.token, { apiRoot: f.apiRoot }), state, logger: silentLogger(), locale: 'en', budget: new ChatBudget() } as unknown as Shared;
  return new SessionBoard(shared, realClock, 20, () => 0, remember);
}

async function setUp(): Promise<{ f: FakeTelegram; state: KeyValue }> {
  fake = await startFakeTelegram({ rateLimits: false });
  store = await openStore('memory://');
  // The group exists once somebody spoke in it.
  fake.sendText({ chatId: GROUP, chatType: 'supergroup', from: { id: 1, first_name: 'Ann' }, text: 'hi' });
  return { f: fake, state: adapterState(store, 'telegram') };
}

describe('Telegram session board across processes', () => {
  it('one process on the store: after a restart the new process edits, then deletes, the board it had', async () => {
    const { f, state } = await setUp();
    const before = boardOf(f, state, true);
    before.set(GROUP, 'a', line('Ann'), 'en');
    await f.waitUntil(() => f.messages(GROUP).some(isBoard), 5_000, 'the board');
    const board = f.messages(GROUP).find(isBoard)!;
    await until(async () => (await state.get('board:' + GROUP)) === board.messageId, 5_000, 'the board is remembered');

    const after = boardOf(f, state, true); // the restarted process: nothing in memory
    after.set(GROUP, 'b', line('Bo'), 'en');
    await f.waitUntil(() => f.message(GROUP, board.messageId)?.text?.includes('Bo') === true, 5_000, 'the same board shows the new line');
    after.remove(GROUP, 'b');
    await f.waitUntil(() => f.message(GROUP, board.messageId) === undefined, 5_000, 'the board is deleted');
    expect(f.messages(GROUP).filter(isBoard)).toEqual([]);
    await until(async () => (await state.get('board:' + GROUP)) === undefined, 5_000, 'and forgotten');
  });

  it('a fleet: each live process keeps its own board, and emptying one leaves the other alone', async () => {
    const { f, state } = await setUp();
    const first = boardOf(f, state, false);
    const second = boardOf(f, state, false);
    first.set(GROUP, 'a', line('Ann'), 'en');
    await f.waitUntil(() => f.messages(GROUP).filter(isBoard).length === 1, 5_000, 'the first board');
    second.set(GROUP, 'b', line('Bo'), 'en');
    await f.waitUntil(() => f.messages(GROUP).filter(isBoard).length === 2, 5_000, 'a second board');
    const [ann, bo] = [f.messages(GROUP).find((m) => isBoard(m) && m.text!.includes('Ann'))!, f.messages(GROUP).find((m) => isBoard(m) && m.text!.includes('Bo'))!];
    expect(ann.messageId).not.toBe(bo.messageId);

    first.remove(GROUP, 'a');
    await f.waitUntil(() => f.message(GROUP, ann.messageId) === undefined, 5_000, 'the first board is deleted');
    second.set(GROUP, 'b', { ...line('Bo'), percent: 80 }, 'en');
    await f.waitUntil(() => f.message(GROUP, bo.messageId)?.text?.includes('80%') === true, 5_000, 'the second board carries on');
    expect(f.messages(GROUP).filter(isBoard)).toHaveLength(1);
  });
});
