import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MjError } from '../../src/errors.js';
import { mockProxy, type MockProxy } from './mock-proxy.js';

let proxy: MockProxy;
beforeEach(() => { proxy = mockProxy(); });
afterEach(async () => { await proxy.close(); });

const ok = (id: string) => ({ code: 1, description: '提交成功', result: id, properties: {} });
const task = (id: string | number) => ({ id, action: 'IMAGINE', status: 'SUCCESS', progress: '100%', properties: { finalPrompt: 'cat' }, buttons: [] });
const netError = (code: string) => Object.assign(new Error(`connect ${code}`), { code });
const caught = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e: unknown) => e as MjError);

describe('authentication headers', () => {
  it('sends the key as mj-api-secret and no Authorization header by default', async () => {
    proxy.on('POST', '/mj/submit/imagine', 200, ok('1'));
    await proxy.client().imagine({ prompt: 'cat' });
    expect(proxy.sent[0]?.headers['mj-api-secret']).toBe('sk-test-secret-0001');
    expect(proxy.sent[0]?.headers.authorization).toBeUndefined();
    expect(proxy.sent[0]?.headers['content-type']).toBe('application/json');
  });

  it('sends the raw key as Authorization when asked, without mj-api-secret', async () => {
    proxy.on('POST', '/mj/submit/imagine', 200, ok('1'));
    await proxy.client({ authHeader: 'authorization' }).imagine({ prompt: 'cat' });
    expect(proxy.sent[0]?.headers.authorization).toBe('sk-test-secret-0001');
    expect(proxy.sent[0]?.headers['mj-api-secret']).toBeUndefined();
  });

  it('sends "Bearer <key>" in bearer mode', async () => {
    proxy.on('GET', '/mj/task/1/fetch', 200, task('1'));
    await proxy.client({ authHeader: 'bearer' }).fetch('1');
    expect(proxy.sent[0]?.headers.authorization).toBe('Bearer sk-test-secret-0001');
  });

  it('sends no auth header at all without a key', async () => {
    proxy.on('GET', '/mj/task/1/fetch', 200, task('1'));
    await proxy.client({ apiKey: undefined }).fetch('1');
    expect(proxy.sent[0]?.headers.authorization).toBeUndefined();
    expect(proxy.sent[0]?.headers['mj-api-secret']).toBeUndefined();
  });
});

describe('URL building', () => {
  it('replaces the mode of a relay segment at the end of the base URL with the speed mode asked for', async () => {
    proxy.on('POST', '/mj-relax-proxy/mj/submit/imagine', 200, ok('1'));
    const s = await proxy.client({ baseUrl: 'http://mj.test/mj-turbo-proxy/', mode: 'relax' }).imagine({ prompt: 'cat' });
    expect(s.taskId).toBe('1');
    expect(proxy.sent[0]?.body).toEqual({ prompt: 'cat' });
  });

  it('names the endpoint in errors without host or base path', async () => {
    proxy.on('POST', '/base/mj-fast/mj/submit/blend', 200, { code: 4, description: 'base64List参数错误' });
    const err = await caught(proxy.client({ baseUrl: 'http://mj.test/base', mode: 'fast' }).blend({ base64Array: [] }));
    expect(err.details.endpoint).toBe('POST /mj-fast/mj/submit/blend');
  });
});

describe('fetch', () => {
  it('returns the task with its id as a string even when the proxy sends a number', async () => {
    proxy.on('GET', '/mj/task/1712345678901123/fetch', 200, task(1712345678901123));
    const t = await proxy.client().fetch('1712345678901123');
    expect(t?.id).toBe('1712345678901123');
    expect(t?.status).toBe('SUCCESS');
  });

  const unknownAnswers: [string, number, unknown][] = [
    ['an empty 200 (OSS)', 200, undefined],
    ['a 204 (trueai)', 204, undefined],
    ['a 400 task_no_found (new-api)', 400, { description: 'task_no_found ', type: 'upstream_error', code: 4 }],
    ['a 404 with code 3 (trueai)', 404, { code: 3, description: '任务不存在', result: null, properties: {} }],
  ];
  for (const [name, status, body] of unknownAnswers) {
    it(`reports an unknown task as undefined for ${name}`, async () => {
      proxy.on('GET', '/mj/task/42/fetch', status, body);
      expect(await proxy.client().fetch('42')).toBeUndefined();
    });
  }

  it('rejects a body that is not a task as a bad response', async () => {
    proxy.on('GET', '/mj/task/42/fetch', 200, { code: 1, description: 'x', result: '1' });
    proxy.on('GET', '/mj/task/43/fetch', 200, 'not json');
    expect((await caught(proxy.client().fetch('42'))).code).toBe('MJ_BAD_RESPONSE');
    expect((await caught(proxy.client().fetch('43'))).code).toBe('MJ_BAD_RESPONSE');
  });
});

