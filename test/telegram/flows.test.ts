/**
 * Telegram adapter, one user in a private chat: the real adapter on a fake Bot API, the real
 * app (store, service, tracker) and the MJ simulator over HTTP.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { imageSize, makePng } from '../fakes/telegram/index.js';
import { alice, button, buttonsOf, expectCallbackDataWithinLimit, keyboardOf, startHarness, waitForForm, waitForMessage, waitForResult, wang, type Harness } from './harness.js';

const CHAT = alice.id;

describe('Telegram: drawing in a private chat', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('imagine shows a grid with 9 buttons, upscale shows the solo set, and Custom Zoom asks for a prompt until --zoom is valid', async () => {
    const command = h.fake.sendText({ chatId: CHAT, from: alice, text: '/imagine a red fox in the snow' });
    const grid = await waitForResult(h.fake, CHAT, 1);
    expect(grid.replyTo).toBe(command.message_id);
    expect(grid.caption).toContain('a red fox in the snow');
    expect(grid.caption).toContain('Alice');
    expect(keyboardOf(grid).map((row) => row.map((b) => b.text))).toEqual([
      ['U1', 'U2', 'U3', 'U4', '🔄'],
      ['V1', 'V2', 'V3', 'V4'],
    ]);

    const pressId = h.fake.pressButton({ chatId: CHAT, messageId: grid.messageId, from: alice, data: button(grid, 'U2').callback_data });
    const upscaled = await waitForResult(h.fake, CHAT, 2);
    expect(h.fake.callbackAnswers.get(pressId)?.show_alert).not.toBe(true);
    expect(upscaled.replyTo).toBe(grid.messageId);
    const labels = buttonsOf(upscaled).map((b) => b.text);
    expect(labels).toEqual(expect.arrayContaining(['🪄 Vary (Subtle)', '🖌️ Vary (Region)', '🔍 Custom Zoom', '⬅️', '➡️']));
    expect(labels).not.toContain('U1');

    h.fake.pressButton({ chatId: CHAT, messageId: upscaled.messageId, from: alice, data: button(upscaled, 'Custom Zoom').callback_data });
    const { question: ask, buttons } = await waitForForm(h.fake, CHAT, 'ForceReply for Custom Zoom');
    expect(ask.text).toMatch(/Current prompt \(tap to copy\):\na red fox in the snow .*--zoom 1\.5/);
    expect(ask.replyTo).toBe(upscaled.messageId);
    expect(buttonsOf(buttons).map((b) => b.text)).toEqual(['✖️ Cancel']);

    h.fake.sendText({ chatId: CHAT, from: alice, text: 'a red fox in the snow --zoom 5', replyTo: ask.messageId });
    await waitForMessage(h.fake, CHAT, (m) => m.text?.includes('--zoom must be a number between 1 and 2') === true, 'zoom range error');

    h.fake.sendText({ chatId: CHAT, from: alice, text: 'a red fox in the snow --zoom 1.5', replyTo: ask.messageId });
    const zoomed = await waitForResult(h.fake, CHAT, 3);
    expect(zoomed.caption).toContain('Custom Zoom');
    const modal = h.sim.requests.find((r) => r.path === '/mj/submit/modal');
    expect((modal?.body as { prompt?: string } | undefined)?.prompt).toContain('--zoom 1.5');
    expectCallbackDataWithinLimit(h.fake);
  });

  it('Vary (Region) offers area presets and sends the proxy a PNG mask the size of the upscaled image', async () => {
    h.fake.sendText({ chatId: CHAT, from: alice, text: '/imagine a lighthouse at dusk' });
    const grid = await waitForResult(h.fake, CHAT, 1);
    h.fake.pressButton({ chatId: CHAT, messageId: grid.messageId, from: alice, data: button(grid, 'U1').callback_data });
    const upscaled = await waitForResult(h.fake, CHAT, 2);

    h.fake.pressButton({ chatId: CHAT, messageId: upscaled.messageId, from: alice, data: button(upscaled, 'Vary (Region)').callback_data });
    const { buttons: presets } = await waitForForm(h.fake, CHAT, 'region presets');
    expect(buttonsOf(presets).map((b) => b.text)).toContain('✖️ Cancel');
    h.fake.pressButton({ chatId: CHAT, messageId: presets.messageId, from: alice, data: button(presets, 'Left half').callback_data });

    const varied = await waitForResult(h.fake, CHAT, 3);
    expect(varied.caption).toContain('Vary (Region)');
    const modal = h.sim.requests.find((r) => r.path === '/mj/submit/modal');
    const mask = (modal?.body as { maskBase64?: string } | undefined)?.maskBase64 ?? '';
    const png = Buffer.from(mask.replace(/^data:image\/png;base64,/, ''), 'base64');
    const size = imageSize(png);
    expect(size?.format).toBe('png');
    expect({ width: size?.width, height: size?.height }).toEqual({ width: upscaled.photo?.width, height: upscaled.photo?.height });
  });

  it('describe on a photo lists prompts, and pressing 1️⃣ asks for the prompt and draws it', async () => {
    h.fake.sendPhoto({ chatId: CHAT, from: alice, caption: '/describe', png: makePng(64, 48) });
    const described = await waitForResult(h.fake, CHAT, 1);
    expect(described.caption).toContain('Prompts for this image');
    const first = button(described, '1️⃣');

    h.fake.pressButton({ chatId: CHAT, messageId: described.messageId, from: alice, data: first.callback_data });
    const { question: ask } = await waitForForm(h.fake, CHAT, 'ForceReply for 1️⃣');
    const prefilled = /Current prompt \(tap to copy\):\n([\s\S]+)$/.exec(ask.text ?? '')?.[1]?.trim() ?? '';
    expect(prefilled.length).toBeGreaterThan(5);
    expect(described.caption).toContain(prefilled.slice(0, 20));

    h.fake.sendText({ chatId: CHAT, from: alice, text: prefilled, replyTo: ask.messageId });
    const drawn = await waitForResult(h.fake, CHAT, 2);
    expect(keyboardOf(drawn)).toHaveLength(2);
    const submitted = h.sim.requests.filter((r) => r.path.startsWith('/mj/submit/')).map((r) => ({ path: r.path, prompt: (r.body as { prompt?: string }).prompt }));
    expect(submitted).toContainEqual({ path: '/mj/submit/modal', prompt: prefilled });
  });

  it('shorten lists shortened prompts, and pressing 2️⃣ asks for the prompt and draws it', async () => {
    h.fake.sendText({ chatId: CHAT, from: alice, text: '/shorten a very long and detailed prompt about a red fox sitting in deep snow at dawn, cinematic lighting, ultra detailed' });
    const shortened = await waitForMessage(h.fake, CHAT, (m) => keyboardOf(m).flat().some((b) => b.text.includes('2️⃣')), 'shorten result');
    expect(shortened.text ?? shortened.caption).toContain('Shortened prompts');
    h.fake.pressButton({ chatId: CHAT, messageId: shortened.messageId, from: alice, data: button(shortened, '2️⃣').callback_data });
    const { question: ask } = await waitForForm(h.fake, CHAT, 'ForceReply for 2️⃣');
    h.fake.sendText({ chatId: CHAT, from: alice, text: 'a red fox in snow at dawn', replyTo: ask.messageId });
    const drawn = await waitForResult(h.fake, CHAT, 1);
    expect(drawn.caption).toContain('a red fox in snow at dawn');
    const modal = h.sim.requests.find((r) => r.path === '/mj/submit/modal');
    expect(modal?.body).toMatchObject({ prompt: 'a red fox in snow at dawn' });
  });

  it('faceswap takes the first photo of an album as the face and the second as the target', async () => {
    const face = makePng(40, 40, [250, 200, 180]);
    const target = makePng(48, 32, [20, 40, 200]);
    h.fake.sendPhoto({ chatId: CHAT, from: alice, mediaGroupId: 'swap-1', caption: '/faceswap', png: face });
    h.fake.sendPhoto({ chatId: CHAT, from: alice, mediaGroupId: 'swap-1', png: target });
    await waitForMessage(h.fake, CHAT, (m) => Boolean(m.photo) && !keyboardOf(m).length && (m.caption ?? '').includes('✅'), 'swapped image');
    const swap = h.sim.requests.find((r) => r.path === '/mj/insight-face/swap');
    const body = swap?.body as { sourceBase64: string; targetBase64: string };
    expect(Buffer.from(body.sourceBase64.split(',')[1]!, 'base64').equals(face)).toBe(true);
    expect(Buffer.from(body.targetBase64.split(',')[1]!, 'base64').equals(target)).toBe(true);
  });

  it('blend takes the three photos of an album in order', async () => {
    const colours: [number, number, number][] = [[255, 0, 0], [0, 255, 0], [0, 0, 255]];
    colours.forEach((rgb, i) => h.fake.sendPhoto({ chatId: CHAT, from: alice, mediaGroupId: 'album-1', caption: i === 0 ? '/blend square' : undefined, png: makePng(32, 32, rgb) }));
    const blended = await waitForResult(h.fake, CHAT, 1);
    expect(blended.caption).toContain('Alice');
    const submits = h.sim.requests.filter((r) => r.path === '/mj/submit/blend');
    expect(submits).toHaveLength(1);
    const body = submits[0]?.body as { base64Array: string[]; dimensions?: string };
    expect(body.base64Array).toHaveLength(3);
    expect(body.dimensions).toBe('SQUARE');
    const sent = colours.map((rgb) => makePng(32, 32, rgb).toString('base64'));
    expect(body.base64Array.map((d) => d.replace(/^data:image\/\w+;base64,/, ''))).toEqual(sent);
  });

  it('a Chinese-speaking user gets Chinese texts', async () => {
    h.fake.sendText({ chatId: wang.id, from: wang, text: '/imagine 一只在雪地里的狐狸' });
    const result = await waitForResult(h.fake, wang.id, 1);
    expect(result.caption).toContain('完成');
    expect(result.caption).toContain('来自 小王');
    h.fake.sendText({ chatId: wang.id, from: wang, text: '/describe' });
    const hint = await waitForMessage(h.fake, wang.id, (m) => m.text?.includes('/describe') === true && !m.photo, 'needPhoto hint');
    expect(hint.text).toContain('请随命令发送图片');
    expect(h.fake.myCommands({ languageCode: 'zh' }).length).toBeGreaterThan(3);
    expect(h.fake.myCommands({ languageCode: 'zh' })[0]?.description).toMatch(/[\u4e00-\u9fff]/);
  });

  it('/seed sent as a reply to an older result gives the seed of that result', async () => {
    h.fake.sendText({ chatId: CHAT, from: alice, text: '/imagine first picture' });
    const first = await waitForResult(h.fake, CHAT, 1);
    h.fake.sendText({ chatId: CHAT, from: alice, text: '/imagine second picture' });
    await waitForResult(h.fake, CHAT, 2);
    const firstTask = h.sim.tasks().find((task) => task.prompt?.includes('first picture'));
    expect(firstTask).toBeDefined();

    const ask = h.fake.sendText({ chatId: CHAT, from: alice, text: '/seed', replyTo: first.messageId });
    const answer = await waitForMessage(h.fake, CHAT, (m) => m.replyTo === ask.message_id, 'seed answer');
    expect(answer.text).toMatch(/^Seed: \S+/);
    expect(h.sim.requests.filter((r) => r.path.endsWith('/image-seed')).map((r) => r.path)).toEqual([`/mj/task/${firstTask?.id}/image-seed`]);
  });

  it('/settings is a button menu that updates in place, and the chosen language is used from then on', async () => {
    const command = h.fake.sendText({ chatId: CHAT, from: alice, text: '/settings' });
    const menu = await waitForMessage(h.fake, CHAT, (m) => m.replyTo === command.message_id && buttonsOf(m).length > 3, 'settings menu');
    h.fake.pressButton({ chatId: CHAT, messageId: menu.messageId, from: alice, data: button(menu, '中文').callback_data });
    await h.fake.waitUntil(() => /[\u4e00-\u9fff]/.test(h.fake.message(CHAT, menu.messageId)?.text ?? ''), 5000, 'menu in Chinese');
    expect(h.fake.message(CHAT, menu.messageId)?.editCount).toBeGreaterThan(0);
    expect(buttonsOf(h.fake.message(CHAT, menu.messageId)).length).toBe(buttonsOf(menu).length);

    h.fake.sendText({ chatId: CHAT, from: alice, text: '/imagine a quiet harbour' });
    const result = await waitForResult(h.fake, CHAT, 1);
    expect(result.caption).toContain('完成');
  });

  it('bad input gets a clear answer and the bot keeps working', async () => {
    h.fake.sendText({ chatId: CHAT, from: alice, text: '/imagine' });
    await waitForMessage(h.fake, CHAT, (m) => m.text?.includes('Please write a prompt') === true, 'empty prompt answer');
    h.fake.sendDocument({ chatId: CHAT, from: alice, caption: '/describe', fileName: 'notes.txt', mime: 'text/plain', bytes: Buffer.from('not an image') });
    await waitForMessage(h.fake, CHAT, (m) => m.text?.includes('not an image I can use') === true, 'not an image answer');
    h.fake.sendText({ chatId: CHAT, from: alice, text: '/imagine still alive' });
    await waitForResult(h.fake, CHAT, 1);
  });
});
