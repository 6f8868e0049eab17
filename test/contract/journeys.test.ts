/**
 * The same user journeys on every adapter (console, Telegram, Discord), through each platform's
 * real client path: what a user does and what they must see, whatever chat they use.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { consoleDriver } from './console-driver.js';
import { discordDriver } from './discord-driver.js';
import type { ContractDriver } from './driver.js';
import { telegramDriver } from './telegram-driver.js';

const drivers: [string, () => Promise<ContractDriver>][] = [
  ['console', consoleDriver],
  ['telegram', telegramDriver],
  ['discord', discordDriver],
];

const posts = (d: ContractDriver, path: string) => d.sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith(path)).length;

describe.each(drivers)('adapter contract: %s', (_name, start) => {
  let driver: ContractDriver | undefined;
  afterEach(async () => {
    await driver?.close();
    driver = undefined;
  });

  it('imagine → U1 → Custom Zoom asks with the prompt prefilled → cancel sends nothing more to Midjourney', async () => {
    const d = (driver = await start());
    const grid = await d.imagine('owner', 'a red fox in the snow');
    expect(grid.buttons).toEqual(expect.arrayContaining(['U1', 'U2', 'U3', 'U4', 'V1', 'V2', 'V3', 'V4']));
    expect(grid.buttons.some((b) => b.includes('🔄'))).toBe(true);

    const upscaled = await d.pressForResult('owner', grid, 'U1');
    expect(upscaled.ref).not.toBe(grid.ref);
    expect(upscaled.buttons.some((b) => b.includes('Custom Zoom'))).toBe(true);
    expect(upscaled.buttons.some((b) => b.includes('Vary (Region)'))).toBe(true);
    expect(upscaled.buttons).not.toContain('U1');

    const actions = posts(d, '/submit/action');
    const form = await d.pressForForm('owner', upscaled, 'Custom Zoom');
    expect(form.text).toContain('a red fox in the snow');
    expect(form.text).toContain('--zoom');

    const confirmation = await d.cancelForm('owner', form);
    if (d.confirmsCancel) expect(confirmation).toMatch(/cancelled/i);
    else expect(confirmation).toBeUndefined();
    await new Promise((r) => setTimeout(r, 200));
    expect(posts(d, '/submit/action')).toBe(actions);
    expect(posts(d, '/submit/modal')).toBe(0);
  });

  it('a v7 upscale animates into a video shown natively with its clip buttons; a clip upscale gives one clip with Extend', async () => {
    const d = (driver = await start());
    const grid = await d.imagine('owner', 'waves rolling onto a beach');
    expect(grid.video).toBe(false);
    const upscaled = await d.pressForResult('owner', grid, 'U1');
    expect(upscaled.buttons).toEqual(expect.arrayContaining([expect.stringContaining('Animate (High motion)'), expect.stringContaining('Animate (Low motion)')]));

    const video = await d.pressForResult('owner', upscaled, 'Animate (High motion)');
    expect(video.video).toBe(true);
    expect(video.ref).not.toBe(upscaled.ref);
    expect(video.buttons).toEqual(['U1', 'U2', 'U3', 'U4']);

    const clip = await d.pressForResult('owner', video, 'U2');
    expect(clip.video).toBe(true);
    expect(clip.buttons).toEqual([expect.stringContaining('Extend (High motion)'), expect.stringContaining('Extend (Low motion)')]);
    const pressed = d.sim.requests.filter((r) => r.path.endsWith('/submit/action')).map((r) => (r.body as { customId: string }).customId);
    expect(pressed.at(-2)).toMatch(/^MJ::JOB::animate_high::1::/);
    expect(pressed.at(-1)).toMatch(/^MJ::JOB::video_virtual_upscale::2::/);
  });

  it('a result delivered again after a crash is recognised: the chat still shows it once, in the same message', async () => {
    const d = (driver = await start());
    const grid = await d.imagine('owner', 'a heron at dawn');
    const shown = await d.redeliver(grid, 'a heron at dawn');
    expect(shown).toHaveLength(1);
    expect(shown[0]?.ref).toBe(grid.ref);
  });

  it('an empty prompt is refused with a clear message and nothing reaches Midjourney', async () => {
    const d = (driver = await start());
    const before = d.sim.requests.filter((r) => r.method === 'POST').length;
    expect(await d.imagineRefused('owner', '   ')).toMatch(/write a prompt/i);
    expect(d.sim.requests.filter((r) => r.method === 'POST')).toHaveLength(before);
  });
});

describe.each(drivers.filter(([name]) => name !== 'console'))('adapter contract in shared chats: %s', (_name, start) => {
  let driver: ContractDriver | undefined;
  afterEach(async () => {
    await driver?.close();
    driver = undefined;
  });

  it('only the requester may press a result’s buttons; the other user is told so privately', async () => {
    const d = (driver = await start());
    expect(d.groups).toBe(true);
    const grid = await d.imagine('owner', 'a castle on a hill');
    const actions = posts(d, '/submit/action');
    expect(await d.pressRefused('other', grid, 'U2')).toMatch(/only/i);
    expect(posts(d, '/submit/action')).toBe(actions);
    // The owner still can.
    const upscaled = await d.pressForResult('owner', grid, 'U2');
    expect(upscaled.buttons.length).toBeGreaterThan(0);
  });
});
