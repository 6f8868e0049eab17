/** The contract on the console: lines typed into a real console adapter, output read back. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { driveConsole } from '../console/driver.js';
import { createCoreStack } from '../core/harness.js';
import type { ContractDriver } from './driver.js';

/** `[U1] [U2] … / [V1] …` → labels. */
function labelsOf(line: string): string[] {
  return [...line.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!);
}

export async function consoleDriver(): Promise<ContractDriver> {
  const dir = mkdtempSync(join(tmpdir(), 'mjbot-contract-'));
  const stack = await createCoreStack();
  const ui = driveConsole(stack, join(dir, 'out'));
  const result = async () => {
    const [, id = ''] = await ui.waitFor(/\[(\d+)\] ✅ Done[^\n]*\n/);
    const [row = ''] = await ui.waitFor(/^ {2}\[.*$/m);
    return { ref: id, buttons: labelsOf(row) };
  };
  return {
    name: 'console',
    sim: stack.sim,
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
    async close() {
      await ui.end();
      await stack.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
