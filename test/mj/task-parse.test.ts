/**
 * The fast reading of task snapshots (src/mj/task-parse.ts) must give TaskSchema's answers: for
 * any body, it either leaves the body to TaskSchema or returns exactly what TaskSchema returns —
 * never accepting what TaskSchema refuses. And the snapshots real proxies send take the fast way.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TaskSchema } from '../../src/mj/schemas.js';
import { parseTask, parseTaskFast } from '../../src/mj/task-parse.js';

const fixtures = new URL('../fixtures/mj/', import.meta.url);
const taskFixtures = readdirSync(fixtures).filter((f) => /^(task|notify)-.*\.json$/.test(f));

const junk = fc.anything({ maxDepth: 2, withNullPrototype: true, withBigInt: false });
const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', 'https://cdn.example/a.png', '__proto__'));
/** Mostly the right type (so many bodies take the fast way), sometimes null, missing or anything. */
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: arb, weight: 8 }, { arbitrary: fc.constant(null), weight: 1 }, { arbitrary: fc.constant(undefined), weight: 1 }, { arbitrary: junk, weight: 1 });
const button = fc.record(
  { customId: maybe(text), emoji: maybe(text), label: maybe(text), type: maybe(fc.integer()), style: maybe(fc.integer()), extra: junk },
  { requiredKeys: [] },
);
const task = fc.record(
  {
    id: maybe(fc.oneof(fc.stringMatching(/^\d{1,19}$/), fc.integer(), fc.double(), text)),
    action: maybe(text),
    status: maybe(fc.constantFrom('SUCCESS', 'IN_PROGRESS', 'MODAL', '')),
    prompt: maybe(text),
    state: maybe(text),
    submitTime: maybe(fc.oneof(fc.integer(), fc.double(), fc.constantFrom('', '1700000000000', 'soon'))),
    finishTime: maybe(fc.integer()),
    imageUrl: maybe(text),
    videoUrls: maybe(fc.oneof(fc.array(text), fc.array(fc.record({ url: text })), fc.constant('["https://cdn.example/v.mp4"]'))),
    progress: maybe(fc.oneof(fc.constantFrom('0%', '46%', '100%'), fc.integer())),
    failReason: maybe(text),
    properties: maybe(fc.dictionary(text, junk)),
    buttons: maybe(fc.array(fc.oneof(button, junk), { maxLength: 4 })),
    unknownField: junk,
  },
  { requiredKeys: [] },
);

describe('reading a task snapshot fast', () => {
  it('answers as TaskSchema does, or leaves the body to it', () => {
    fc.assert(
      fc.property(fc.oneof(task, junk), (body) => {
        // What arrives is JSON: the same body as the receiver and the client see it.
        const wire: unknown = JSON.parse(JSON.stringify(body) ?? 'null');
        const zod = TaskSchema.safeParse(wire);
        const fast = parseTaskFast(wire);
        if (fast !== undefined) {
          expect(zod.success).toBe(true);
          expect(fast).toEqual(zod.data);
        }
        expect(parseTask(wire)).toEqual(zod.success ? zod.data : undefined);
      }),
      { numRuns: 3000 },
    );
  });

  it('a body with a __proto__ key is left to TaskSchema', () => {
    expect(parseTaskFast(JSON.parse('{"id":"1","__proto__":{"x":1}}'))).toBeUndefined();
  });

  it('takes the fast way for the snapshots proxies and relays send', () => {
    expect(taskFixtures.length).toBeGreaterThan(3);
    for (const name of taskFixtures) {
      const wire: unknown = JSON.parse(readFileSync(new URL(name, fixtures), 'utf8'));
      const fast = parseTaskFast(wire);
      expect(fast, name).toBeDefined();
      expect(fast, name).toEqual(TaskSchema.parse(wire));
    }
  });

  it('never lets a body reach a prototype', () => {
    const wire: unknown = JSON.parse('{"id":"1","__proto__":{"polluted":true},"properties":{"__proto__":{"polluted":true}}}');
    const task = parseTask(wire);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(task)).toBe(Object.prototype);
  });
});
