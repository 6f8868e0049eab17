import { describe, expect, it } from 'vitest';
import { TaskSchema } from '../../src/mj/schemas.js';
import { decodePng, envelope, eventually, get, hookReceiver, imagineDone, post, sim, type WireTask } from './helpers.js';

describe('simulated task life cycle', () => {
  it('answers an imagine with code 1 and a 16-digit task id', async () => {
    const s = await sim();
    const res = envelope(await post(`${s.url}/mj/submit/imagine`, { prompt: 'a red fox' }));
    expect(res.code).toBe(1);
    expect(res.description).toBe('提交成功');
    expect(String(res.result)).toMatch(/^\d{16}$/);
    expect(res.properties.discordInstanceId).toEqual(expect.any(String));
  });

  it('walks SUBMITTED, increasing IN_PROGRESS previews and SUCCESS, reported to the notifyHook', async () => {
    const s = await sim({ progressSteps: 3 });
    const hook = await hookReceiver();
    const res = envelope(await post(`${s.url}/mj/submit/imagine`, { prompt: 'a red fox', notifyHook: hook.url, state: 'chat-42' }));
    const id = String(res.result);
    await s.waitFor(id);
    await eventually(() => hook.bodies.some((b) => b.status === 'SUCCESS'));
    const statuses = hook.bodies.map((b) => b.status);
    expect(statuses).toEqual(['SUBMITTED', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'SUCCESS']);
    const progress = hook.bodies.filter((b) => b.status === 'IN_PROGRESS').map((b) => parseInt(String(b.progress), 10));
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(new Set(progress).size).toBe(3);
    expect(hook.bodies[0]?.progress).toBe('0%');
    const preview = hook.bodies.find((b) => b.status === 'IN_PROGRESS');
    const previewPng = decodePng(await (await fetch(String(preview?.imageUrl))).arrayBuffer());
    expect(previewPng.width).toBeLessThan(512);
    expect(hook.bodies.every((b) => b.state === 'chat-42' && b.id === id)).toBe(true);
  });

  it('finishes with 100%, a final prompt with the model version, the image hash and nine grid buttons', async () => {
    const s = await sim();
    const task = await imagineDone(s, 'a lighthouse at dusk');
    expect(() => TaskSchema.parse(task)).not.toThrow();
    expect(task.progress).toBe('100%');
    expect(task.description).toBe('/imagine a lighthouse at dusk');
    const props = task.properties as Record<string, unknown>;
    expect(props.finalPrompt).toBe('a lighthouse at dusk --v 7');
    const uuid = String(props.messageHash);
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(task.buttons?.map((b) => b.customId)).toEqual([
      ...[1, 2, 3, 4].map((n) => `MJ::JOB::upsample::${n}::${uuid}`),
      `MJ::JOB::reroll::0::${uuid}::SOLO`,
      ...[1, 2, 3, 4].map((n) => `MJ::JOB::variation::${n}::${uuid}`),
    ]);
    expect(task.buttons?.map((b) => b.label)).toEqual(['U1', 'U2', 'U3', 'U4', '', 'V1', 'V2', 'V3', 'V4']);
  });

  it('keeps an explicit --v or --niji in the final prompt', async () => {
    const s = await sim();
    const task = await imagineDone(s, 'a cat --niji 6');
    expect((task.properties as Record<string, unknown>).finalPrompt).toBe('a cat --niji 6');
  });

  it('serves a real 512×512 grid PNG whose colours differ between prompts', async () => {
    const s = await sim();
    const [a, b] = await Promise.all([imagineDone(s, 'a red fox'), imagineDone(s, 'a blue whale')]);
    const pngA = decodePng(await (await fetch(String(a.imageUrl))).arrayBuffer());
    const pngB = decodePng(await (await fetch(String(b.imageUrl))).arrayBuffer());
    expect([pngA.width, pngA.height]).toEqual([512, 512]);
    expect(Buffer.compare(pngA.data, pngB.data)).not.toBe(0);
    // The four quadrants of one grid are visibly different.
    const pixel = (x: number, y: number): string => pngA.data.subarray((y * 512 + x) * 4, (y * 512 + x) * 4 + 3).join(',');
    expect(new Set([pixel(10, 10), pixel(300, 10), pixel(10, 300), pixel(300, 300)]).size).toBe(4);
  });

  it('can be paused and resumed, and a stuck task never finishes', async () => {
    const s = await sim({ stepMs: 10 });
    s.pause();
    const id = String(envelope(await post(`${s.url}/mj/submit/imagine`, { prompt: 'frozen' })).result);
    await new Promise((r) => setTimeout(r, 60));
    expect(s.task(id)?.status).toBe('NOT_START');
    s.resume();
    expect((await s.waitFor(id)).status).toBe('SUCCESS');

    s.stickTask('next');
    const stuck = String(envelope(await post(`${s.url}/mj/submit/imagine`, { prompt: 'stuck' })).result);
    await s.waitFor(stuck, ['IN_PROGRESS']);
    await new Promise((r) => setTimeout(r, 100));
    expect(s.task(stuck)?.status).toBe('IN_PROGRESS');
  });

  it('fails a task chosen with failTask with the given reason and an empty progress', async () => {
    const s = await sim();
    s.failTask('next', '[Invalid parameter] bad');
    const id = String(envelope(await post(`${s.url}/mj/submit/imagine`, { prompt: 'x' })).result);
    const done = (await s.waitFor(id)) as WireTask;
    expect(done).toMatchObject({ status: 'FAILURE', progress: '', failReason: '[Invalid parameter] bad' });
  });

  it('cancels a running task as FAILURE "取消任务"', async () => {
    const s = await sim();
    s.pause();
    const id = String(envelope(await post(`${s.url}/mj/submit/imagine`, { prompt: 'x' })).result);
    const res = await post(`${s.url}/mj/task/${id}/cancel`, {});
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(s.task(id)).toMatchObject({ status: 'FAILURE', failReason: '取消任务' });
  });

  it('lists tasks by ids and omits unknown ones', async () => {
    const s = await sim();
    const a = await imagineDone(s, 'one');
    const list = await post(`${s.url}/mj/task/list-by-condition`, { ids: [a.id, '1234567890123456'] });
    expect((list.json as WireTask[]).map((t) => t.id)).toEqual([a.id]);
    expect((await post(`${s.url}/mj/task/list-by-condition`, {})).json).toEqual([]);
  });

  it('returns an image seed for a finished task only', async () => {
    const s = await sim();
    const task = await imagineDone(s);
    const seed = await get(`${s.url}/mj/task/${task.id}/image-seed`);
    expect(seed.json).toMatchObject({ code: 1, description: '成功', result: expect.stringMatching(/^\d+$/) });
    expect(envelope(await get(`${s.url}/mj/task/9999999999999999/image-seed`)).code).toBe(3);
  });

  it('logs every request with method, path, body and status', async () => {
    const s = await sim();
    await post(`${s.url}/mj/submit/imagine`, { prompt: 'logged' });
    await get(`${s.url}/mj/task/1/fetch`);
    expect(s.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ['POST', '/mj/submit/imagine', 200],
      ['GET', '/mj/task/1/fetch', 200],
    ]);
    expect(s.requests[0]?.body).toEqual({ prompt: 'logged' });
  });
});
