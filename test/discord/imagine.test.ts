/** /imagine on Discord end to end: deferred reply → progress → result with buttons → upscale → Custom Zoom modal. */
import { afterEach, describe, expect, it } from 'vitest';
import { buttonId, embedOf, isResult, resultOf, rowsOf, simCalls, startStack, type DiscordStack } from './harness.js';

let stack: DiscordStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe('imagine on Discord', () => {
  it('a slash command is deferred at once, shows progress, and ends as an embed with the picture and two rows of buttons', async () => {
    stack = await startStack({ sim: { stepMs: 150, progressSteps: 3 }, minUpdateIntervalMs: 250 });
    const { fake } = stack;
    const handle = fake.slash({ name: 'imagine', options: [{ name: 'prompt', type: 3, value: 'a lighthouse at dawn' }] });
    const result = await resultOf(fake, handle);

    expect(handle.responses[0]?.type).toBe(5);
    // Progress edits went to this interaction's reply: a percent bar, with the preview attached.
    const progress = fake.requests.filter(
      (r) => r.method === 'PATCH' && r.path.includes(handle.token) && r.status === 200 && ((r.body as { embeds?: { title?: string }[] }).embeds?.[0]?.title ?? '').startsWith('🎨'),
    );
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.some((r) => r.files.some((f) => f.name.startsWith('preview-') && f.bytes.subarray(1, 4).toString() === 'PNG'))).toBe(true);
    expect((progress[0]?.body as { embeds: { title: string }[] }).embeds[0]?.title).toMatch(/\d+%.*▰/);

    const embed = embedOf(result);
    expect(embed?.title).toMatch(/^✅/);
    expect(embed?.description).toContain('a lighthouse at dawn');
    expect(embed?.footer?.text).toContain('Test User');
    const attachment = result.attachments[0];
    expect(attachment?.bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(embed?.image?.url).toBe(`attachment://${attachment?.filename}`);
    const rows = rowsOf(result);
    expect(rows).toHaveLength(2);
    expect(rows[0]?.map((b) => b.label ?? b.emoji?.name)).toEqual(['U1', 'U2', 'U3', 'U4', '🔄']);
    expect(rows[1]?.map((b) => b.label)).toEqual(['V1', 'V2', 'V3', 'V4']);
    for (const b of rows.flat()) expect(b.custom_id?.length ?? 0).toBeLessThanOrEqual(100);
    expect(result.ephemeral).toBe(false);
  });
});

describe('result buttons on Discord', () => {
  it('U2 opens a new message with the single image, and Custom Zoom asks in a prefilled modal, refusing a zoom out of range until it is fixed', async () => {
    stack = await startStack();
    const { fake, sim } = stack;
    const grid = await resultOf(fake, fake.slash({ name: 'imagine', options: [{ name: 'prompt', type: 3, value: 'a red fox' }] }));

    const u2 = fake.click({ messageId: grid.id, customId: buttonId(grid, 'U2') });
    const solo = await resultOf(fake, u2);
    expect(solo.id).not.toBe(grid.id);
    expect(u2.responses[0]?.type).toBe(5);
    const labels = rowsOf(solo).flat().map((b) => b.label);
    expect(labels).toEqual(expect.arrayContaining(['Vary (Subtle)', 'Vary (Region)', 'Custom Zoom', 'Zoom Out 2x']));
    for (const row of rowsOf(solo)) expect(row.length).toBeLessThanOrEqual(5);
    expect(rowsOf(solo).length).toBeLessThanOrEqual(5);

    const zoom = fake.click({ messageId: solo.id, customId: buttonId(solo, 'Custom Zoom') });
    await fake.waitUntil(() => zoom.modal !== undefined, 3000, 'Custom Zoom modal');
    const input = JSON.stringify(zoom.modal?.components);
    expect(input).toContain('a red fox');
    expect(input).toContain('--zoom');
    expect(zoom.modal?.title.length).toBeLessThanOrEqual(45);

    const actionsBefore = simCalls(sim, '/mj/submit/action').length;
    const bad = fake.submitModal({ parent: zoom, values: { prompt: 'a red fox --zoom 3' } });
    await fake.waitUntil(() => bad.ephemeralReplies().length > 0, 3000, 'zoom range error');
    expect(bad.ephemeralReplies()[0]?.content).toMatch(/zoom/i);
    expect(fake.message(bad.originalMessageId ?? '')).toBeUndefined();
    expect(simCalls(sim, '/mj/submit/action')).toHaveLength(actionsBefore);

    const again = fake.click({ messageId: solo.id, customId: buttonId(solo, 'Custom Zoom') });
    await fake.waitUntil(() => again.modal !== undefined, 3000, 'second Custom Zoom modal');
    const good = fake.submitModal({ parent: again, values: { prompt: 'a red fox --zoom 1.5' } });
    const zoomed = await resultOf(fake, good);
    expect(embedOf(zoomed)?.description).toContain('Custom Zoom');
    expect(simCalls(sim, '/mj/submit/modal').some((b) => JSON.stringify(b).includes('--zoom 1.5'))).toBe(true);
    expect(isResult(fake.message(grid.id))).toBe(true);
  });
});
