import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toMjError } from '../../src/mj/http.js';
import { ButtonSchema, SubmitResultSchema, TaskSchema } from '../../src/mj/schemas.js';
import { toSubmitted } from '../../src/mj/submitted.js';

const root = new URL('../../../shared/mj-samples/', import.meta.url);
const files = ['', 'derived/'].flatMap((dir) =>
  readdirSync(fileURLToPath(new URL(dir, root))).filter((f) => f.endsWith('.json')).map((f) => `${dir}${f}`));
const load = (name: string): unknown => JSON.parse(readFileSync(fileURLToPath(new URL(name, root)), 'utf8'));

type Kind = 'submit' | 'task' | 'buttons' | 'request';
function kindOf(json: unknown): Kind {
  if (Array.isArray(json)) return 'buttons';
  const o = json as Record<string, unknown>;
  if ('code' in o) return 'submit';
  if ('id' in o && 'status' in o) return 'task';
  return 'request';
}

/** What the client must make of each captured submit answer. */
const submitExpectations: Record<string, Record<string, unknown>> = {
  'submit-success-code1.json': { taskId: '8498455807619990', code: 1, modal: false },
  'plus-submit-success-code1.json': { taskId: '14001929738841620', code: 1, modal: false },
  'submit-in-queue-code22.json': { taskId: '0741798445574458', code: 22, queuePosition: 1 },
  'relay-submit-in-queue-rewritten-code1.json': { taskId: '1732502563006031', code: 1, queuePosition: 9 },
  'submit-existed-code21-legacy-upscale.json': { taskId: '0741798445574458', code: 21, modal: false },
  'plus-action-modal-wait-code21.json': { taskId: '14001929738841620', code: 21, modal: true },
  'plus-image-seed-success.json': { taskId: '636646138', code: 1 },
  'submit-queue-full-code23.json': { error: 'MJ_QUEUE_FULL' },
  'submit-banned-prompt-code24.json': { error: 'MJ_BANNED_PROMPT', bannedWord: 'nude' },
};

describe('every published sample is understood', () => {
  it('finds the sample folder with files of every kind', () => {
    const kinds = new Set(files.map((f) => kindOf(load(f))));
    expect([...kinds].sort()).toEqual(['buttons', 'request', 'submit', 'task']);
  });

  for (const file of files) {
    const json = load(file);
    const kind = kindOf(json);
    it(`reads ${file} as a ${kind}`, () => {
      if (kind === 'buttons') {
        const buttons = (json as unknown[]).map((b) => ButtonSchema.parse(b));
        expect(buttons.length).toBeGreaterThan(0);
        for (const b of buttons) expect(b.customId).toMatch(/^MJ::/);
        const task = TaskSchema.parse({ id: 1, status: 'SUCCESS', buttons: json });
        expect(task.buttons).toHaveLength(buttons.length);
      } else if (kind === 'task') {
        const task = TaskSchema.parse(json);
        expect(task.id).toMatch(/^\d+$/);
        expect(typeof task.properties.finalPrompt).toBe('string');
      } else if (kind === 'request') {
        expect(typeof json).toBe('object');
      } else {
        const expected = submitExpectations[file];
        expect(expected, `no expectation for ${file}`).toBeDefined();
        const answer = { status: 200, headers: {}, text: JSON.stringify(json), json, garbage: false };
        const err = toMjError(answer, 'POST /mj/submit/imagine');
        if (expected?.error) {
          expect(err?.code).toBe(expected.error);
          if (expected.bannedWord) expect(err?.context.bannedWord).toBe(expected.bannedWord);
        } else {
          expect(err).toBeNull();
          const { error: _unused, ...want } = expected ?? {};
          expect(toSubmitted(SubmitResultSchema.parse(json))).toMatchObject(want);
        }
      }
    });
  }
});
