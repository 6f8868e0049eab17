/** /cancel and /history on Discord, end to end through the fake gateway and REST. */
import { afterEach, describe, expect, it } from 'vitest';
import { buttonId, embedOf, isResult, resultOf, rowsOf, startStack, type DiscordStack } from './harness.js';

let stack: DiscordStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe('Discord: /cancel and /history', () => {
  it('/cancel with a job’s id stops it on the proxy; the job’s message says Cancelled and the quota is not charged', async () => {
    stack = await startStack({ sim: { stepMs: 400, progressSteps: 5 }, env: { DAILY_QUOTA: '1' } });
    const { fake, sim } = stack;
    const job = fake.slash({ name: 'imagine', options: [{ name: 'prompt', type: 3, value: 'a slow tide' }] });
    await fake.waitUntil(() => sim.tasks().some((t) => t.status === 'IN_PROGRESS'), 10_000, 'drawing');
    const id = sim.tasks()[0]!.id;
    const cancel = fake.slash({ name: 'cancel', options: [{ name: 'task', type: 3, value: String(id) }] });
    await fake.waitUntil(() => cancel.ephemeralReplies().length > 0, 5000, 'answer to /cancel');
    expect(cancel.ephemeralReplies()[0]?.content).toMatch(/Cancelled/);
    expect(sim.requests.some((r) => r.path === `/mj/task/${id}/cancel`)).toBe(true);
    await fake.waitUntil(() => (embedOf(fake.message(job.originalMessageId ?? ''))?.title ?? '').includes('Cancelled'), 10_000, 'the job shows Cancelled');
    const next = await resultOf(fake, fake.slash({ name: 'imagine', options: [{ name: 'prompt', type: 3, value: 'a fast wave' }] }), 15_000);
    expect(isResult(next)).toBe(true);
  });

  it('/history lists the user’s jobs privately, and a number posts that job’s card with its buttons', async () => {
    stack = await startStack();
    const { fake } = stack;
    await resultOf(fake, fake.slash({ name: 'imagine', options: [{ name: 'prompt', type: 3, value: 'an old map' }] }));
    await resultOf(fake, fake.slash({ name: 'imagine', options: [{ name: 'prompt', type: 3, value: 'a compass rose' }] }));
    const list = fake.slash({ name: 'history' });
    await fake.waitUntil(() => list.ephemeralReplies().length > 0, 5000, 'history');
    const reply = list.ephemeralReplies()[0]!;
    expect(reply.content).toMatch(/1\. ✅ Done · a compass rose[\s\S]*2\. ✅ Done · an old map/);
    const show = fake.click({ messageId: reply.id, customId: buttonId(reply, '2') });
    await fake.waitUntil(() => fake.messages().some((m) => m.interactionId === show.id && /an old map/.test(m.content ?? '')), 5000, 'the card of the older job');
    const card = fake.messages().find((m) => m.interactionId === show.id && /an old map/.test(m.content ?? ''))!;
    expect(card.attachments.length).toBe(1);
    expect(rowsOf(card).flat().map((b) => b.label)).toContain('U1');
  });

  it('a job waiting in the line shows a ✖️ Cancel button that takes it out, uncharged', async () => {
    stack = await startStack({ sim: { stepMs: 300, progressSteps: 4 }, env: { CHAT_MAX_RUNNING: '1' } });
    const { fake, sim } = stack;
    fake.slash({ name: 'imagine', options: [{ name: 'prompt', type: 3, value: 'a patient heron' }] });
    await fake.waitUntil(() => sim.tasks().length === 1, 5000, 'first job submitted');
    // The first drawing holds still while the second waits and leaves, however slow the machine.
    sim.pause();
    const waiting = fake.slash({ name: 'imagine', options: [{ name: 'prompt', type: 3, value: 'an impatient crow' }] });
    await fake.waitUntil(() => (embedOf(fake.message(waiting.originalMessageId ?? ''))?.title ?? '').includes('1 ahead'), 5000, 'second job waiting');
    const message = fake.message(waiting.originalMessageId ?? '')!;
    const press = fake.click({ messageId: message.id, customId: buttonId(message, '✖️') });
    await fake.waitUntil(() => press.ephemeralReplies().length > 0, 5000, 'answer to the press');
    expect(press.ephemeralReplies()[0]?.content).toMatch(/left the line/);
    await fake.waitUntil(() => (embedOf(fake.message(message.id))?.title ?? '').includes('Cancelled'), 5000, 'the message says Cancelled');
    sim.resume();
    await fake.waitUntil(() => sim.tasks().every((t) => t.status === 'SUCCESS'), 15_000, 'the first job done');
    expect(sim.tasks()).toHaveLength(1);
  });
});
