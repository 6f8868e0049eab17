/** Every command, in menu order; adapters register these and look them up by name. */
import admin from './admin.js';
import animate from './animate.js';
import blend from './blend.js';
import cancel from './cancel.js';
import collab from './collab.js';
import describe from './describe.js';
import edit from './edit.js';
import faceswap from './faceswap.js';
import gallery from './gallery.js';
import help from './help.js';
import history from './history.js';
import imagine from './imagine.js';
import queue from './queue.js';
import seed from './seed.js';
import settings from './settings.js';
import shorten from './shorten.js';
import start from './start.js';
import task from './task.js';
import type { InternalHandler } from '../src/core/service/service.js';
import type { Command } from './types.js';

export const allCommands: Command[] = [imagine, blend, describe, shorten, edit, animate, faceswap, seed, task, history, cancel, settings, queue, gallery, collab, admin, help, start];

/** The command called `name` (case-insensitive, without the leading slash), if any. */
export function findCommand(name: string, commands: readonly Command[] = allCommands): Command | undefined {
  const wanted = name.replace(/^\//, '').toLowerCase();
  return commands.find((c) => c.name === wanted);
}

/** The bot's own buttons the commands declare, by kind (the service dispatches presses on them). */
export function internalButtonsOf(commands: readonly Command[]): Map<string, InternalHandler> {
  const table = new Map<string, InternalHandler>();
  for (const command of commands) {
    for (const [kind, handler] of Object.entries(command.buttons ?? {})) {
      if (table.has(kind)) throw new Error(`two commands declare the button kind "${kind}"`);
      table.set(kind, handler);
    }
  }
  return table;
}
