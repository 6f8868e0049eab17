/**
 * The per-channel pacer on its own, on a fake clock: which write a busy channel lets through
 * next. (The burst test drives it through discord.js against the fake Discord.)
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChannelPacer, type WritePriority } from '../../src/adapters/discord/pacer.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const CH = 'channel-1';

/** A pacer of `messages` per second and a log of which writes ran, in order. */
function setup(messages: number, progressReserve: number) {
  const pacer = new ChannelPacer({ messages, windowMs: 1000, progressReserve });
  const ran: string[] = [];
  const write = (key: string, priority: WritePriority, label = `${priority}:${key}`) =>
    pacer.write(CH, key, priority, async () => {
      ran.push(label);
      return label;
    });
  return { pacer, ran, write };
}

describe('per-channel pacing on Discord', () => {
  it('in a busy channel results go first, then first views, then progress, each in arrival order', async () => {
    const { ran, write } = setup(2, 0);
    void write('a', 'ack');
    void write('b', 'ack');
    await vi.advanceTimersByTimeAsync(0);
    void write('c', 'progress');
    void write('d', 'ack');
    void write('e', 'final');
    void write('f', 'final');
    void write('g', 'progress');
    expect(ran).toEqual(['ack:a', 'ack:b']);
    await vi.advanceTimersByTimeAsync(1100);
    expect(ran).toEqual(['ack:a', 'ack:b', 'final:e', 'final:f']);
    await vi.advanceTimersByTimeAsync(2200);
    expect(ran).toEqual(['ack:a', 'ack:b', 'final:e', 'final:f', 'ack:d', 'progress:c', 'progress:g']);
  });

  it('progress leaves the reserved slots to results: it waits while they are the only ones free', async () => {
    const { pacer, ran, write } = setup(5, 2);
    for (const key of ['a', 'b', 'c']) void write(key, 'ack');
    await vi.advanceTimersByTimeAsync(0);
    expect(pacer.canWriteNow(CH, 'p', 'progress')).toBe(false);
    expect(pacer.canWriteNow(CH, 'r', 'final')).toBe(true);
    void write('p', 'progress');
    await vi.advanceTimersByTimeAsync(0);
    expect(ran).not.toContain('progress:p');
    // A result still gets a reserved slot at once.
    void write('r', 'final');
    await vi.advanceTimersByTimeAsync(0);
    expect(ran).toContain('final:r');
    await vi.advanceTimersByTimeAsync(1100);
    expect(ran.at(-1)).toBe('progress:p');
  });

  it("a result takes the place of its message's view still waiting; only the newest progress of a message waits", async () => {
    const { ran, write } = setup(1, 0);
    void write('busy', 'ack');
    await vi.advanceTimersByTimeAsync(0);
    const ack = write('m', 'ack');
    const older = write('n', 'progress', 'progress:n:1');
    void write('n', 'progress', 'progress:n:2');
    const final = write('m', 'final');
    await expect(ack).resolves.toEqual({ ran: false });
    await expect(older).resolves.toEqual({ ran: false });
    await vi.advanceTimersByTimeAsync(3000);
    await expect(final).resolves.toEqual({ ran: true, value: 'final:m' });
    expect(ran).toEqual(['ack:busy', 'final:m', 'progress:n:2']);
    // A queued result is never replaced by a later, lesser view.
    void write('x', 'ack');
    await vi.advanceTimersByTimeAsync(0);
    const result = write('q', 'final');
    await expect(write('q', 'progress')).resolves.toEqual({ ran: false });
    await vi.advanceTimersByTimeAsync(2000);
    await expect(result).resolves.toEqual({ ran: true, value: 'final:q' });
  });

  it('two writes of one message never overlap, and a slot counts until a window after its write ended', async () => {
    const pacer = new ChannelPacer({ messages: 2, windowMs: 1000, progressReserve: 0 });
    const log: string[] = [];
    let finishSlow: () => void = () => undefined;
    void pacer.write(CH, 'm', 'ack', () => {
      log.push(`start slow ${Date.now()}`);
      return new Promise<void>((resolve) => (finishSlow = resolve));
    });
    const t0 = Date.now();
    void pacer.write(CH, 'm', 'final', async () => void log.push(`final ${Date.now() - t0}`));
    await vi.advanceTimersByTimeAsync(3000);
    // A free slot is there, but the message's first write has not finished.
    expect(log).toHaveLength(1);
    finishSlow();
    await vi.advanceTimersByTimeAsync(0);
    expect(log[1]).toBe('final 3000');
    // Both slots ended at 3000 ms: the next write waits until a window after that, not after their start.
    let startedAt = 0;
    void pacer.write(CH, 'k', 'ack', async () => void (startedAt = Date.now() - t0));
    await vi.advanceTimersByTimeAsync(950);
    expect(startedAt).toBe(0);
    await vi.advanceTimersByTimeAsync(200);
    expect(startedAt).toBeGreaterThanOrEqual(4000);
  });

  it('closing drops what waits; nothing runs afterwards', async () => {
    const { pacer, ran, write } = setup(1, 0);
    void write('a', 'ack');
    await vi.advanceTimersByTimeAsync(0);
    const waiting = write('b', 'final');
    pacer.close();
    await expect(waiting).resolves.toEqual({ ran: false });
    await expect(write('c', 'final')).resolves.toEqual({ ran: false });
    await vi.advanceTimersByTimeAsync(5000);
    expect(ran).toEqual(['ack:a']);
  });
});
