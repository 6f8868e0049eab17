/**
 * Core test stack: the embedded simulator over real HTTP, a real MjClient, a real store and
 * codec, the real service — and a recording Presenter standing in for a chat platform.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { MjClient } from '../../src/mj/client.js';
import type { Flavour } from '../../src/mj/capabilities.js';
import { createButtonCodec } from '../../src/core/buttons/codec.js';
import { MjService } from '../../src/core/service.js';
import { openStore, type Store } from '../../src/core/store.js';
import type { FormView, MessageRef, Origin, Presenter, TaskView } from '../../src/core/types.js';
import { startSimulator, type SimOptions, type Simulator } from '../../src/sim/index.js';

export interface Shown {
  ref: MessageRef;
  views: TaskView[];
  forms: FormView[];
}

/** A Presenter that records every view per message, like a chat would show them. */
export class RecordingPresenter implements Presenter {
  readonly platform = 'console' as const;
  readonly minUpdateIntervalMs = 0;
  readonly messages = new Map<string, Shown>();
  private next = 1;

  async open(origin: Origin, view: TaskView): Promise<MessageRef> {
    const ref: MessageRef = { chat: origin.chat, messageId: String(this.next++) };
    this.messages.set(ref.messageId, { ref, views: [view], forms: [] });
    return ref;
  }

  async update(ref: MessageRef, view: TaskView): Promise<void> {
    let shown = this.messages.get(ref.messageId);
    if (!shown) {
      // A message opened by an earlier process (restart tests).
      shown = { ref, views: [], forms: [] };
      this.messages.set(ref.messageId, shown);
    }
    shown.views.push(view);
  }

  async offerForm(ref: MessageRef, form: FormView): Promise<void> {
    this.messages.get(ref.messageId)?.forms.push(form);
  }

  /** The views of the message showing `taskId`. */
  viewsOf(taskId: string): TaskView[] {
    for (const shown of this.messages.values()) if (shown.views.some((v) => v.taskId === taskId)) return shown.views;
    return [];
  }

  finals(): TaskView[] {
    return [...this.messages.values()].flatMap((m) => m.views.filter((v) => v.final));
  }
}

export interface CoreStack {
  sim: Simulator;
  client: MjClient;
  store: Store;
  service: MjService;
  presenter: RecordingPresenter;
  origin: (userId?: string, opts?: { group?: boolean; locale?: 'en' | 'zh' }) => Origin;
  /** Resolve when a final view for the task was shown. */
  finalOf: (taskId: string, timeoutMs?: number) => Promise<TaskView>;
  close: () => Promise<void>;
}

export async function createCoreStack(opts: { flavour?: Flavour; sim?: SimOptions; env?: Record<string, string>; storeUrl?: string; simInstance?: Simulator } = {}): Promise<CoreStack> {
  const flavour = opts.flavour ?? 'plus';
  const sim = opts.simInstance ?? (await startSimulator({ stepMs: 15, flavour, ...opts.sim }));
  const config = parseConfig({ MJ_POLL_INTERVAL_MS: '40', STORE_URL: 'memory://', MJ_BASE_URL: sim.url, ...opts.env });
  const client = new MjClient({ baseUrl: sim.url, flavour, retry: { retries: 2, baseDelayMs: 10, maxDelayMs: 50 } });
  const store = await openStore(opts.storeUrl ?? 'memory://');
  const codec = createButtonCodec({ secret: 'core-test-secret-0123456789abcdef', store });
  const service = new MjService({ config, store, logger: silentLogger(), clientFor: () => client, codec, imageAllowHosts: [new URL(sim.url).host] });
  const presenter = new RecordingPresenter();
  service.attach(presenter);
  await service.start();
  const origin = (userId = 'u1', o: { group?: boolean; locale?: 'en' | 'zh' } = {}): Origin => ({
    chat: { platform: 'console', chatId: o.group ? 'group-1' : `dm-${userId}`, isGroup: Boolean(o.group) },
    actor: { userId, name: `User ${userId}`, locale: o.locale ?? 'en' },
  });
  const finalOf = async (taskId: string, timeoutMs = 10_000) => {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const final = presenter.viewsOf(taskId).find((v) => v.final);
      if (final) return final;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no final view for ${taskId}; views: ${JSON.stringify(presenter.viewsOf(taskId).map((v) => v.headline))}`);
  };
  return {
    sim, client, store, service, presenter, origin, finalOf,
    async close() {
      await service.stop();
      await client.close();
      await store.close();
      if (!opts.simInstance) await sim.close();
    },
  };
}

export function tempDir(prefix = 'mjbot-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The payload of the button with this label (or emoji) in a view. */
export function button(view: TaskView, label: string): string {
  for (const row of view.rows) for (const b of row) if (b.label === label || b.emoji === label) return b.payload;
  throw new Error(`no button "${label}" in ${JSON.stringify(view.rows.map((r) => r.map((b) => b.label || b.emoji)))}`);
}