describe('retries', () => {
  it('retries a fetch after 5xx and network failures and then succeeds', async () => {
    proxy.on('GET', '/mj/task/7/fetch', 503, 'busy');
    proxy.pool.intercept({ method: 'GET', path: '/mj/task/7/fetch' }).replyWithError(netError('ECONNRESET'));
    proxy.on('GET', '/mj/task/7/fetch', 429, { error: { message: 'slow down' } }, { 'retry-after': '0' });
    proxy.on('GET', '/mj/task/7/fetch', 200, task('7'));
    const t = await proxy.client().fetch('7');
    expect(t?.id).toBe('7');
    expect(proxy.agent.pendingInterceptors()).toHaveLength(0);
  });

  it('gives up on a fetch after the configured number of retries', async () => {
    proxy.on('GET', '/mj/task/7/fetch', 500, 'boom', {}, 3);
    const err = await caught(proxy.client({ retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 } }).fetch('7'));
    expect(err.code).toBe('MJ_SERVER_ERROR');
    expect(proxy.sent).toHaveLength(3);
  });

  it('does not retry a fetch the proxy rejected as invalid', async () => {
    proxy.on('GET', '/mj/task/7/fetch', 400, { timestamp: 1, status: 400, error: 'Bad Request' }, {}, 2);
    expect((await caught(proxy.client().fetch('7'))).code).toBe('MJ_VALIDATION');
    expect(proxy.sent).toHaveLength(1);
  });

  it('never resends a submit after a 5xx', async () => {
    proxy.on('POST', '/mj/submit/imagine', 502, 'bad gateway', {}, 2);
    expect((await caught(proxy.client().imagine({ prompt: 'cat' }))).code).toBe('MJ_SERVER_ERROR');
    expect(proxy.sent).toHaveLength(1);
  });

  it('never resends a submit after a connection reset (it may have been received)', async () => {
    proxy.pool.intercept({ method: 'POST', path: '/mj/submit/imagine' }).replyWithError(netError('ECONNRESET'));
    proxy.on('POST', '/mj/submit/imagine', 200, ok('1'));
    const err = await caught(proxy.client().imagine({ prompt: 'cat' }));
    expect(err.code).toBe('MJ_NETWORK');
    expect(err.details.notSent).toBe(false);
    expect(proxy.agent.pendingInterceptors()).toHaveLength(1);
  });

  it('resends a submit once when the connection was refused, and only once', async () => {
    proxy.pool.intercept({ method: 'POST', path: '/mj/submit/imagine' }).replyWithError(netError('ECONNREFUSED'));
    proxy.on('POST', '/mj/submit/imagine', 200, ok('77'));
    expect((await proxy.client().imagine({ prompt: 'cat' })).taskId).toBe('77');

    proxy.pool.intercept({ method: 'POST', path: '/mj/submit/shorten' }).replyWithError(netError('ECONNREFUSED')).times(3);
    const err = await caught(proxy.client().shorten({ prompt: 'long' }));
    expect(err).toMatchObject({ code: 'MJ_NETWORK', details: { notSent: true } });
    expect(proxy.agent.pendingInterceptors()).toHaveLength(1); // the third refusal was never needed
  });
});

describe('secrets', () => {
  const key = 'sk-test-secret-0001';
  it('scrubs the key from errors even when the proxy echoes it, and never logs it', async () => {
    const logs: unknown[] = [];
    const logger = { debug: (o: object, m?: string) => logs.push([o, m]), warn: (o: object, m?: string) => logs.push([o, m]) };
    proxy.on('POST', '/mj/submit/imagine', 401, { error: { message: `invalid token ${key}`, type: 'new_api_error' } });
    proxy.on('POST', '/mj/submit/describe', 200, { code: 4, description: `bad key ${key}` });
    proxy.pool.intercept({ method: 'GET', path: '/mj/task/1/fetch' }).replyWithError(netError('ECONNREFUSED')).times(4);
    const client = proxy.client({ logger });
    const errors = [
      await caught(client.imagine({ prompt: 'cat' })),
      await caught(client.describe({ base64: 'data:image/png;base64,AA==' })),
      await caught(client.fetch('1')),
    ];
    expect(errors.map((e) => e.code)).toEqual(['MJ_AUTH_FAILED', 'MJ_VALIDATION', 'MJ_NETWORK']);
    for (const e of errors) {
      expect(`${e.message} ${e.stack} ${JSON.stringify(e.details)} ${JSON.stringify(e.context)}`).not.toContain(key);
    }
    expect(logs.length).toBeGreaterThan(0);
    expect(JSON.stringify(logs)).not.toContain(key);
  });
});

describe('other endpoints', () => {
  it('splits listByCondition into requests of at most 100 ids and omits unknown ids', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => String(1000 + i));
    for (let i = 0; i < 3; i++) proxy.on('POST', '/mj/task/list-by-condition', 200, [task(ids[i * 100] ?? ''), { not: 'a task' }]);
    const tasks = await proxy.client().listByCondition(ids);
    expect(proxy.sent.map((r) => (r.body as { ids: string[] }).ids.length)).toEqual([100, 100, 50]);
    expect(tasks.map((t) => t.id)).toEqual(['1000', '1100', '1200']);
  });

  it('returns the uploaded image URLs from an array result', async () => {
    proxy.on('POST', '/mj/submit/upload-discord-images', 200, { code: 1, description: '提交成功', result: ['https://cdn/a.png', 'https://cdn/b.png'], properties: {} });
    expect(await proxy.client().uploadImages({ base64Array: ['data:image/png;base64,AA=='] })).toEqual(['https://cdn/a.png', 'https://cdn/b.png']);
  });

  it('returns a numeric seed as a string', async () => {
    proxy.on('GET', '/mj/task/9/image-seed', 200, { code: 1, description: '成功', result: 636646138 });
    expect(await proxy.client().imageSeed('9')).toBe('636646138');
  });

  it('accepts the empty 200 of a trueai cancel', async () => {
    proxy.on('POST', '/mj/task/9/cancel', 200, undefined);
    await expect(proxy.client({ flavour: 'trueai' }).cancel('9')).resolves.toBeUndefined();
  });
});
