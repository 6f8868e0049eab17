/**
 * One chat refuses the bot's messages (its calls hang, then the user has blocked the bot) while
 * another user waits for a result: the healthy result arrives while the refusing chat still
 * hangs, and the refused result becomes undeliverable at once (403 is permanent), frees its
 * slot and costs no quota — the user who unblocks the bot finds it in /history and can draw again at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RecordStore } from '../../src/core/domain/stores.js';
import { until } from '../helpers/wait.js';
import { alice, bob, button, resultPhotos, startHarness, waitForMessage, type Harness } from '../telegram/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const taskIdOf = async (harness: Harness, chatId: number, messageId: number): Promise<string> => {
  const id = await harness.app.service.taskForMessage({ platform: 'telegram', chatId: String(chatId), isGroup: false }, String(messageId));
  if (!id) throw new Error(`no task behind message ${messageId}`);
  return id;
};

describe('a chat that refuses the final result', () => {
  it('never holds back another chat’s result, and becomes undeliverable with its slot freed and its quota uncharged', async () => {
    h = await startHarness({ sim: { stepMs: 150, progressSteps: 3 }, env: { DAILY_QUOTA: '1', USER_MAX_RUNNING: '1' } });
    const { fake, sim } = h;

    // Alice's task starts first and is drawing when her chat stops answering.
    const aliceCommand = fake.sendText({ chatId: alice.id, from: alice, text: '/imagine a lighthouse in a storm' });
    const aliceStatus = await waitForMessage(fake, alice.id, (m) => m.fromBot && m.replyTo === aliceCommand.message_id, 'Alice’s task message');
    await fake.waitUntil(() => sim.tasks().some((t) => t.status === 'IN_PROGRESS'), 10_000, 'Alice’s task drawing');
    const release = fake.holdChat(alice.id);

    const bobCommand = fake.sendText({ chatId: bob.id, from: bob, text: '/imagine a quiet harbour' });
    await fake.waitUntil(() => sim.tasks().filter((t) => t.status === 'SUCCESS').length >= 1, 20_000, 'Alice’s task finished');
    // Bob's result reaches his chat while Alice's chat still holds her final result.
    await fake.waitUntil(() => resultPhotos(fake, bob.id).length === 1, 20_000, 'Bob’s result');
    expect(fake.heldCalls(alice.id)).toBeGreaterThan(0);
    expect(resultPhotos(fake, bob.id)[0]?.replyTo).toBe(bobCommand.message_id);

    // Alice has blocked the bot: her held calls answer 403, a permanent refusal.
    fake.blockChat(alice.id);
    release();
    const records = new RecordStore(h.app.store);
    const aliceTask = await taskIdOf(h, alice.id, aliceStatus.messageId);
    await until(async () => (await records.get(aliceTask))?.stage === 'undeliverable', 10_000, 'Alice’s result declared undeliverable');
    // Settling saves the outcome, then frees the slot, then stops following the task.
    await until(() => h!.app.service.diagnostics().tracked === 0, 10_000, 'Alice’s task settled');
    const record = await records.get(aliceTask);
    expect(record?.stage).toBe('undeliverable');
    expect(record?.delivery?.failures).toBe(1);
    expect(record?.delivery?.lastError).toMatch(/blocked/);
    // The operator sees it: one result delivered (Bob's), one undeliverable (Alice's).
    const exported = (await h.app.metrics.render()).body;
    expect(exported).toContain('mjbot_results_total{outcome="delivered",platform="telegram"} 1');
    expect(exported).toContain('mjbot_results_total{outcome="undeliverable",platform="telegram"} 1');

    // She unblocks the bot: /history tells her the result never reached her, and shows it here.
    fake.unblockChat(alice.id);
    const asked = fake.sendText({ chatId: alice.id, from: alice, text: '/history' });
    const list = await waitForMessage(fake, alice.id, (m) => m.fromBot && m.replyTo === asked.message_id, 'history');
    expect(list.text).toMatch(/1\. ✅ Done · a lighthouse in a storm .*never reached its chat/);
    fake.pressButton({ chatId: alice.id, messageId: list.messageId, from: alice, data: button(list, '1').callback_data });
    await waitForMessage(fake, alice.id, (m) => m.fromBot && Boolean(m.photo) && /lighthouse in a storm/.test(m.caption ?? '') && m.messageId > list.messageId, 'the result shown here');

    // With a quota of one drawing and one job at a time, she may draw again: the refused one was not charged.
    const again = fake.sendText({ chatId: alice.id, from: alice, text: '/imagine a second lighthouse' });
    await fake.waitUntil(() => resultPhotos(fake, alice.id).some((m) => m.replyTo === again.message_id), 20_000, 'Alice’s second result');
    expect(fake.messages(alice.id).filter((m) => m.fromBot && /limit/i.test(`${m.text ?? ''}${m.caption ?? ''}`))).toEqual([]);
  });
});
