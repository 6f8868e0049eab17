/**
 * What a typed line means in a console session: an absolute file path (`/tmp/mask.png`) is a
 * file — a mask for Vary (Region), an image for a prompt — not an unknown command; and a command
 * typed while a form waits for its answer runs, cancelling the form and saying so.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStack, type Stack } from '../helpers/stack.js';
import { driveConsole, type ConsoleDriver } from './driver.js';

let stack: Stack | undefined;
let ui: ConsoleDriver | undefined;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mjbot-lines-'));
});

afterEach(async () => {
  await ui?.end();
  await stack?.close();
  ui = stack = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function openConsole(): Promise<{ sim: Stack['sim']; ui: ConsoleDriver }> {
  stack = await createStack({ simOptions: { stepMs: 30 } });
  ui = driveConsole(stack, join(dir, 'out'));
  return { sim: stack.sim, ui };
}

/** A PNG at an absolute path: black, with the left half white when it is a mask. */
function writePng(name: string, width: number, height: number, mask = false): string {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const white = mask ? x < width / 2 : (x + y) % 7 === 0;
      png.data.set(white ? [255, 255, 255, 255] : [0, 0, 0, 255], (y * width + x) * 4);
    }
  }
  const path = join(dir, name);
  writeFileSync(path, PNG.sync.write(png));
  return path;
}

function bodies(sim: Stack['sim'], path: string): Record<string, unknown>[] {
  return sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith(path)).map((r) => r.body as Record<string, unknown>);
}

describe('console lines that start with "/"', () => {
  it('an absolute path to a mask answers Vary (Region)', async () => {
    const { sim, ui } = await openConsole();
    ui.type('an owl on a branch');
    await ui.waitFor(/\[U1\]/);
    ui.type('U1');
    const upscaled = await ui.waitFor(/\[(\d+)\] ✅ Done — image: (\S+)/);
    const image = PNG.sync.read(readFileSync(upscaled[2] ?? ''));
    const mask = writePng('mask.png', image.width, image.height, true);
    expect(mask.startsWith('/')).toBe(true);

    ui.type('Vary (Region)');
    await ui.waitFor(/the path to a PNG mask/);
    ui.type(`${mask} an owl with a hat`);
    await ui.waitFor(/\[(\d+)\] ✅ Done/);
    expect(ui.output()).not.toMatch(/Unknown command/);
    const modal = bodies(sim, '/submit/modal')[0];
    expect(modal?.prompt).toBe('an owl with a hat');
    expect(modal?.maskBase64).toMatch(/^data:image\/png;base64,/);
  });

  it('a line that starts with an image file is a prompt with that image; a missing file is named', async () => {
    const { sim, ui } = await openConsole();
    const photo = writePng('photo.png', 32, 32);
    ui.type(`${photo} a cat in this style`);
    await ui.waitFor(/\[(\d+)\] ✅ Done/);
    // The image goes as an uploaded reference in front of the prompt (plus uploads once).
    expect(bodies(sim, '/submit/imagine')[0]).toMatchObject({ prompt: expect.stringMatching(/^http:\/\/\S+\.png a cat in this style$/) });
    expect(bodies(sim, '/submit/upload-discord-images')).toHaveLength(1);

    ui.type(`${join(dir, 'no-such-mask.png')} a hat`);
    await ui.waitFor(new RegExp(`⚠️ File not found: ${join(dir, 'no-such-mask.png').replace(/[.]/g, '\\.')}`));
    ui.type('/nonsense');
    await ui.waitFor(/⚠️ Unknown command \/nonsense\./);
    expect(bodies(sim, '/submit/imagine')).toHaveLength(1);
  });
});

describe('a command typed while a form is open', () => {
  it('runs, says the form was cancelled, and the next line is a new prompt, not the form’s answer', async () => {
    const { sim, ui } = await openConsole();
    ui.type('a red fox');
    await ui.waitFor(/\[U1\]/);
    ui.type('U1');
    await ui.waitFor(/\[Custom Zoom\]/);
    ui.type('Custom Zoom');
    await ui.waitFor(/Type the prompt \(empty line = keep it, "cancel" or a \/command = cancel\):/);

    ui.type('/wrong');
    await ui.waitFor(/⚠️ Unknown command \/wrong\. Type \/help to see the commands\.\n {2}The "Custom Zoom" step is still waiting for your answer \(or "cancel"\)\./);
    ui.type('/help');
    await ui.waitFor(/ℹ️ The "Custom Zoom" step was cancelled so that \/help could run; press its button again to come back to it\./);
    await ui.waitFor(/\/imagine/);
    ui.type('a blue whale');
    await ui.waitFor(/\[(\d+)\] ✅ Done/);
    expect(bodies(sim, '/submit/modal')).toEqual([]);
    expect(bodies(sim, '/submit/imagine').map((b) => b.prompt)).toEqual(['a red fox', 'a blue whale']);
  });
});
