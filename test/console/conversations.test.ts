/** The conversation flows typed at the console: /cancel of a question, /history and its numbers, /task alone. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createStack, type Stack } from '../helpers/stack.js';
import { driveConsole, type ConsoleDriver } from './driver.js';

let stack: Stack | undefined;
let ui: ConsoleDriver | undefined;
let dir: string | undefined;

afterEach(async () => {
  await ui?.end();
  await stack?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  ui = stack = dir = undefined;
});

async function open(): Promise<{ sim: Stack['sim']; ui: ConsoleDriver }> {
  dir = mkdtempSync(join(tmpdir(), 'mjbot-console-conv-'));
  stack = await createStack({ simOptions: { stepMs: 20 } });
  ui = driveConsole(stack, join(dir, 'out'));
  return { sim: stack.sim, ui };
}

describe('console conversations', () => {
  it('/cancel closes the open question, and the next line is a prompt again', async () => {
    const { sim, ui } = await open();
    ui.type('a kite over the sea');
    const [, grid = ''] = await ui.waitFor(/\[(\d+)\] ✅ Done/);
    ui.type(`U1 ${grid}`);
    const [, solo = ''] = await ui.waitFor(/\[(\d+)\] ✅ Done/);
    ui.type(`Custom Zoom ${solo}`);
    await ui.waitFor(/Type the prompt/);
    ui.type('/cancel');
    await ui.waitFor(/^Cancelled\.$/m);
    ui.type('a kite at dusk');
    await ui.waitFor(/\[\d+\] ✅ Done/);
    expect(sim.requests.filter((r) => r.path.endsWith('/submit/modal'))).toHaveLength(0);
    expect(sim.requests.filter((r) => r.path.endsWith('/submit/imagine')).map((r) => (r.body as { prompt: string }).prompt)).toEqual(['a kite over the sea', 'a kite at dusk']);
  });

  it('/history lists the jobs, typing a number shows that one, and /task alone shows the latest', async () => {
    const { ui } = await open();
    ui.type('an old lighthouse');
    await ui.waitFor(/\[\d+\] ✅ Done/);
    ui.type('a new bridge');
    await ui.waitFor(/\[\d+\] ✅ Done/);
    ui.type('/history');
    await ui.waitFor(/1\. ✅ Done · a new bridge[\s\S]*2\. ✅ Done · an old lighthouse/);
    ui.type('2');
    await ui.waitFor(/✅ Done · \d+\nPrompt: an old lighthouse/);
    ui.type('/task');
    await ui.waitFor(/✅ Done · \d+\nPrompt: a new bridge/);
  });
});
