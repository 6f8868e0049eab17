/** Task messages that outlive the interaction token, and restarts in the middle of a task. */
import { afterEach, describe, expect, it } from 'vitest';
import { buttonId, embedOf, isResult, resultOf, startStack, type DiscordStack } from './harness.js';

let stack: DiscordStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const MINUTE = 60_000;

function title(body: unknown): string {
  return (body as { embeds?: { title?: string }[] } | undefined)?.embeds?.[0]?.title ?? '';
}

describe('Discord task messages over time', () => {
  it('a result that arrives after the 15-minute interaction token expired is still shown on the same message', async () => {
    stack = await startStack({ sim: { stepMs: 60 } });
    const { fake, sim } = stack;
    const handle = fake.slash({ name: 'imagine', options: [{ name: 'prompt', type: 3, value: 'a slow relax job' }] });
    await fake.waitUntil(() => (embedOf(fake.message(handle.originalMessageId ?? ''))?.title ?? '').startsWith('⏳'), 3000, 'queued message');
    sim.pause();
    fake.advance(16 * MINUTE);
    sim.resume();

    const result = await resultOf(fake, handle);
    expect(result.id).toBe(handle.originalMessageId);
    const refused = fake.requests.filter((r) => r.method === 'PATCH' && r.path.includes(handle.token) && r.status === 401);
    expect(refused.length).toBeGreaterThan(0);
    const viaBot = fake.requests.filter((r) => r.method === 'PATCH' && r.path === `/channels/${fake.channelId}/messages/${result.id}` && r.status === 200);
    expect(viaBot.some((r) => title(r.body).startsWith('✅'))).toBe(true);
    expect(result.attachments[0]?.bytes.subarray(1, 4).toString()).toBe('PNG');
  });

  it('after a restart in the middle of a task the result is delivered once, and a button from before the restart still works', async () => {
    stack = await startStack({ sqlite: true, sim: { stepMs: 40 } });
    const { fake, sim } = stack;
    const first = await resultOf(fake, fake.slash({ name: 'imagine', options: [{ name: 'prompt', type: 3, value: 'before the restart' }] }));

    const handle = fake.slash({ name: 'imagine', options: [{ name: 'prompt', type: 3, value: 'across the restart' }] });
    // Submitted and shown as waiting (not still "Submitting…") before the process goes away.
    await fake.waitUntil(() => /^⏳ (Queued|Waiting)/.test(embedOf(fake.message(handle.originalMessageId ?? ''))?.title ?? ''), 3000, 'queued message');
    sim.pause();
    await stack.restart();
    sim.resume();

    const result = await resultOf(fake, handle);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const finals = fake.requests.filter((r) => r.method === 'PATCH' && r.status === 200 && r.path.endsWith(`/messages/${result.id}`) && title(r.body).startsWith('✅'));
    expect(finals).toHaveLength(1);
    const shown = fake.messages().filter((m) => isResult(m) && embedOf(m)?.description?.includes('across the restart'));
    expect(shown.map((m) => m.id)).toEqual([result.id]);

    const upscale = fake.click({ messageId: first.id, customId: buttonId(first, 'U3') });
    const solo = await resultOf(fake, upscale);
    expect(embedOf(solo)?.description).toContain('before the restart');
  });
});
