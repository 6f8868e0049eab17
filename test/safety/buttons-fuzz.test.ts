/**
 * Button payloads come back from chat platforms and can be forged by anyone who can send a
 * callback query. Random strings and mutations of real payloads must be refused with
 * BUTTON_INVALID / BUTTON_EXPIRED by both planPress and press, and never reach the proxy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createButtonCodec } from '../../src/core/domain/buttons/codec.js';
import type { Reply, TaskView } from '../../src/core/domain/types.js';
import { createCoreStack, type CoreStack } from '../core/harness.js';

let stack: CoreStack;
let grid: TaskView;
let real: string[];

beforeAll(async () => {
  stack = await createCoreStack();
  const reply = await stack.service.submit(stack.origin(), { kind: 'imagine', prompt: 'a red fox' }, 'a red fox');
  if (reply.type !== 'task' || !reply.taskId) throw new Error(JSON.stringify(reply));
  grid = await stack.finalOf(reply.taskId);
  real = grid.rows.flat().map((b) => b.payload);
  if (real.length < 5) throw new Error('expected the grid buttons');
});

afterAll(async () => {
  await stack?.close();
});

const REFUSED = ['BUTTON_INVALID', 'BUTTON_EXPIRED'];

function submits(): number {
  return stack.sim.requests.filter((r) => r.method === 'POST' && /\/submit\/|\/insight-face\//.test(r.path)).length;
}

/** A real payload, changed: a character replaced, inserted, removed, truncated, extended, case-flipped. */
const mutated = fc
  .tuple(fc.nat(), fc.nat(), fc.constantFrom('replace', 'insert', 'delete', 'truncate', 'append', 'case', 'swapTag'), fc.string({ minLength: 1, maxLength: 3, unit: 'binary-ascii' }))
  .map(([which, at, how, text]) => {
    const p = real[which % real.length]!;
    const i = at % p.length;
    switch (how) {
      case 'replace': return p.slice(0, i) + text + p.slice(i + 1);
      case 'insert': return p.slice(0, i) + text + p.slice(i);
      case 'delete': return p.slice(0, i) + p.slice(i + 1);
      case 'truncate': return p.slice(0, i);
      case 'append': return p + text;
      case 'case': return p.slice(0, i) + (p[i] === p[i]!.toUpperCase() ? p[i]!.toLowerCase() : p[i]!.toUpperCase()) + p.slice(i + 1);
      default: return ({ A: 'H', H: 'I', I: 'A' } as Record<string, string>)[p[0]!]! + p.slice(1);
    }
  });

const payloads = fc
  .oneof(
    mutated,
    fc.string({ maxLength: 80 }),
    fc.string({ maxLength: 64, unit: 'binary' }),
    fc.stringMatching(/^[AHI][A-Za-z0-9_-]{1,70}$/),
    fc.stringMatching(/^I[A-Za-z0-9_-]{12}(fo|fc|fr|set|[a-z]{1,8})(:[A-Za-z0-9_.-]{0,12}){0,3}$/),
  )
  .filter((p) => !real.includes(p));

function expectRefused(reply: Reply | { type: string; code?: string }): void {
  expect(reply.type).toBe('error');
  if (reply.type === 'error' && 'code' in reply) expect(REFUSED).toContain(reply.code);
}

describe('forged and damaged button payloads', () => {
  it('are refused by planPress and press with BUTTON_INVALID/BUTTON_EXPIRED and never submit anything', async () => {
    const before = submits();
    const origin = stack.origin();
    await fc.assert(
      fc.asyncProperty(payloads, async (payload) => {
        expectRefused(await stack.service.planPress(payload, origin));
        expectRefused(await stack.service.press(payload, origin));
      }),
      { numRuns: 500 },
    );
    expect(submits()).toBe(before);
    expect(stack.sim.requests.some((r) => r.path.endsWith('/submit/action'))).toBe(false);
  });

  it('values that are not strings at all are refused the same way', async () => {
    const origin = stack.origin();
    for (const weird of [undefined, null, 42, {}, [], { toString: () => real[0] }] as unknown as string[]) {
      expectRefused(await stack.service.press(weird, origin));
      expectRefused(await stack.service.planPress(weird, origin));
    }
    expect(stack.sim.requests.some((r) => r.path.endsWith('/submit/action'))).toBe(false);
  });

  it('a correctly signed button for a task the bot no longer knows is refused as expired, without a submit', async () => {
    const codec = stack.codec;
    const stale = [
      await codec.encode('1999999999999999', 'MJ::JOB::upsample::1::0d2e4d29-2b7f-4b6c-9f3b-0123456789ab'),
      // Too long for the direct form: goes through a stored handle, which is then forgotten.
      await codec.encode('gone-task', `MJ::CustomZoom::${'f'.repeat(70)}`),
    ];
    await stack.store.delete('btn', Buffer.from(stale[1]!.slice(1), 'base64url').subarray(0, 9).toString('base64url'));
    const before = submits();
    for (const payload of stale) {
      const reply = await stack.service.press(payload, stack.origin());
      expect(reply).toMatchObject({ type: 'error', code: 'BUTTON_EXPIRED' });
      expect((await stack.service.planPress(payload, stack.origin())).type).toBe('error');
    }
    expect(submits()).toBe(before);
  });

  it('a payload signed with another bot secret is refused even with a valid shape', async () => {
    const foreign = createButtonCodec({ secret: 'someone-elses-secret-0123456789', store: stack.store });
    const customId = 'MJ::JOB::upsample::2::0d2e4d29-2b7f-4b6c-9f3b-0123456789ab';
    const reply = await stack.service.press(await foreign.encode(grid.taskId!, customId), stack.origin());
    expect(reply).toMatchObject({ type: 'error', code: 'BUTTON_INVALID' });
    expect(stack.sim.requests.some((r) => r.path.endsWith('/submit/action'))).toBe(false);
  });

  it('the real payloads still work after the fuzzing', async () => {
    const u1 = grid.rows.flat().find((b) => b.label === 'U1')!;
    const reply = await stack.service.press(u1.payload, stack.origin());
    expect(reply.type).toBe('task');
    expect(stack.sim.requests.filter((r) => r.path.endsWith('/submit/action'))).toHaveLength(1);
  });
});
