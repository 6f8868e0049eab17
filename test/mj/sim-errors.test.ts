import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { MjError } from '../../src/errors.js';
import type { AuthHeader } from '../../src/mj/client.js';
import type { Flavour } from '../../src/mj/capabilities.js';
import type { ImagineRequest, ShortenRequest } from '../../src/mj/schemas.js';
import { SIM_KEY, clientFor, closeAll, settle, sim } from './sim-helpers.js';

afterEach(closeAll);

const caught = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e: unknown) => e as MjError);
const sample = <T>(name: string): T => JSON.parse(readFileSync(fileURLToPath(new URL(`../fixtures/mj/${name}`, import.meta.url)), 'utf8')) as T;

describe('authentication per flavour', () => {
  // Which header styles each real proxy accepts (docs/protocol.md#authentication).
  const accepted: Record<Flavour, AuthHeader[]> = {
    oss: ['mj-api-secret'],
    plus: ['mj-api-secret'],
    trueai: ['mj-api-secret', 'authorization'],
    newapi: ['mj-api-secret', 'authorization', 'bearer'],
  };
  const all: AuthHeader[] = ['mj-api-secret', 'authorization', 'bearer'];

  for (const flavour of Object.keys(accepted) as Flavour[]) {
    for (const authHeader of all) {
      const ok = accepted[flavour].includes(authHeader);
      it(`${ok ? 'accepts' : 'rejects'} the key sent as ${authHeader} on ${flavour}`, async () => {
        const s = await sim({ flavour });
        const client = clientFor(s, { authHeader, flavour });
        const result = client.imagine({ prompt: 'a cat' });
        if (ok) expect((await result).taskId).toMatch(/\S/);
        else expect((await caught(result)).code).toBe('MJ_AUTH_FAILED');
      });
    }

    it(`reports a wrong key on ${flavour} as MJ_AUTH_FAILED without leaking it`, async () => {
      const s = await sim({ flavour });
      const wrongKey = 'wrong-key-987654321';
      const err = await caught(clientFor(s, { apiKey: wrongKey }).flavour());
      expect(err.code).toBe('MJ_AUTH_FAILED');
      expect(`${err.message}${JSON.stringify(err.details)}`).not.toContain(wrongKey);
    });
  }

  it('never sends an Authorization header in the default mode', async () => {
    const s = await sim({ flavour: 'trueai' });
    await clientFor(s).imagine({ prompt: 'a cat' });
    expect(s.requests.length).toBeGreaterThan(0);
    for (const r of s.requests) {
      expect(r.headers.authorization).toBeUndefined();
      expect(r.headers['mj-api-secret']).toBe(SIM_KEY);
    }
  });
});

describe('proxy rejections through the simulator', () => {
  it.each(['plus', 'oss', 'newapi'] as const)('rejects a banned prompt at once on %s', async (flavour) => {
    const s = await sim({ flavour, bannedWords: ['nude'] });
    const err = await caught(clientFor(s, { flavour }).imagine({ prompt: 'a nude statue' }));
    expect(err.code).toBe('MJ_BANNED_PROMPT');
    expect(err.context.bannedWord).toBe('nude');
  });

  it('lets trueai accept a banned prompt and fail the task later', async () => {
    const s = await sim({ flavour: 'trueai', bannedWords: ['nude'] });
    const client = clientFor(s, { flavour: 'trueai' });
    const task = await settle(client, (await client.imagine({ prompt: 'a nude statue' })).taskId);
    expect(task).toMatchObject({ status: 'FAILURE', failReason: '可能包含敏感词' });
  });

  it.each(['plus', 'trueai'] as const)('reports the queue position and then a full queue on %s', async (flavour) => {
    const s = await sim({ flavour, concurrency: 1, queueLimit: 1 });
    s.pause();
    const client = clientFor(s, { flavour });
    await client.imagine({ prompt: 'one' });
    const queued = await client.imagine({ prompt: 'two' });
    expect(queued.queuePosition).toBeGreaterThanOrEqual(1);
    expect((await caught(client.imagine({ prompt: 'three' }))).code).toBe('MJ_QUEUE_FULL');
  });

  it('maps a blank prompt to MJ_VALIDATION on every flavour', async () => {
    for (const flavour of ['plus', 'trueai', 'oss', 'newapi'] as const) {
      const s = await sim({ flavour });
      expect((await caught(clientFor(s, { flavour }).imagine({ prompt: '  ' }))).code).toBe('MJ_VALIDATION');
    }
  });

  it('treats an action on an unknown task as MJ_NOT_FOUND on trueai and new-api', async () => {
    for (const flavour of ['trueai', 'newapi'] as const) {
      const s = await sim({ flavour });
      const err = await caught(clientFor(s, { flavour }).action({ taskId: '1999999999999999', customId: 'MJ::JOB::upsample::1::00000000-1111-2222-3333-444444444444' }));
      expect(err.code).toBe('MJ_NOT_FOUND');
    }
  });
});

describe('transient failures through the simulator', () => {
  it('retries a fetch through 503s and a dropped connection', async () => {
    const s = await sim({ flavour: 'plus' });
    const client = clientFor(s, { flavour: 'plus' });
    const { taskId } = await client.imagine({ prompt: 'a cat' });
    s.failNext('GET /mj/task', { status: 503, body: 'busy' }, 2);
    s.failNext('GET /mj/task', 'drop-connection');
    const task = await client.fetch(taskId);
    expect(task?.id).toBe(taskId);
  });

  it('does not resend a submit after a 500 or a dropped connection', async () => {
    const s = await sim({ flavour: 'plus' });
    const client = clientFor(s, { flavour: 'plus' });
    s.failNext('POST /mj/submit/imagine', { status: 500, body: { success: false, code: -1, message: '操作失败' } });
    expect((await caught(client.imagine({ prompt: 'a cat' }))).code).toBe('MJ_SERVER_ERROR');
    s.failNext('POST /mj/submit/imagine', 'drop-connection');
    const dropped = await caught(client.imagine({ prompt: 'a cat' }));
    expect(dropped).toMatchObject({ code: 'MJ_NETWORK', details: { notSent: false } });
    expect(s.requests.filter((r) => r.path === '/mj/submit/imagine')).toHaveLength(2);
  });

  it('honours a 429 with Retry-After on reads', async () => {
    const s = await sim({ flavour: 'newapi' });
    const client = clientFor(s, { flavour: 'newapi' });
    const { taskId } = await client.imagine({ prompt: 'a cat' });
    s.failNext('GET /mj/task', { status: 429, body: { description: '当前分组负载已饱和', type: 'upstream_error', code: 30 }, headers: { 'retry-after': '0' } });
    expect((await client.fetch(taskId))?.id).toBe(taskId);
  });
});

describe('paths and samples', () => {
  it('sends requests under the speed-mode prefix, which trueai accepts', async () => {
    const s = await sim({ flavour: 'trueai' });
    const client = clientFor(s, { mode: 'fast' });
    const task = await settle(client, (await client.imagine({ prompt: 'a fast cat' })).taskId);
    expect(task.status).toBe('SUCCESS');
    expect(s.requests.every((r) => r.path.startsWith('/mj-fast/mj/'))).toBe(true);
  });

  it('gets the Plus request fixtures accepted', async () => {
    const s = await sim({ flavour: 'plus' });
    const client = clientFor(s, { flavour: 'plus' });
    expect((await client.imagine(sample<ImagineRequest>('request-imagine-plus-full.json'))).code).toBe(1);
    expect((await client.shorten(sample<ShortenRequest>('request-shorten-plus.json'))).code).toBe(1);
  });
});
