import { describe, expect, it } from 'vitest';
import { envelope, get, hookReceiver, imagineDone, post, press, sim, type WireTask } from './helpers.js';

const KEY = 'sk-secret1';

describe('flavour authentication', () => {
  const variants = { secret: { 'mj-api-secret': KEY }, raw: { authorization: KEY }, bearer: { authorization: `Bearer ${KEY}` }, none: {} };
  const accepted = async (flavour: 'oss' | 'plus' | 'trueai' | 'newapi') => {
    const s = await sim({ flavour, apiKey: KEY });
    const result: Record<string, number> = {};
    for (const [name, headers] of Object.entries(variants)) result[name] = (await get(`${s.url}/mj/task/1/fetch`, headers)).status;
    return result;
  };

  it('OSS and Plus accept only mj-api-secret and answer 401 with an empty body', async () => {
    expect(await accepted('oss')).toEqual({ secret: 200, raw: 401, bearer: 401, none: 401 });
    expect(await accepted('plus')).toEqual({ secret: 200, raw: 401, bearer: 401, none: 401 });
    const s = await sim({ flavour: 'plus', apiKey: KEY });
    expect((await get(`${s.url}/mj/task/1/fetch`)).text).toBe('');
  });

  it('trueai compares Authorization verbatim, so Bearer fails with its text message', async () => {
    expect(await accepted('trueai')).toEqual({ secret: 204, raw: 204, bearer: 401, none: 401 });
    const s = await sim({ flavour: 'trueai', apiKey: KEY });
    expect((await get(`${s.url}/mj/task/1/fetch`, { authorization: `Bearer ${KEY}` })).text).toBe('Authorization header missing.');
  });

  it('new-api accepts all three header styles and answers 401 OpenAI-style', async () => {
    expect(await accepted('newapi')).toEqual({ secret: 400, raw: 400, bearer: 400, none: 401 });
    const s = await sim({ flavour: 'newapi', apiKey: KEY });
    expect((await get(`${s.url}/mj/task/1/fetch`)).json).toMatchObject({ error: { type: 'new_api_error' } });
  });
});

describe('flavour-specific answers', () => {
  it('answers a fetch of an unknown id like each real proxy', async () => {
    const shapes: Record<string, [number, string]> = {};
    for (const flavour of ['oss', 'plus', 'trueai', 'newapi'] as const) {
      const s = await sim({ flavour });
      const res = await get(`${s.url}/mj/task/1234567890123456/fetch`);
      shapes[flavour] = [res.status, res.text];
    }
    expect(shapes).toEqual({
      oss: [200, ''],
      plus: [200, ''],
      trueai: [204, ''],
      newapi: [400, '{"description":"task_no_found ","type":"upstream_error","code":4}'],
    });
  });

  it('OSS has no buttons and no action endpoint, but supports change', async () => {
    const s = await sim({ flavour: 'oss' });
    const task = await imagineDone(s);
    expect(task).not.toHaveProperty('buttons');
    const action = await post(`${s.url}/mj/submit/action`, { taskId: task.id, customId: 'MJ::JOB::upsample::1::x' });
    expect(action.status).toBe(404);
    expect(action.json).toMatchObject({ status: 404, error: 'Not Found', path: '/mj/submit/action' });
    expect(envelope(await post(`${s.url}/mj/submit/change`, { taskId: task.id, action: 'UPSCALE', index: 1 })).code).toBe(1);
    expect((await post(`${s.url}/mj/submit/imagine`, '{bad')).json).toMatchObject({ status: 400, error: 'Bad Request' });
  });

  it('trueai answers binding errors with HTTP 200 success:false and missing parents with HTTP 404', async () => {
    const s = await sim({ flavour: 'trueai' });
    const bad = await post(`${s.url}/mj/submit/imagine`, '{bad');
    expect(bad.status).toBe(200);
    expect(bad.json).toMatchObject({ success: false, code: -1, message: expect.any(String) });
    const missing = await post(`${s.url}/mj/submit/action`, { taskId: '1111111111111111', customId: 'MJ::JOB::upsample::1::x' });
    expect(missing.status).toBe(404);
    expect(envelope(missing).code).toBe(3);
    expect((await post(`${s.url}/mj/submit/change`, { taskId: '1', action: 'UPSCALE', index: 1 })).status).toBe(404);
  });

  it('trueai adds discordChannelId, keeps the parent action on reroll and rejects bookmarks as unknown', async () => {
    const s = await sim({ flavour: 'trueai' });
    const res = envelope(await post(`${s.url}/mj/submit/imagine`, { prompt: 'x' }));
    expect(res.properties).toMatchObject({ discordInstanceId: expect.any(String), discordChannelId: expect.any(String) });
    const grid = (await s.waitFor(String(res.result))) as WireTask;
    expect(await s.waitFor(String((await press(s, grid, 'reroll')).result))).toMatchObject({ action: 'IMAGINE', parentId: grid.id });
    const solo = (await s.waitFor(String((await press(s, grid, 'upsample::1')).result))) as WireTask;
    expect(await press(s, solo, 'BOOKMARK')).toMatchObject({ code: 4, description: '未知的 Action 类型' });
    expect(await press(s, solo, 'CustomZoom')).toMatchObject({ code: 21, description: 'Waiting for window confirm' });
  });
});

