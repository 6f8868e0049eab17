/**
 * A busy group: from the third live job on, a job gets no status message of its own — a reaction
 * on the user's command (👀 waiting, ✍ drawing) and a line on one session board — and its result
 * arrives as a reply to the command, once. Replying /cancel to one's own command still works.
 * After a restart the same board message carries on (no second board, no stale one left behind).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { BotMessage, SimulatedUser } from '../fakes/telegram/index.js';
import { fastClock, resultPhotos, startHarness, waitForMessage, type Harness } from './harness.js';

const GROUP = -100600;
const users: SimulatedUser[] = Array.from({ length: 8 }, (_, i) => ({ id: 3000 + i, first_name: `Member${i}`, language_code: 'en' }));
const isBoard = (m: BotMessage): boolean => (m.text ?? '').startsWith('🎨 Drawing now in this group');

describe('Telegram: a busy group', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('acknowledges jobs beyond the third with reactions and one board message, and replies with each result once', async () => {
    const clock = fastClock(60);
    h = await startHarness({ fake: { rateLimits: {}, now: clock.now }, tg: { clock, minUpdateIntervalMs: 50, boardIntervalMs: 1000 }, env: { CHAT_MAX_RUNNING: '3' } });
    h.sim.pause();
    const commands = users.map((from) => h!.fake.sendText({ chatId: GROUP, chatType: 'supergroup', from, text: `/imagine busy picture ${from.id}` }));
    const quiet = commands.slice(3);
    await h.fake.waitUntil(() => quiet.every((c) => h!.fake.message(GROUP, c.message_id)?.reactions[0] === '👀'), 10_000, '👀 on every quiet command');
    const board = await waitForMessage(h.fake, GROUP, (m) => isBoard(m) && users.slice(3).every((u) => m.text!.includes(u.first_name!)), 'the board lists every quiet job');
    // The first three jobs have their own message; the quiet ones have none.
    for (const c of commands.slice(0, 3)) expect(h.fake.messages(GROUP).some((m) => m.replyTo === c.message_id)).toBe(true);
    for (const c of quiet) expect(h.fake.messages(GROUP).filter((m) => m.replyTo === c.message_id)).toEqual([]);
    expect(h.fake.messages(GROUP).filter(isBoard)).toHaveLength(1);

    h.sim.resume();
    await h.fake.waitUntil(() => resultPhotos(h!.fake, GROUP).length >= 8, 30_000, '8 results');
    await h.fake.waitUntil(() => h!.fake.message(GROUP, board.messageId) === undefined, 10_000, 'the board is removed once everyone has a result');
    for (const [i, c] of commands.entries()) {
      const replies = h.fake.messages(GROUP).filter((m) => m.replyTo === c.message_id);
      expect(replies).toHaveLength(1);
      expect(replies[0]?.caption).toContain(`busy picture ${users[i]?.id}`);
      expect(replies[0]?.caption?.startsWith('✅')).toBe(true);
    }
    // 👀 first; ✍ once the job was seen drawing (a job the proxy finishes between two polls goes straight to its result).
    const reactions = quiet.map((c) => h!.fake.calls.filter((call) => call.method === 'setMessageReaction' && call.params.message_id === c.message_id).map((call) => (call.params.reaction as { emoji: string }[])[0]?.emoji).join(''));
    for (const r of reactions) expect(['👀', '👀✍']).toContain(r);
    expect(reactions.filter((r) => r === '👀✍').length).toBeGreaterThan(0);
    expect(h.fake.calls.some((c) => c.method === 'editMessageText' && c.params.message_id === board.messageId)).toBe(true);
    expect(h.fake.errors).toEqual([]);
  }, 60_000);

  it('a member takes a quiet job out of the line by replying /cancel to their own command', async () => {
    h = await startHarness({ env: { CHAT_MAX_RUNNING: '1' }, tg: { boardIntervalMs: 100 } });
    h.sim.pause();
    const commands = users.slice(0, 5).map((from) => h!.fake.sendText({ chatId: GROUP, chatType: 'supergroup', from, text: `/imagine line picture ${from.id}` }));
    const last = commands[4]!;
    await h.fake.waitUntil(() => h!.fake.message(GROUP, last.message_id)?.reactions[0] === '👀', 10_000, 'the fifth job is quiet');
    const cancel = h.fake.sendText({ chatId: GROUP, chatType: 'supergroup', from: users[4]!, text: '/cancel', replyTo: last.message_id });
    const answer = await waitForMessage(h.fake, GROUP, (m) => m.replyTo === cancel.message_id, 'answer to /cancel');
    expect(answer.text).toMatch(/line/i);
    h.sim.resume();
    await h.fake.waitUntil(() => resultPhotos(h!.fake, GROUP).length >= 4, 20_000, 'the other four results');
    const mine = h.fake.messages(GROUP).filter((m) => m.replyTo === last.message_id);
    expect(mine.some((m) => m.photo)).toBe(false);
    expect(h.sim.requests.filter((r) => r.path === '/mj/submit/imagine')).toHaveLength(4);
  }, 40_000);

  it('after a restart mid-session the board carries on in the same message, and is removed once the results are in', async () => {
    h = await startHarness({ env: { CHAT_MAX_RUNNING: '8' }, tg: { minUpdateIntervalMs: 50, boardIntervalMs: 100 } });
    h.sim.pause();
    const commands = users.slice(0, 6).map((from) => h!.fake.sendText({ chatId: GROUP, chatType: 'supergroup', from, text: `/imagine restart picture ${from.id}` }));
    const quiet = commands.slice(3);
    const board = await waitForMessage(h.fake, GROUP, (m) => isBoard(m) && users.slice(3, 6).every((u) => m.text!.includes(u.first_name!)), 'the board lists every quiet job');
    await h.restart();
    h.sim.resume();
    await h.fake.waitUntil(() => resultPhotos(h!.fake, GROUP).length >= 6, 30_000, '6 results after the restart');
    await h.fake.waitUntil(() => h!.fake.message(GROUP, board.messageId) === undefined, 10_000, 'the board from before the restart is removed');
    // One board in the whole session: the restarted process edited the one it had, never posted another.
    expect(h.fake.calls.filter((c) => c.method === 'sendMessage' && String(c.params.text ?? '').includes('Drawing now in this group'))).toHaveLength(1);
    expect(h.fake.messages(GROUP).filter(isBoard)).toEqual([]);
    for (const c of quiet) expect(h.fake.messages(GROUP).filter((m) => m.replyTo === c.message_id && m.photo)).toHaveLength(1);
    // The old process's long poll may still be open when the new one starts (409, as on Telegram).
    expect(h.fake.errors.filter((e) => e.method !== 'getUpdates')).toEqual([]);
  }, 60_000);

  it('after a restart the jobs still drawing count again: the next job in a busy group is acknowledged quietly', async () => {
    h = await startHarness({ env: { CHAT_MAX_RUNNING: '8' }, sim: { stepMs: 1000 }, tg: { minUpdateIntervalMs: 50, boardIntervalMs: 100 } });
    h.sim.pause();
    const first = users.slice(0, 3).map((from) => h!.fake.sendText({ chatId: GROUP, chatType: 'supergroup', from, text: `/imagine counted picture ${from.id}` }));
    await h.fake.waitUntil(() => first.every((c) => h!.fake.messages(GROUP).some((m) => m.replyTo === c.message_id)), 10_000, 'a status message per job');
    const statuses = first.map((c) => h!.fake.messages(GROUP).find((m) => m.replyTo === c.message_id)!.messageId);
    await h.restart();
    const mark = h.fake.calls.length;
    h.sim.resume();
    // Each job's progress reached the restarted process (its message was edited).
    await h.fake.waitUntil(() => statuses.every((id) => h!.fake.calls.slice(mark).some((c) => c.method === 'editMessageText' && c.params.message_id === id)), 10_000, 'progress after the restart');
    const next = h.fake.sendText({ chatId: GROUP, chatType: 'supergroup', from: users[3]!, text: '/imagine counted picture 4' });
    await h.fake.waitUntil(() => h!.fake.message(GROUP, next.message_id)?.reactions[0] === '👀', 10_000, '👀 on the fourth command');
    expect(h.fake.messages(GROUP).filter((m) => m.replyTo === next.message_id && !m.photo)).toEqual([]);
  }, 40_000);
});
