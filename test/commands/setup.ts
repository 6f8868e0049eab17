/** Command-test helpers: run a command as a user, and wait for a task's final view. */
import { PNG } from 'pngjs';
import { allCommands } from '../../commands/index.js';
import type { Command, CommandInput, ImageInput } from '../../commands/types.js';
import type { Locale, Origin, Reply, TaskView } from '../../src/core/domain/types.js';
import { RecordingPresenter } from '../core/harness.js';
import { createStack, testOrigin, type Stack, type StackOptions } from '../helpers/stack.js';

export interface CommandStack extends Stack {
  presenter: RecordingPresenter;
  run(command: Command, input?: CommandInput, origin?: Origin, replyToTaskId?: string): Promise<Reply>;
  finalOf(taskId: string): Promise<TaskView>;
}

export async function createCommandStack(opts: StackOptions = {}): Promise<CommandStack> {
  const stack = await createStack(opts);
  const presenter = new RecordingPresenter();
  stack.service.attach(presenter);
  return {
    ...stack,
    presenter,
    run: async (command, input = {}, origin = testOrigin(), replyToTaskId) =>
      command.execute(input, { service: stack.service, origin, locale: await stack.service.localeOf(origin), replyToTaskId, commands: allCommands }),
    async finalOf(taskId) {
      const until = Date.now() + 10_000;
      while (Date.now() < until) {
        const final = presenter.viewsOf(taskId).find((v) => v.final);
        if (final) return final;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`no final view for ${taskId}`);
    },
  };
}

export function user(id: string, locale: Locale = 'en', group = false): Origin {
  return testOrigin(id, { locale, group });
}

/** A small solid PNG as an attached image. */
export function pngImage(rgb: [number, number, number] = [10, 120, 200], size = 8): ImageInput {
  const png = new PNG({ width: size, height: size });
  for (let i = 0; i < png.data.length; i += 4) png.data.set([...rgb, 255], i);
  return { bytes: new Uint8Array(PNG.sync.write(png)), name: 'image.png' };
}

export function taskIdOf(reply: Reply): string {
  if (reply.type !== 'task' || !reply.taskId) throw new Error(`expected a submitted task, got ${JSON.stringify(reply)}`);
  return reply.taskId;
}

export function textOf(reply: Reply): string {
  if (reply.type !== 'message' && reply.type !== 'error') throw new Error(`expected text, got ${JSON.stringify(reply)}`);
  return reply.text;
}