describe('new-api relay flavour', () => {
  it('rewrites code 22 to 1 and a remix 21 to 1, leaving the task in MODAL', async () => {
    const s = await sim({ flavour: 'newapi', concurrency: 1, remix: true });
    const grid = await imagineDone(s);
    s.pause();
    await post(`${s.url}/mj/submit/imagine`, { prompt: 'busy' });
    const queued = await post(`${s.url}/mj/submit/imagine`, { prompt: 'queued' });
    expect(queued.text).toContain('"code":1,');
    expect(envelope(queued).properties.numberOfQueues).toBe(1);
    const vary = await press(s, grid, 'variation::1');
    expect(vary.code).toBe(1);
    expect((await get(`${s.url}/mj/task/${String(vary.result)}/fetch`)).json).toMatchObject({ status: 'MODAL', action: 'VARIATION' });
  });

  it('passes code 21 through for Custom Zoom and Vary (Region)', async () => {
    const s = await sim({ flavour: 'newapi' });
    const solo = (await s.waitFor(String((await press(s, await imagineDone(s), 'upsample::1')).result))) as WireTask;
    expect((await press(s, solo, 'CustomZoom')).code).toBe(21);
    expect((await press(s, solo, 'Inpaint')).code).toBe(21);
    expect((await press(s, solo, 'low_variation')).code).toBe(1);
  });

  it('rejects buttons it cannot classify with HTTP 400 unknown_action', async () => {
    const s = await sim({ flavour: 'newapi' });
    const solo = (await s.waitFor(String((await press(s, await imagineDone(s), 'upsample::1')).result))) as WireTask;
    const res = await post(`${s.url}/mj/submit/action`, { taskId: solo.id, customId: solo.buttons?.find((b) => b.customId.includes('BOOKMARK'))?.customId });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ description: 'unknown_action ', type: 'upstream_error', code: 4 });
  });

  it('serves images through /mj/image/<id>, strips notifyHook and reports failures at 100%', async () => {
    const s = await sim({ flavour: 'newapi' });
    const hook = await hookReceiver();
    s.failTask('next', 'boom');
    const failed = envelope(await post(`${s.url}/mj/submit/imagine`, { prompt: 'x', notifyHook: hook.url }));
    expect(await s.waitFor(String(failed.result))).toMatchObject({ status: 'FAILURE', progress: '100%', failReason: 'boom' });
    const ok = await imagineDone(s);
    expect(ok.imageUrl).toBe(`${s.url}/mj/image/${ok.id}`);
    const img = await fetch(String(ok.imageUrl));
    expect([img.status, img.headers.get('content-type')]).toEqual([200, 'image/png']);
    expect(hook.bodies).toEqual([]);
  });

  it('answers fetches from a stale snapshot when staleFetchMs is set', async () => {
    let now = 1_700_000_000_000;
    const s = await sim({ flavour: 'newapi', staleFetchMs: 15_000, now: () => now });
    s.pause();
    const id = String(envelope(await post(`${s.url}/mj/submit/imagine`, { prompt: 'x' })).result);
    expect((await get(`${s.url}/mj/task/${id}/fetch`)).json).toMatchObject({ status: 'NOT_START' });
    s.resume();
    await s.waitFor(id);
    expect((await get(`${s.url}/mj/task/${id}/fetch`)).json).toMatchObject({ status: 'NOT_START' });
    now += 15_000;
    expect((await get(`${s.url}/mj/task/${id}/fetch`)).json).toMatchObject({ status: 'SUCCESS' });
  });
});
