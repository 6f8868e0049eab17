import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStack, type Stack } from '../helpers/stack.js';
import { driveConsole, type ConsoleDriver } from './driver.js';

let stack: Stack | undefined;
let dir: string;
let consoleUi: ConsoleDriver | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mjbot-console-'));
});

afterEach(async () => {
  await consoleUi?.end();
  await stack?.close();
  consoleUi = undefined;
  stack = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** A stack plus a console session on it; `stepMs` sets how fast simulated tasks move. */
async function openConsole(stepMs = 30): Promise<{ sim: Stack['sim']; ui: ConsoleDriver }> {
  stack = await createStack({ simOptions: { stepMs } });
  consoleUi = driveConsole(stack, join(dir, 'out'));
  return { sim: stack.sim, ui: consoleUi };
}

function writePng(name: string, rgb: [number, number, number]): string {
  const png = new PNG({ width: 16, height: 16 });
  for (let i = 0; i < png.data.length; i += 4) png.data.set([...rgb, 255], i);
  const path = join(dir, name);
  writeFileSync(path, PNG.sync.write(png));
  return path;
}

function modalPrompts(sim: Stack['sim']): unknown[] {
  return sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/submit/modal')).map((r) => (r.body as { prompt?: unknown }).prompt);
}

describe('console session', () => {
  it('draws a prompt, saves the PNG, and lets the user upscale and custom-zoom by typing labels', async () => {
    // Steps long enough that 50 ms polling always sees the drawing phase.
    const { sim, ui } = await openConsole(100);
    ui.type('/imagine a red fox');
    const drawing = await ui.waitFor(/\[(\d+)\] 🎨 Drawing… \d+% [▰▱]{10}/);
    const done = await ui.waitFor(/\[(\d+)\] ✅ Done — image: (\S+)/);
    expect(done[1]).toBe(drawing[1]);
    const imagePath = done[2] ?? '';
    expect(imagePath).toBe(join(dir, 'out', `${done[1]}.png`));
    expect(PNG.sync.read(readFileSync(imagePath)).width).toBeGreaterThan(0);
    await ui.waitFor(/\[U1\] \[U2\] \[U3\] \[U4\] \[🔄\] \/ \[V1\] \[V2\] \[V3\] \[V4\]/);

    ui.type('u2');
    const upscaled = await ui.waitFor(/\[(\d+)\] ✅ Done — image: (\S+)/);
    expect(upscaled[1]).not.toBe(done[1]);
    expect(existsSync(upscaled[2] ?? '')).toBe(true);
    await ui.waitFor(/\[Custom Zoom\]/);

    ui.type('Custom Zoom');
    await ui.waitFor(/Prompt: a red fox.* --zoom 1\.5/);
    ui.type('a red fox --zoom 3');
    await ui.waitFor(/⚠️ --zoom must be a number between 1 and 2/);
    expect(modalPrompts(sim)).toEqual([]);
    ui.type('a red fox --zoom 1.5');
    const zoomed = await ui.waitFor(/\[(\d+)\] ✅ Done — image: (\S+)/);
    expect([done[1], upscaled[1]]).not.toContain(zoomed[1]);
    expect(modalPrompts(sim)).toEqual(['a red fox --zoom 1.5']);
  });

  it('describes an image file and draws the first described prompt after an empty line keeps the prefill', async () => {
    const { sim, ui } = await openConsole();
    const image = writePng('photo.png', [200, 40, 40]);
    ui.type(`/describe ${image}`);
    await ui.waitFor(/\[(\d+)\] ✅ Done/);
    const first = await ui.waitFor(/1️⃣ ([^\n]+)/);
    await ui.waitFor(/\[1️⃣\] \[2️⃣\]/);
    ui.type('1');
    const prefill = await ui.waitFor(/Prompt: ([^\n]+)/);
    expect(prefill[1]).toBe(first[1]?.trim());
    ui.type('');
    const drawn = await ui.waitFor(/\[(\d+)\] ✅ Done — image: (\S+)/);
    expect(existsSync(drawn[2] ?? '')).toBe(true);
    expect(modalPrompts(sim)).toEqual([first[1]?.trim()]);
  });

  it('blends image files named on the line and explains missing files and too few images', async () => {
    const { sim, ui } = await openConsole();
    const a = writePng('a.png', [255, 0, 0]);
    const b = writePng('b.png', [0, 0, 255]);
    ui.type(`/blend ${a} ${join(dir, 'missing.png')}`);
    await ui.waitFor(new RegExp(`⚠️ File not found: ${join(dir, 'missing.png').replace(/[.]/g, '\\.')}`));
    ui.type(`/blend ${a}`);
    await ui.waitFor(/⚠️ Blend needs at least 2 images; you sent 1\./);
    ui.type(`blend ${a} ${b} portrait`);
    await ui.waitFor(/\[(\d+)\] ✅ Done — image: /);
    const blend = sim.requests.find((r) => r.path.endsWith('/submit/blend'));
    expect(blend?.body).toMatchObject({ dimensions: 'PORTRAIT' });
    expect((blend?.body as { base64Array: string[] }).base64Array).toHaveLength(2);
  });

  it('edits a file with a mask file, and animates a file into a saved .mp4 clip', async () => {
    const { sim, ui } = await openConsole();
    const photo = writePng('photo.png', [200, 20, 20]);
    const mask = join(dir, 'mask.png');
    const png = new PNG({ width: 4, height: 4 });
    for (let i = 0; i < png.data.length; i += 4) png.data.set(i < png.data.length / 2 ? [255, 255, 255, 255] : [0, 0, 0, 255], i);
    writeFileSync(mask, PNG.sync.write(png));
    ui.type(`/edit ${photo} ${mask} make it blue`);
    await ui.waitFor(/\[(\d+)\] ✅ Done — image: /);
    expect(sim.requests.find((r) => r.path.endsWith('/submit/edits'))?.body).toMatchObject({ prompt: 'make it blue', maskBase64: expect.stringMatching(/^data:image\/png;base64,/) });

    ui.type(`/animate ${photo} the sea waves`);
    const [, id, path] = await ui.waitFor(/\[(\d+)\] ✅ Done — video: (\S+\.mp4)/);
    expect(path).toBe(join(dir, 'out', `${id}.mp4`));
    expect(readFileSync(path!).subarray(4, 8).toString('latin1')).toBe('ftyp');
    await ui.waitFor(/^ {2}\[U1\] \[U2\] \[U3\] \[U4\]$/m);
  });

  it('warns about a press before any result, speaks Chinese after "settings lang zh" and ends the session on /quit', async () => {
    const { sim, ui } = await openConsole();
    ui.type('U2');
    await ui.waitFor(/⚠️ There is no "U2" button to press yet: wait for a result\./);
    ui.type('settings lang zh');
    await ui.waitFor(/语言：中文/);
    ui.type('一只红色的狐狸');
    await ui.waitFor(/\[(\d+)\] ✅ 完成 — 图片：/);
    ui.type('/quit');
    await ui.waitFor(/再见。/);
    await ui.session.done;
    const imagine = sim.requests.find((r) => r.path.endsWith('/submit/imagine'));
    expect(imagine?.body).toMatchObject({ prompt: '一只红色的狐狸' });
  });

  it('answers a remix form after the user types "remix" when the account has remix on', async () => {
    const { sim, ui } = await openConsole();
    sim.setRemix(true);
    ui.type('a castle');
    await ui.waitFor(/\[V1\]/);
    ui.type('V1');
    await ui.waitFor(/Type "remix" to answer\./);
    ui.type('remix');
    await ui.waitFor(/Prompt: a castle/);
    ui.type('a castle at night');
    await ui.waitFor(/\[(\d+)\] ✅ Done — image: /);
    expect(modalPrompts(sim)).toEqual(['a castle at night']);
  });

  it('presses a button of an older result by id, redraws a region chosen by number, and cancels a form', async () => {
    const { sim, ui } = await openConsole();
    ui.type('an owl');
    const owl = await ui.waitFor(/\[(\d+)\] ✅ Done/);
    ui.type('a bat');
    const bat = await ui.waitFor(/\[(\d+)\] ✅ Done/);
    ui.type(`U3 ${owl[1]}`);
    const upscaled = await ui.waitFor(/\[(\d+)\] ✅ Done/);
    const upscale = sim.task(upscaled[1] ?? '');
    expect(upscale?.action).toBe('UPSCALE');
    expect(upscale?.prompt).toContain('an owl');
    expect(bat[1]).not.toBe(owl[1]);

    ui.type('vary (region)');
    await ui.waitFor(/2\. Right half \(right-half\)/);
    ui.type('2 an owl with a hat');
    await ui.waitFor(/\[(\d+)\] ✅ Done/);
    const modal = sim.requests.find((r) => r.path.endsWith('/submit/modal'))?.body as { prompt?: string; maskBase64?: string };
    expect(modal.prompt).toBe('an owl with a hat');
    expect(modal.maskBase64).toMatch(/^data:image\/png;base64,/);

    ui.type(`Custom Zoom ${upscaled[1]}`);
    await ui.waitFor(/--zoom 1\.5/);
    ui.type('cancel');
    await ui.waitFor(/Cancelled\./);
    expect(sim.requests.filter((r) => r.path.endsWith('/submit/modal'))).toHaveLength(1);
  });
});
