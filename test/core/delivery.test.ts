/** Coalescing of task message updates per message, and how a refused view is reported. */
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { Delivery } from '../../src/core/service/delivery.js';
import type { MessageRef, TaskView } from '../../src/core/domain/types.js';
import type { Presenter } from '../../src/core/domain/ports.js';

function view(percent: number, final = false): TaskView {
  return { phase: final ? 'result' : 'progress', locale: 'en', headline: `${percent}%`, prompt: 'p', requester: 'r', percent, rows: [], final };
}

function setup(minUpdateIntervalMs: number) {
  const shown: TaskView[] = [];
  const presenter: Presenter = {
    platform: 'console',
    minUpdateIntervalMs,
    open: async (origin) => ({ chat: origin.chat, messageId: '1' }),
    update: async (_ref, v) => {
      shown.push(v);
    },
    offerForm: async () => undefined,
    classifyFailure: () => 'transient',
  };
  const delivery = new Delivery({ logger: silentLogger(), onRef: () => undefined });
  delivery.addPresenter(presenter);
  const ref: MessageRef = { chat: { platform: 'console', chatId: 'c', isGroup: false }, messageId: '1' };
  return { delivery, shown, ref };
}

describe('delivery', () => {
  it('keeps only the newest progress while the message waits for its next edit, and never holds back the final result', async () => {
    // A minute between edits: a final stuck behind that gap would time this test out.
    const { delivery, shown, ref } = setup(60_000);
    await delivery.push('t', ref, view(10));
    void delivery.push('t', ref, view(40));
    void delivery.push('t', ref, view(70));
    expect(await delivery.push('t', ref, view(100, true))).toEqual({ sent: true });
    expect(shown.map((v) => v.headline)).toEqual(['10%', '100%']);
    delivery.close();
  });

  it('builds a progress view only when it is its turn to be shown, and not at all once the task is finished', async () => {
    const { delivery, shown, ref } = setup(50);
    const built: number[] = [];
    let finished = false;
    // As updates.ts does: the view is made from the task as it is when its turn comes.
    const progress = (percent: number) => () => {
      if (finished) return undefined;
      built.push(percent);
      return view(percent);
    };
    delivery.show('t', ref, progress(10));
    await delivery.drain();
    delivery.show('t', ref, progress(40));
    delivery.show('t', ref, progress(70));
    // 40 % was replaced before its turn: never built; 70 % waits for the gap between edits.
    expect(built).toEqual([10]);
    finished = true;
    await new Promise((r) => setTimeout(r, 120));
    expect(await delivery.push('t', ref, view(100, true))).toEqual({ sent: true });
    expect(built).toEqual([10]);
    expect(shown.map((v) => v.headline)).toEqual(['10%', '100%']);
    delivery.close();
  });

  it('tries a refused view once and reports how the platform refused it (the outbox decides about retries)', async () => {
    const { ref } = setup(0);
    let calls = 0;
    const refusing = (failure: 'permanent' | 'transient'): Presenter => ({
      platform: 'console',
      minUpdateIntervalMs: 0,
      open: async () => ref,
      update: async () => {
        calls++;
        throw new Error('chat unreachable');
      },
      offerForm: async () => undefined,
      classifyFailure: () => failure,
    });
    for (const failure of ['permanent', 'transient'] as const) {
      const delivery = new Delivery({ logger: silentLogger(), onRef: () => undefined });
      delivery.addPresenter(refusing(failure));
      calls = 0;
      expect(await delivery.push('t', ref, view(100, true))).toEqual({ sent: false, failure, reason: 'chat unreachable' });
      expect(calls).toBe(1);
      delivery.close();
    }
  });
});
