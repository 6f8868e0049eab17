/** Discord buttons, selects and modals beyond the grid: Vary Region, describe → imagine, blend, owners, forged ids. */
import { Routes } from 'discord.js';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { buttonId, embedOf, OTHER_USER, resultOf, rowsOf, simCalls, startStack, userPng, type DiscordStack } from './harness.js';

let stack: DiscordStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

function submits(stack: DiscordStack): number {
  return stack.sim.requests.filter((r) => r.method === 'POST' && r.path.includes('/mj/submit/')).length;
}

describe('Discord buttons and forms', () => {
  it('Vary (Region) offers the areas in a menu only the user sees, and the chosen area is sent as a mask the size of the image', async () => {
    stack = await startStack();
    const { fake, sim } = stack;
    const grid = await resultOf(fake, fake.slash({ name: 'imagine', options: [{ name: 'prompt', type: 3, value: 'a quiet harbour' }] }));
    const solo = await resultOf(fake, fake.click({ messageId: grid.id, customId: buttonId(grid, 'U1') }));
    const parent = PNG.sync.read(solo.attachments[0]!.bytes);

    const press = fake.click({ messageId: solo.id, customId: buttonId(solo, 'Vary (Region)') });
    await fake.waitUntil(() => press.ephemeralReplies().length > 0, 3000, 'region menu');
    const menu = press.ephemeralReplies()[0]!;
    const select = rowsOf(menu).flat().find((c) => c.type === 3) as { custom_id: string; options: { value: string }[] } | undefined;
    expect(select?.options.map((o) => o.value)).toContain('left-half');
    expect(select?.custom_id.length).toBeLessThanOrEqual(100);

    const chosen = fake.select({ messageId: menu.id, customId: select!.custom_id, values: ['left-half'] });
    const varied = await resultOf(fake, chosen);
    expect(embedOf(varied)?.description).toContain('Vary (Region)');
    const modal = simCalls(sim, '/mj/submit/modal').at(-1) as { maskBase64?: string };
    const mask = PNG.sync.read(Buffer.from(modal.maskBase64!.replace(/^data:image\/png;base64,/, ''), 'base64'));
    expect([mask.width, mask.height]).toEqual([parent.width, parent.height]);
    // Left half white (redraw), right half black.
    expect(mask.data[0]).toBe(255);
    expect(mask.data[(mask.width - 1) * 4]).toBe(0);
  });

  it('describe with an attached image offers numbered prompts, and 1️⃣ opens a prefilled modal that draws the prompt', async () => {
    stack = await startStack();
    const { fake, sim } = stack;
    const described = await resultOf(
      fake,
      fake.slash({ name: 'describe', options: [{ name: 'image', type: 11 }], attachments: [{ name: 'photo.png', bytes: userPng(), contentType: 'image/png' }] }),
    );
    const uploaded = simCalls(sim, '/mj/submit/upload-discord-images')[0] as { base64Array: string[] };
    expect(uploaded.base64Array[0]).toContain(userPng().toString('base64').slice(0, 40));
    expect(simCalls(sim, '/mj/submit/describe')[0]).toMatchObject({ link: expect.stringMatching(/\/sim\/upload\//) });
    expect(embedOf(described)?.description).toMatch(/1️⃣/);

    const one = fake.click({ messageId: described.id, customId: buttonId(described, '1️⃣') });
    await fake.waitUntil(() => one.modal !== undefined, 3000, 'describe prompt modal');
    const prefilled = /"value":"([^"]+)"/.exec(JSON.stringify(one.modal?.components))?.[1] ?? '';
    expect(prefilled.length).toBeGreaterThan(5);

    const drawn = await resultOf(fake, fake.submitModal({ parent: one, values: { prompt: `${prefilled} extra detail` } }));
    expect(embedOf(drawn)?.description).toContain('extra detail');
    expect(rowsOf(drawn)[0]?.map((b) => b.label)).toContain('U1');
    expect(simCalls(sim, '/mj/submit/imagine').length + simCalls(sim, '/mj/submit/modal').length).toBeGreaterThan(0);
  });

  it('blend takes three attached images and shows the blended result', async () => {
    stack = await startStack();
    const { fake, sim } = stack;
    const images = [1, 2, 3].map((n) => ({ name: `img${n}.png`, bytes: userPng(32, 32, 60 * n), contentType: 'image/png' }));
    const handle = fake.slash({
      name: 'blend',
      options: [{ name: 'images1', type: 11 }, { name: 'images2', type: 11 }, { name: 'images3', type: 11 }],
      attachments: images,
    });
    const blended = await resultOf(fake, handle);
    const body = simCalls(sim, '/mj/submit/blend')[0] as { base64Array: string[] };
    expect(body.base64Array).toHaveLength(3);
    expect(body.base64Array[2]).toContain(images[2]!.bytes.toString('base64').slice(0, 40));
    expect(rowsOf(blended)).toHaveLength(2);
  });

  it('someone else pressing the owner’s button is refused privately and nothing is sent to Midjourney', async () => {
    stack = await startStack();
    const { fake } = stack;
    const grid = await resultOf(fake, fake.slash({ name: 'imagine', options: [{ name: 'prompt', type: 3, value: 'owner only' }] }));
    const before = submits(stack);
    const press = fake.click({ messageId: grid.id, customId: buttonId(grid, 'U1'), user: OTHER_USER });
    await fake.waitUntil(() => press.ephemeralReplies().length > 0, 3000, 'refusal');
    expect(press.responses.map((r) => r.type)).toEqual([4]);
    expect(press.ephemeralReplies()[0]?.content).toContain('Test User');
    expect(fake.messages().filter((m) => !m.ephemeral && m.interactionId === press.id)).toHaveLength(0);
    expect(submits(stack)).toBe(before);
  });

  it('a tampered button id is answered privately as not valid, without reaching Midjourney', async () => {
    stack = await startStack();
    const { fake } = stack;
    const grid = await resultOf(fake, fake.slash({ name: 'imagine', options: [{ name: 'prompt', type: 3, value: 'a forged press' }] }));
    const genuine = buttonId(grid, 'U1');
    const forged = `${genuine.slice(0, -2)}${genuine.endsWith('AA') ? 'BB' : 'AA'}`;
    const posted = (await stack.adapter.client.rest.post(Routes.channelMessages(fake.channelId), {
      body: { content: 'copy', components: [{ type: 1, components: [{ type: 2, style: 2, label: 'U1', custom_id: forged }] }] },
    })) as { id: string };
    const before = submits(stack);
    const press = fake.click({ messageId: posted.id, customId: forged });
    await fake.waitUntil(() => press.ephemeralReplies().length > 0, 3000, 'not valid answer');
    expect(press.ephemeralReplies()[0]?.content).toMatch(/not valid/);
    expect(submits(stack)).toBe(before);
  });
});

describe('Discord remix', () => {
  it('with remix on, V1 offers an Open button whose modal sends the edited prompt, and the variation lands on V1’s message', async () => {
    stack = await startStack({ sim: { remix: true } });
    const { fake, sim } = stack;
    const grid = await resultOf(fake, fake.slash({ name: 'imagine', options: [{ name: 'prompt', type: 3, value: 'a paper boat' }] }));
    const v1 = fake.click({ messageId: grid.id, customId: buttonId(grid, 'V1') });
    await fake.waitUntil(() => fake.messages().some((m) => m.interactionId === v1.id && m.id !== v1.originalMessageId && m.components.length > 0), 5000, 'remix offer');
    const offer = fake.messages().find((m) => m.interactionId === v1.id && m.id !== v1.originalMessageId)!;
    const open = fake.click({ messageId: offer.id, customId: buttonId(offer, 'Open') });
    await fake.waitUntil(() => open.modal !== undefined, 3000, 'remix modal');
    expect(JSON.stringify(open.modal?.components)).toContain('a paper boat');

    const submit = fake.submitModal({ parent: open, values: { prompt: 'a paper boat in the rain' } });
    const varied = await resultOf(fake, v1);
    expect(simCalls(sim, '/mj/submit/modal').some((b) => JSON.stringify(b).includes('in the rain'))).toBe(true);
    expect(embedOf(varied)?.title).toMatch(/^✅/);
    await fake.waitUntil(() => fake.message(submit.originalMessageId ?? '') === undefined, 3000, 'modal thinking reply removed');
  });
});
