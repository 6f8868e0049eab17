/**
 * Expired image links: where the relay has a refresh endpoint (newapi) it is asked first and the
 * task is not fetched again; elsewhere the task is fetched again; a relay that lacks the endpoint
 * is asked once, then only fetched. The simulator's clock is moved instead of waiting.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Flavour } from '../../src/mj/capabilities.js';
import { createCoreStack, type CoreStack } from './harness.js';

let stack: CoreStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

/** A stack whose simulator signs image links for a minute, on a clock the test moves. */
async function expiringStack(flavour: Flavour): Promise<{ s: CoreStack; later: () => void }> {
  let now = Date.now();
  const s = (stack = await createCoreStack({ flavour, sim: { imageUrlTtlMs: 60_000, now: () => now } }));
  return { s, later: () => (now += 120_000) };
}

async function expiredResult(s: CoreStack, later: () => void, prompt: string) {
  const reply = await s.service.submit(s.origin(), { kind: 'imagine', prompt }, prompt);
  if (reply.type !== 'task' || !reply.taskId) throw new Error(JSON.stringify(reply));
  const final = await s.finalOf(reply.taskId);
  later();
  expect((await fetch(final.image!.url)).status).toBe(403);
  return { taskId: reply.taskId, image: final.image! };
}

const asked = (s: CoreStack, from: number, taskId: string) =>
  s.sim.requests.slice(from).filter((r) => r.path.includes(taskId)).map((r) => `${r.method} ${r.path.replace(taskId, '<id>')}`);

describe('an expired image link', () => {
  it('is renewed by the relay’s refresh endpoint, before (and instead of) fetching the task again', async () => {
    const { s, later } = await expiringStack('newapi');
    const { taskId, image } = await expiredResult(s, later, 'expiring on a relay');
    const from = s.sim.requests.length;
    const loaded = await s.service.loadImage(image);
    expect(loaded.mime).toBe('image/png');
    expect(loaded.bytes.length).toBeGreaterThan(1000);
    expect(asked(s, from, taskId)).toEqual(['GET /mj/image/<id>', 'POST /mj/task/<id>/refresh', 'GET /mj/image/<id>']);
  });

  it('is renewed by fetching the task again where the proxy has no refresh endpoint', async () => {
    const { s, later } = await expiringStack('plus');
    const { taskId, image } = await expiredResult(s, later, 'expiring on plus');
    const from = s.sim.requests.length;
    expect((await s.service.loadImage(image)).mime).toBe('image/png');
    const calls = asked(s, from, taskId);
    expect(calls).toContain('GET /mj/task/<id>/fetch');
    expect(calls.some((c) => c.includes('/refresh'))).toBe(false);
  });

  it('falls back to a fetch when the relay turns out to have no refresh endpoint, and does not ask it again', async () => {
    const { s, later } = await expiringStack('newapi');
    const first = await expiredResult(s, later, 'first on an older relay');
    s.sim.failNext(`POST /mj/task/${first.taskId}/refresh`, { status: 404, body: { error: { message: 'Invalid URL', type: 'invalid_request_error' } } });
    const from = s.sim.requests.length;
    expect((await s.service.loadImage(first.image)).mime).toBe('image/png');
    expect(asked(s, from, first.taskId)).toEqual(['GET /mj/image/<id>', 'POST /mj/task/<id>/refresh', 'GET /mj/task/<id>/fetch', 'GET /mj/image/<id>']);

    const second = await expiredResult(s, later, 'second on an older relay');
    const again = s.sim.requests.length;
    expect((await s.service.loadImage(second.image)).mime).toBe('image/png');
    expect(asked(s, again, second.taskId)).toEqual(['GET /mj/image/<id>', 'GET /mj/task/<id>/fetch', 'GET /mj/image/<id>']);
  });
});
