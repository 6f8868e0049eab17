/**
 * Access test stack: like test/core/harness.ts (simulator over real HTTP, real client, store,
 * codec and service, recording presenter) but with the access gate plugged into the service.
 */
import { silentLogger } from '../../src/log.js';
import { createAccessGate, type AccessGate } from '../../src/core/access/index.js';
import type { Store } from '../../src/runtime/store.js';
import type { MjService } from '../../src/core/service/service.js';
import type { Origin, Reply, TaskView } from '../../src/core/domain/types.js';
import type { SimOptions, Simulator } from '../../src/sim/index.js';
import { createCoreStack, type RecordingPresenter } from '../core/harness.js';
import { allCommands } from '../../commands/index.js';
import type { Command, CommandInput } from '../../commands/types.js';

export interface AccessStack {
  sim: Simulator;
  store: Store;
  gate: AccessGate;
  service: MjService;
  presenter: RecordingPresenter;
  /** A user in the shared group chat ("group-1"), or in their own DM with `dm: true`. */
  origin: (userId: string, opts?: { dm?: boolean; locale?: 'en' | 'zh'; chatAdmin?: boolean; chatId?: string }) => Origin;
  imagine: (origin: Origin, prompt: string) => Promise<Reply>;
  run: (command: Command, origin: Origin, input?: CommandInput) => Promise<Reply>;
  finalOf: (taskId: string) => Promise<TaskView>;
  close: () => Promise<void>;
}

export interface AccessStackOptions {
  env?: Record<string, string>;
  sim?: SimOptions;
  now?: () => number;
  /** Store to share with other stacks (default: a memory store of its own). */
  storeUrl?: string;
  /** A simulator shared with other stacks (not closed by `close()`). */
  simInstance?: Simulator;
}

export async function createAccessStack(opts: AccessStackOptions = {}): Promise<AccessStack> {
  let gate: AccessGate | undefined;
  const stack = await createCoreStack({
    sim: { progressSteps: 1, ...opts.sim },
    simInstance: opts.simInstance,
    storeUrl: opts.storeUrl,
    env: { MJ_POLL_INTERVAL_MS: '30', ...opts.env },
    gate: ({ config, store }) => (gate = createAccessGate({ config, store, logger: silentLogger(), now: opts.now })),
  });
  const { service, presenter } = stack;
  const origin: AccessStack['origin'] = (userId, o = {}) => ({
    chat: { platform: 'console', chatId: o.chatId ?? (o.dm ? `dm-${userId}` : 'group-1'), isGroup: !o.dm },
    actor: { userId, name: `User ${userId}`, locale: o.locale ?? 'en', isChatAdmin: o.chatAdmin },
  });
  /**
   * A job that had to wait in line is answered at once with its queued message (the caller is not
   * held); tests want its task: wait until the message is bound to one, or shows how it ended.
   */
  const settled = async (reply: Reply): Promise<Reply> => {
    if (reply.type !== 'task' || reply.taskId || !reply.ref) return reply;
    const ref = reply.ref;
    let taskId: string | undefined;
    await until(async () => {
      taskId = await service.taskForMessage(ref.chat, ref.messageId);
      return taskId !== undefined || (presenter.messages.get(ref.messageId)?.views.some((v) => v.final) ?? false);
    }, 'a queued job to be submitted or end', 30_000);
    return { ...reply, taskId };
  };
  return {
    sim: stack.sim, store: stack.store, gate: gate!, service, presenter, origin,
    finalOf: (taskId) => stack.finalOf(taskId),
    imagine: async (o, prompt) => settled(await service.submit(o, { kind: 'imagine', prompt }, prompt)),
    run: async (command, o, input = {}) => command.execute(input, { service, origin: o, locale: await service.localeOf(o), commands: allCommands }),
    async close() {
      await gate?.close();
      await stack.close();
    },
  };
}

export function taskIdOf(reply: Reply): string {
  if (reply.type !== 'task' || !reply.taskId) throw new Error(`expected a task, got ${JSON.stringify(reply)}`);
  return reply.taskId;
}

export function textOf(reply: Reply): string {
  if (reply.type === 'task' || reply.type === 'form') throw new Error(`expected text, got ${JSON.stringify(reply)}`);
  return reply.text;
}

/** Wait until `check` holds (polling). */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Prompts of the imagine submits the simulator answered with HTTP 200 (canned refusals included), in order. */
export function submittedPrompts(sim: Simulator): string[] {
  return sim.requests
    .filter((r) => r.method === 'POST' && r.path.endsWith('/submit/imagine') && r.status === 200)
    .map((r) => String((r.body as { prompt?: unknown }).prompt));
}
