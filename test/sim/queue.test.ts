import { describe, expect, it } from 'vitest';
import { envelope, get, post, sim } from './helpers.js';

const imagine = (url: string, prompt: string, prefix = '/mj') => post(`${url}${prefix}/submit/imagine`, { prompt });

describe('simulated queue, bans and validation', () => {
  it('queues beyond the concurrency with code 22 and rejects beyond the queue limit with 23', async () => {
    const s = await sim({ concurrency: 1, queueLimit: 2 });
    s.pause();
    const codes = [];
    for (const prompt of ['a', 'b', 'c', 'd']) codes.push(envelope(await imagine(s.url, prompt)));
    expect(codes.map((c) => c.code)).toEqual([1, 22, 22, 23]);
    expect(codes[1]?.properties.numberOfQueues).toBe(1);
    expect(codes[2]?.properties.numberOfQueues).toBe(2);
    expect(codes[2]?.description).toBe('排队中，前面还有2个任务');
    expect(codes[3]).toMatchObject({ description: '队列已满，请稍后尝试', result: null });
    s.resume();
    const queued = String(codes[2]?.result);
    expect((await s.waitFor(queued)).status).toBe('SUCCESS');
  });

  it('shows queued tasks as NOT_START on fetch', async () => {
    const s = await sim({ concurrency: 1 });
    s.pause();
    await imagine(s.url, 'first');
    const second = String(envelope(await imagine(s.url, 'second')).result);
    expect((await get(`${s.url}/mj/task/${second}/fetch`)).json).toMatchObject({ id: second, status: 'NOT_START' });
  });

  it('answers queue full with code 9 on trueai', async () => {
    const s = await sim({ flavour: 'trueai', concurrency: 1, queueLimit: 0 });
    s.pause();
    await imagine(s.url, 'a');
    expect(envelope(await imagine(s.url, 'b'))).toMatchObject({ code: 9, description: '提交失败，队列已满，请稍后重试' });
  });

  it('rejects a banned word synchronously with code 24 and the word', async () => {
    const s = await sim({ bannedWords: ['nude'] });
    const res = envelope(await imagine(s.url, 'a Nude body'));
    expect(res).toMatchObject({ code: 24, description: '可能包含敏感词', properties: { promptEn: 'a Nude body', bannedWord: 'nude' } });
    expect(envelope(await imagine(s.url, 'a nudeness study')).code).toBe(1);
    expect(s.tasks()).toHaveLength(1);
  });

  it('accepts a banned word on trueai and fails the task later', async () => {
    const s = await sim({ flavour: 'trueai' });
    const res = envelope(await imagine(s.url, 'some gore'));
    expect(res.code).toBe(1);
    expect(await s.waitFor(String(res.result))).toMatchObject({ status: 'FAILURE', failReason: '可能包含敏感词' });
  });

  it('validates submits with the real code 4 texts', async () => {
    const s = await sim();
    const cases: [string, unknown, string][] = [
      ['/mj/submit/imagine', { prompt: '  ' }, 'prompt不能为空'],
      ['/mj/submit/imagine', { prompt: 'x', base64Array: ['not a data url'] }, 'base64格式错误'],
      ['/mj/submit/blend', { base64Array: ['data:image/png;base64,AAAA'] }, 'base64List参数错误'],
      ['/mj/submit/blend', { base64Array: ['data:image/png;base64,AAAA', 'data:image/png;base64,AAAA'], dimensions: null }, 'dimensions参数错误'],
      ['/mj/submit/describe', { base64: 'xyz' }, 'base64格式错误'],
      ['/mj/submit/action', { taskId: '1' }, '参数错误'],
    ];
    for (const [path, body, description] of cases) {
      expect(envelope(await post(`${s.url}${path}`, body))).toMatchObject({ code: 4, description });
    }
  });

  it('blends 2–5 images and returns uploaded image URLs as an array', async () => {
    const s = await sim();
    const img = 'data:image/png;base64,iVBORw0KGgo=';
    const blend = envelope(await post(`${s.url}/mj/submit/blend`, { base64Array: [img, img], dimensions: 'PORTRAIT' }));
    expect(await s.waitFor(String(blend.result))).toMatchObject({ action: 'BLEND', status: 'SUCCESS' });
    const upload = envelope(await post(`${s.url}/mj/submit/upload-discord-images`, { base64Array: [img] }));
    expect(upload.code).toBe(1);
    const urls = upload.result as string[];
    expect(urls).toHaveLength(1);
    const bytes = Buffer.from(await (await fetch(urls[0] ?? '')).arrayBuffer());
    expect(bytes.toString('base64')).toBe('iVBORw0KGgo=');
  });

  it('records the speed mode from the URL prefix, also behind an extra relay path', async () => {
    const s = await sim();
    const relax = String(envelope(await imagine(s.url, 'a', '/mj-relax/mj')).result);
    const turbo = String(envelope(await imagine(s.url, 'b', '/mj-turbo-proxy/mj-turbo/mj')).result);
    const plain = String(envelope(await imagine(s.url, 'c --relax')).result);
    expect([s.task(relax)?.mode, s.task(turbo)?.mode, s.task(plain)?.mode]).toEqual(['RELAX', 'TURBO', 'RELAX']);
  });

  it('survives malformed and oversized input', async () => {
    const s = await sim();
    expect((await post(`${s.url}/mj/submit/imagine`, '{"prompt":')).status).toBe(400);
    expect((await post(`${s.url}/mj/submit/imagine`, { prompt: 42 })).status).toBe(400);
    expect((await post(`${s.url}/mj/submit/imagine`, [1, 2])).status).toBe(400);
    const huge = await fetch(`${s.url}/mj/submit/imagine`, { method: 'POST', body: 'x'.repeat(31 * 1024 * 1024) }).then((r) => r.status, () => 'dropped');
    expect([413, 'dropped']).toContain(huge);
    expect(envelope(await imagine(s.url, 'still alive')).code).toBe(1);
  });

  it('plays canned answers and dropped connections from failNext, then recovers', async () => {
    const s = await sim();
    s.failNext('POST /mj/submit/imagine', { status: 503, body: { error: 'busy' } }, 2);
    s.failNext('/mj/task/', 'drop-connection');
    expect((await imagine(s.url, 'a')).status).toBe(503);
    expect((await imagine(s.url, 'a', '/mj-fast/mj')).json).toEqual({ error: 'busy' });
    const id = String(envelope(await imagine(s.url, 'a')).result);
    await expect(fetch(`${s.url}/mj/task/${id}/fetch`)).rejects.toThrow();
    expect((await get(`${s.url}/mj/task/${id}/fetch`)).status).toBe(200);
  });
});
