/**
 * Core test stack: the embedded simulator over real HTTP, a real MjClient, a real store and
 * codec, the real service — and a recording Presenter standing in for a chat platform.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MjClient } from '../../src/mj/client.js';
import type { MjService } from '../../src/core/service/service.js';
import type { Store } from '../../src/runtime/store.js';
import { createStack, testOrigin, type Stack, type StackOptions } from '../helpers/stack.js';
import type { Flavour } from '../../src/mj/capabilities.js';
import type { FormView, MessageRef, Origin, TaskView } from '../../src/core/domain/types.js';
import type { Presenter, SendFailure } from '../../src/core/domain/ports.js';
import type { SimOptions, Simulator } from '../../src/sim/index.js';

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
  /** A chat's refusal of a view (thrown instead of showing it); every try is counted in `refusals`. */
  refuse?: (ref: MessageRef, view: TaskView) => Error | undefined;
  readonly refusals: TaskView[] = [];
  private next = 1;
  /** Message ids unique across presenters, as a chat's are (two instances on one store must not share ids). */
  private readonly series = Math.floor(Math.random() * 1e6);

  async open(origin: Origin, view: TaskView): Promise<MessageRef> {
    const ref: MessageRef = { chat: origin.chat, messageId: `${this.series}${String(this.next++).padStart(6, '0')}` };
    this.messages.set(ref.messageId, { ref, views: [view], forms: [] });
    return ref;
  }

  async update(ref: MessageRef, view: TaskView): Promise<void> {
    const refusal = this.refuse?.(ref, view);
    if (refusal) {
      this.refusals.push(view);
      throw refusal;
    }
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

  /** Errors with `permanent: true` stand for a chat that refuses for good. */
  classifyFailure(err: unknown): SendFailure {
    return (err as { permanent?: boolean } | null)?.permanent ? 'permanent' : 'transient';
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

export interface CoreStack extends Stack {
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

export async function createCoreStack(opts: { flavour?: Flavour; sim?: SimOptions; env?: Record<string, string>; storeUrl?: string; simInstance?: Simulator; gate?: StackOptions['gate']; observer?: StackOptions['observer']; finalRetry?: StackOptions['finalRetry']; presenter?: RecordingPresenter } = {}): Promise<CoreStack> {
  const stack = await createStack({
    flavour: opts.flavour,
    simOptions: { stepMs: 15, ...opts.sim },
    config: { MJ_POLL_INTERVAL_MS: '40', ...opts.env },
    storeUrl: opts.storeUrl,
    sim: opts.simInstance,
    gate: opts.gate,
    observer: opts.observer,
    finalRetry: opts.finalRetry,
    deferStart: true,
  });
  const presenter = opts.presenter ?? new RecordingPresenter();
  stack.service.attach(presenter);
  await stack.start();
  const finalOf = async (taskId: string, timeoutMs = 10_000) => {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const final = presenter.viewsOf(taskId).find((v) => v.final);
      if (final) return final;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no final view for ${taskId}; views: ${JSON.stringify(presenter.viewsOf(taskId).map((v) => v.headline))}`);
  };
  return { ...stack, presenter, origin: testOrigin, finalOf };
}

export function tempDir(prefix = 'mjbot-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The payload of the button with this label (or emoji) in a view. */
export function button(view: TaskView, label: string): string {
  for (const row of view.rows) for (const b of row) if (b.label === label || b.emoji === label) return b.payload;
  throw new Error(`no button "${label}" in ${JSON.stringify(view.rows.map((r) => r.map((b) => b.label || b.emoji)))}`);
}
