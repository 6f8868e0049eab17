/**
 * Access test stack: like test/core/harness.ts (simulator over real HTTP, real client, store,
 * codec and service, recording presenter) but with the access gate plugged into the service.
 */
import { parseConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { MjClient } from '../../src/mj/client.js';
import { createButtonCodec } from '../../src/core/buttons/codec.js';
import { createAccessGate, type AccessGate } from '../../src/core/access/index.js';
import { MjService } from '../../src/core/service.js';
import { openStore, type Store } from '../../src/core/store.js';
import type { Origin, Reply, TaskView } from '../../src/core/types.js';
import { startSimulator, type SimOptions, type Simulator } from '../../src/sim/index.js';
import { RecordingPresenter } from '../core/harness.js';
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

export async function createAccessStack(opts: { env?: Record<string, string>; sim?: SimOptions; now?: () => number } = {}): Promise<AccessStack> {
  const sim = await startSimulator({ stepMs: 15, progressSteps: 1, ...opts.sim });
  const config = parseConfig({ MJ_POLL_INTERVAL_MS: '30', STORE_URL: 'memory://', MJ_BASE_URL: sim.url, ...opts.env });
  const client = new MjClient({ baseUrl: sim.url, flavour: 'plus', retry: { retries: 2, baseDelayMs: 10, maxDelayMs: 50 } });
  const store = await openStore('memory://');
  const codec = createButtonCodec({ secret: 'access-test-secret-0123456789abcdef', store });
  const gate = createAccessGate({ config, store, logger: silentLogger(), now: opts.now });
  const service = new MjService({ config, store, logger: silentLogger(), clientFor: () => client, codec, imageAllowHosts: [new URL(sim.url).host], gate });
  const presenter = new RecordingPresenter();
  service.attach(presenter);
  await service.start();
  const origin: AccessStack['origin'] = (userId, o = {}) => ({
    chat: { platform: 'console', chatId: o.chatId ?? (o.dm ? `dm-${userId}` : 'group-1'), isGroup: !o.dm },
    actor: { userId, name: `User ${userId}`, locale: o.locale ?? 'en', isChatAdmin: o.chatAdmin },
  });
  const finalOf = async (taskId: string) => {
    const until = Date.now() + 10_000;
    while (Date.now() < until) {
      const final = presenter.viewsOf(taskId).find((v) => v.final);
      if (final) return final;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no final view for ${taskId}`);
  };
  return {
    sim, store, gate, service, presenter, origin, finalOf,
    imagine: (o, prompt) => service.startJob(o, { kind: 'imagine', prompt }, prompt),
    run: async (command, o, input = {}) => command.execute(input, { service, origin: o, locale: await service.localeOf(o) }),
    async close() {
      gate.close();
      await service.stop();
      await client.close();
      await store.close();
      await sim.close();
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
