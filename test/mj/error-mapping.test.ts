import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MjError, type ErrorCode } from '../../src/errors.js';
import { mockProxy, type MockProxy } from './mock-proxy.js';

let proxy: MockProxy;
beforeEach(() => { proxy = mockProxy(); });
afterEach(async () => { await proxy.close(); });

async function imagineError(status: number, body: unknown, headers: Record<string, string> = {}): Promise<MjError> {
  proxy.on('POST', '/mj/submit/imagine', status, body, headers);
  const err = await proxy.client().imagine({ prompt: 'a red fox' }).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(MjError);
  return err as MjError;
}

describe('submit answers the proxy rejects map to stable error codes', () => {
  const cases: { name: string; status: number; body: unknown; code: ErrorCode; description?: string }[] = [
    { name: 'OSS queue full (code 23)', status: 200, body: { code: 23, description: '队列已满，请稍后尝试', result: null, properties: {} }, code: 'MJ_QUEUE_FULL', description: '队列已满，请稍后尝试' },
    { name: 'trueai queue full (code 9 with 队列已满)', status: 200, body: { code: 9, description: '提交失败，队列已满，请稍后重试', result: null, properties: {} }, code: 'MJ_QUEUE_FULL' },
    { name: 'system failure (code 9)', status: 200, body: { code: 9, description: '提交失败，系统异常', result: null, properties: {} }, code: 'MJ_SUBMIT_FAILED' },
    { name: 'new-api transport failure (code 5)', status: 200, body: { code: 5, description: 'do_request_failed', result: '', properties: null }, code: 'MJ_SUBMIT_FAILED' },
    { name: 'unknown code', status: 200, body: { code: 403, description: 'discord said no' }, code: 'MJ_SUBMIT_FAILED' },
    { name: 'no account (code 3)', status: 200, body: { code: 3, description: '无可用的账号实例', result: null, properties: {} }, code: 'MJ_NOT_FOUND' },
    { name: 'trueai missing parent (HTTP 404 + code 3)', status: 404, body: { code: 3, description: '关联任务不存在或已失效', result: null, properties: {} }, code: 'MJ_NOT_FOUND' },
    { name: 'validation (code 4)', status: 200, body: { code: 4, description: 'prompt不能为空', result: null, properties: {} }, code: 'MJ_VALIDATION', description: 'prompt不能为空' },
    { name: 'trueai validation (HTTP 400 + code 4)', status: 400, body: { code: 4, description: '关联任务状态错误', result: null, properties: {} }, code: 'MJ_VALIDATION' },
    { name: 'rate limited (code 30 in a 200)', status: 200, body: { code: 30, description: '当前分组负载已饱和' }, code: 'MJ_RATE_LIMITED' },
    { name: 'trueai model binding error (200 success:false)', status: 200, body: { success: false, code: -1, message: 'State参数过长，最大255字符', timestamp: '638' }, code: 'MJ_VALIDATION', description: 'State参数过长，最大255字符' },
    { name: 'new-api unknown action', status: 400, body: { description: 'unknown_action:MJ::Job::PicReader::1', type: 'upstream_error', code: 4 }, code: 'MJ_UNSUPPORTED' },
    { name: 'new-api missing origin task', status: 400, body: { description: 'task_not_found ', type: 'upstream_error', code: 4 }, code: 'MJ_NOT_FOUND' },
    { name: 'new-api own validation', status: 400, body: { description: 'prompt_is_required ', type: 'upstream_error', code: 4 }, code: 'MJ_VALIDATION', description: 'prompt_is_required' },
    { name: 'OSS missing secret (401 empty)', status: 401, body: undefined, code: 'MJ_AUTH_FAILED' },
    { name: 'new-api bad key (401 OpenAI style)', status: 401, body: { error: { message: '无效的令牌', type: 'new_api_error' } }, code: 'MJ_AUTH_FAILED', description: '无效的令牌' },
    { name: 'trueai unavailable account (403 text)', status: 403, body: '账号不可用', code: 'MJ_AUTH_FAILED' },
    { name: 'missing endpoint (Spring 404 JSON)', status: 404, body: { timestamp: '2024-01-01', status: 404, error: 'Not Found', path: '/mj/submit/imagine' }, code: 'MJ_UNSUPPORTED' },
    { name: 'missing endpoint (HTML 404)', status: 404, body: '<html>not here</html>', code: 'MJ_UNSUPPORTED' },
    { name: 'OSS bad enum (Spring 400)', status: 400, body: { timestamp: '2024-01-01', status: 400, error: 'Bad Request', path: '/mj/submit/imagine' }, code: 'MJ_VALIDATION' },
    { name: 'trueai uncaught exception (500 success:false)', status: 500, body: { success: false, code: -1, message: '操作失败' }, code: 'MJ_SERVER_ERROR' },
    { name: 'gateway down (502 HTML)', status: 502, body: '<html>bad gateway</html>', code: 'MJ_SERVER_ERROR' },
    { name: 'garbage body', status: 200, body: '<html>hello</html>', code: 'MJ_BAD_RESPONSE' },
    { name: 'empty 200 body', status: 200, body: undefined, code: 'MJ_BAD_RESPONSE' },
    { name: 'accepted without a task id', status: 200, body: { code: 1, description: '提交成功', result: null, properties: {} }, code: 'MJ_BAD_RESPONSE' },
    { name: 'JSON that is not an envelope', status: 200, body: { hello: 'world' }, code: 'MJ_BAD_RESPONSE' },
  ];

  for (const c of cases) {
    it(`maps ${c.name} to ${c.code}`, async () => {
      const err = await imagineError(c.status, c.body);
      expect(err.code).toBe(c.code);
      expect(err.details.endpoint).toBe('POST /mj/submit/imagine');
      expect(err.details.status).toBe(c.status);
      if (c.description) expect(err.details.description).toBe(c.description);
    });
  }

  it('keeps the short plain-text reason of a trueai 401', async () => {
    const err = await imagineError(401, 'Authorization header missing.');
    expect(err).toMatchObject({ code: 'MJ_AUTH_FAILED', details: { description: 'Authorization header missing.' } });
  });

  it('puts the banned word of a code-24 answer into the error context', async () => {
    const err = await imagineError(200, { code: 24, description: '可能包含敏感词', properties: { promptEn: 'nude body', bannedWord: 'nude' } });
    expect(err.code).toBe('MJ_BANNED_PROMPT');
    expect(err.context.bannedWord).toBe('nude');
    expect(err.details.mjCode).toBe(24);
  });

  it('reads Retry-After seconds of an HTTP 429 into retryAfterMs', async () => {
    const err = await imagineError(429, { description: '当前分组负载已饱和', type: 'upstream_error', code: 30 }, { 'retry-after': '2' });
    expect(err.code).toBe('MJ_RATE_LIMITED');
    expect(err.details.retryAfterMs).toBe(2000);
  });

  it('treats a new-api-next 429 carrying code 23 as a full queue, not a rate limit', async () => {
    const err = await imagineError(429, { code: 23, description: '队列已满，请稍后尝试', result: null, properties: {} });
    expect(err.code).toBe('MJ_QUEUE_FULL');
  });
});

