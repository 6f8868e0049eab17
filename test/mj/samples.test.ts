import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toMjError } from '../../src/mj/http.js';
import { ButtonSchema, SubmitResultSchema, TaskSchema } from '../../src/mj/schemas.js';
import { toSubmitted } from '../../src/mj/submitted.js';

const root = new URL('../fixtures/mj/', import.meta.url);
const files = ['', 'buttons/'].flatMap((dir) =>
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

/** What the client must make of each submit answer in test/fixtures/mj. */
const submitExpectations: Record<string, Record<string, unknown>> = {
  'submit-ok-oss.json': { taskId: '1730419261482317', code: 1, modal: false },
  'submit-ok-plus.json': { taskId: '1730420011905264', code: 1, modal: false },
  'submit-ok-numeric-result.json': { taskId: '1730441200456789', code: 1, modal: false },
  'submit-queued-code22.json': { taskId: '0614270935518830', code: 22, queuePosition: 3 },
  'submit-queued-relay-rewritten-code1.json': { taskId: '1730433370211046', code: 1, queuePosition: 5, modal: false },
  'submit-exists-code21-legacy-oss.json': { taskId: '0622931104467725', code: 21, modal: false },
  'submit-modal-wait-code21-plus.json': { taskId: '1730437718230591', code: 21, modal: true },
  'submit-modal-wait-code21-trueai.json': { taskId: '1730437802044173', code: 21, modal: true, finalPrompt: 'a paper boat in the rain, watercolor --ar 3:2 --v 6.1' },
  'submit-modal-wait-relay-rewritten-code1.json': { taskId: '1730437900617382', code: 1, modal: true },
  'submit-imagine-all-trueai.json': { taskId: '1730438104772811', code: 1, extraTaskIds: ['1730438104773590', '1730438104774032', '1730438104775968'] },
  'image-seed-plus.json': { taskId: '2093847561', code: 1 },
  'submit-queue-full-code23.json': { error: 'MJ_QUEUE_FULL' },
  'submit-queue-full-code9-trueai.json': { error: 'MJ_QUEUE_FULL' },
  'submit-banned-prompt-code24.json': { error: 'MJ_BANNED_PROMPT', bannedWord: 'blood' },
};

describe('every fixture is understood', () => {
  it('finds the fixture folder with files of every kind', () => {
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
