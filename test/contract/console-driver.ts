/** The contract on the console: lines typed into a real console adapter, output read back. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { driveConsole, type ConsoleDriver } from '../console/driver.js';
import { startSimulator } from '../../src/sim/index.js';
import { createCoreStack, type CoreStack } from '../core/harness.js';
import type { ContractDriver } from './driver.js';
import { delivered, forgetDelivery, taskIdFor } from './replay.js';

/** `[U1] [U2] … / [V1] …` → labels. */
function labelsOf(line: string): string[] {
  return [...line.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!);
}

export async function consoleDriver(): Promise<ContractDriver> {
  const dir = mkdtempSync(join(tmpdir(), 'mjbot-contract-'));
  // SQLite: the store outlives a restart (redeliver).
  const storeUrl = `sqlite://${join(dir, 'bot.sqlite')}`;
  const sim = await startSimulator({ stepMs: 15 });
  let stack: CoreStack = await createCoreStack({ storeUrl, simInstance: sim });
  let ui: ConsoleDriver = driveConsole(stack, join(dir, 'out'));
  /** What earlier sessions printed (before a restart). */
  let earlier = '';
  const result = async () => {
    const [line = '', id = ''] = await ui.waitFor(/\[(\d+)\] ✅ Done[^\n]*\n/);
    const [row = ''] = await ui.waitFor(/^ {2}\[.*$/m);
    // A video result is saved as its clip: an MP4 file.
    const clip = /video: (\S+\.mp4)/.exec(line)?.[1];
    const video = clip !== undefined && existsSync(clip) && readFileSync(clip).subarray(4, 8).toString('latin1') === 'ftyp';
    return { ref: id, buttons: labelsOf(row), video };
  };
  return {
    name: 'console',
    sim,
    groups: false,
    confirmsCancel: true,
    async imagine(_who, prompt) {
      ui.type(`/imagine ${prompt}`);
      return result();
    },
    async pressForResult(_who, seen, label) {
      ui.type(`${label} ${seen.ref}`);
      return result();
    },
    async pressForForm(_who, seen, label) {
      ui.type(`${label} ${seen.ref}`);
      const [text = ''] = await ui.waitFor(/✏️[\s\S]*?Type the prompt[^\n]*\n/);
      return { ref: seen.ref, text };
    },
    async cancelForm() {
      ui.type('cancel');
      return (await ui.waitFor(/^.*cancel.*$/im))[0];
    },
    async pressRefused() {
      throw new Error('the console has one user: no one else can press');
    },
    async imagineRefused(_who, text) {
      ui.type(`/imagine ${text}`);
      return (await ui.waitFor(/^⚠️ .*$/m))[0];
    },
    async redeliver(_result, prompt) {
      const taskId = taskIdFor(sim, prompt);
      await forgetDelivery(stack.store, taskId);
      await ui.end();
      earlier += ui.output();
      await stack.close();
      stack = await createCoreStack({ storeUrl, simInstance: sim });
      ui = driveConsole(stack, join(dir, 'out'));
      await delivered(stack.store, taskId);
      await stack.service.flush();
      const transcript = earlier + ui.output();
      return [...transcript.matchAll(/\[(\d+)\] ✅ Done/g)].filter((m) => m[1] === taskId).map((m) => ({ ref: m[1]!, buttons: [], video: false }));
    },
    async close() {
      await ui.end();
      await stack.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