describe('accepted submit answers become Submitted', () => {
  async function imagineOk(body: unknown) {
    proxy.on('POST', '/mj/submit/imagine', 200, body);
    return proxy.client().imagine({ prompt: 'cat' });
  }

  it('keeps a numeric result as a string task id', async () => {
    const s = await imagineOk({ code: 1, description: '提交成功', result: 1320098173412546, properties: {} });
    expect(s).toMatchObject({ taskId: '1320098173412546', code: 1, modal: false });
  });

  it('accepts a code given as a string and a null properties object', async () => {
    const s = await imagineOk({ code: '1', description: 'ok', result: '17', properties: null });
    expect(s).toMatchObject({ taskId: '17', code: 1, properties: {} });
  });

  it('reports the queue position of a code-22 answer', async () => {
    const s = await imagineOk({ code: 22, description: '排队中，前面还有3个任务', result: '99', properties: { numberOfQueues: 3 } });
    expect(s).toMatchObject({ code: 22, queuePosition: 3, modal: false });
  });

  it('recovers the queue position from the description when a relay rewrote 22 to 1', async () => {
    const s = await imagineOk({ code: 1, description: '排队中，前面还有4个任务', result: '99', properties: {} });
    expect(s.queuePosition).toBe(4);
  });

  it('has no queue position for a plain success', async () => {
    const s = await imagineOk({ code: 1, description: '提交成功', result: '99', properties: { discordInstanceId: '1' } });
    expect(s.queuePosition).toBeUndefined();
  });

  it('marks a trueai code 21 as a modal with its final prompt', async () => {
    const s = await imagineOk({ code: 21, description: 'Waiting for window confirm', result: '5', properties: { finalPrompt: 'cat --v 6.1', remix: true } });
    expect(s).toMatchObject({ taskId: '5', code: 21, modal: true, finalPrompt: 'cat --v 6.1' });
  });

  it('does not mistake the legacy OSS "task exists" code 21 for a modal', async () => {
    const s = await imagineOk({ code: 21, description: '任务已存在', result: '0741798445574458', properties: { status: 'SUCCESS', imageUrl: 'https://x' } });
    expect(s).toMatchObject({ taskId: '0741798445574458', code: 21, modal: false });
  });

  it('still sees the modal when a relay rewrote the modal-wait 21 to 1', async () => {
    const s = await imagineOk({ code: 1, description: '窗口等待', result: '6', properties: { finalPrompt: 'cat --v 7' } });
    expect(s).toMatchObject({ taskId: '6', code: 1, modal: true, finalPrompt: 'cat --v 7' });
  });

  it('splits the comma-joined ids of trueai "Imagine all"', async () => {
    const s = await imagineOk({ code: 1, description: '提交成功', result: '11,12,13', properties: {} });
    expect(s.taskId).toBe('11');
    expect(s.extraTaskIds).toEqual(['12', '13']);
  });
});
