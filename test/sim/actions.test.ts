import { describe, expect, it } from 'vitest';
import { decodePng, envelope, imagineDone, pngDataUrl, post, press, sim, type WireTask } from './helpers.js';

describe('simulated buttons and modals', () => {
  it('upscales a grid cell into a single image with the SOLO button set and a fresh hash', async () => {
    const s = await sim();
    const grid = await imagineDone(s, 'a red fox');
    const res = await press(s, grid, 'upsample::2');
    expect(res.code).toBe(1);
    const solo = (await s.waitFor(String(res.result))) as WireTask;
    expect(solo).toMatchObject({ action: 'UPSCALE', status: 'SUCCESS', description: `/up ${grid.id} U2` });
    const uuid = String((solo.properties as Record<string, unknown>).messageHash);
    expect(uuid).not.toBe((grid.properties as Record<string, unknown>).messageHash);
    expect(solo.buttons?.map((b) => b.label)).toEqual([
      'Upscale (Subtle)', 'Upscale (Creative)', 'Vary (Subtle)', 'Vary (Strong)', 'Vary (Region)',
      'Zoom Out 2x', 'Zoom Out 1.5x', 'Custom Zoom', '', '', '', '', 'Animate (High motion)', 'Animate (Low motion)', '',
    ]);
    expect(solo.buttons?.map((b) => b.customId)).toContain(`MJ::JOB::pan_left::1::${uuid}::SOLO`);
    expect(solo.buttons?.map((b) => b.customId)).toContain(`MJ::BOOKMARK::${uuid}`);
    const png = decodePng(await (await fetch(String(solo.imageUrl))).arrayBuffer());
    expect([png.width, png.height]).toEqual([512, 512]);
  });

  it('turns Upscale (Subtle) into UPSCALE_HD with vary and bookmark buttons', async () => {
    const s = await sim();
    const solo = (await s.waitFor(String((await press(s, await imagineDone(s), 'upsample::1')).result))) as WireTask;
    const hd = (await s.waitFor(String((await press(s, solo, 'upsample_v7_2x_subtle')).result))) as WireTask;
    expect(hd.action).toBe('UPSCALE_HD');
    expect(hd.buttons?.map((b) => b.label)).toEqual(['Vary (Subtle)', 'Vary (Strong)', '']);
  });

  it('rejects a customId that is not one of the task\'s buttons, and a parent that is not finished', async () => {
    const s = await sim();
    const grid = await imagineDone(s);
    const wrong = await post(`${s.url}/mj/submit/action`, { taskId: grid.id, customId: 'MJ::JOB::upsample::1::00000000-0000-0000-0000-000000000000' });
    expect(envelope(wrong)).toMatchObject({ code: 4, description: '参数错误' });
    const missing = await post(`${s.url}/mj/submit/action`, { taskId: '1111111111111111', customId: 'MJ::JOB::upsample::1::x' });
    expect(envelope(missing)).toMatchObject({ code: 3, description: '关联任务不存在或已失效' });
    s.pause();
    const pending = String(envelope(await post(`${s.url}/mj/submit/imagine`, { prompt: 'later' })).result);
    const early = await post(`${s.url}/mj/submit/action`, { taskId: pending, customId: grid.buttons?.[0]?.customId });
    expect(envelope(early)).toMatchObject({ code: 4, description: '关联任务状态错误' });
  });

  it('refuses the bookmark button', async () => {
    const s = await sim();
    const solo = (await s.waitFor(String((await press(s, await imagineDone(s), 'upsample::1')).result))) as WireTask;
    expect((await press(s, solo, 'BOOKMARK')).code).toBe(4);
  });

  it('opens a Custom Zoom modal (code 21) and only accepts --zoom between 1 and 2', async () => {
    const s = await sim();
    const solo = (await s.waitFor(String((await press(s, await imagineDone(s, 'a fox'), 'upsample::1')).result))) as WireTask;
    const res = await press(s, solo, 'CustomZoom');
    expect(res).toMatchObject({ code: 21, description: '窗口等待', properties: { finalPrompt: 'a fox --v 7', remix: true } });
    const id = String(res.result);
    expect(s.task(id)).toMatchObject({ status: 'MODAL', prompt: '' });
    for (const prompt of ['a fox --zoom 2.5', 'a fox --zoom 0.5', 'a fox']) {
      expect(envelope(await post(`${s.url}/mj/submit/modal`, { taskId: id, prompt })).code).toBe(4);
    }
    const ok = envelope(await post(`${s.url}/mj/submit/modal`, { taskId: id, prompt: 'a fox --zoom 1.5' }));
    expect(ok).toMatchObject({ code: 1, result: id });
    const done = await s.waitFor(id, ['SUCCESS', 'FAILURE']);
    expect(done).toMatchObject({ status: 'SUCCESS', action: 'ZOOM', prompt: 'a fox --zoom 1.5' });
    expect(envelope(await post(`${s.url}/mj/submit/modal`, { taskId: id, prompt: 'a fox --zoom 1.5' }))).toMatchObject({ code: 4, description: '关联任务状态错误' });
  });

  it('requires a PNG mask of the image size for Vary (Region)', async () => {
    const s = await sim();
    const solo = (await s.waitFor(String((await press(s, await imagineDone(s), 'upsample::1')).result))) as WireTask;
    const id = String((await press(s, solo, 'Inpaint')).result);
    const bad = [undefined, 'data:image/png;base64,aGVsbG8=', pngDataUrl(64, 64), pngDataUrl(512, 512).replace('image/png', 'image/jpeg')];
    for (const maskBase64 of bad) {
      expect(envelope(await post(`${s.url}/mj/submit/modal`, { taskId: id, prompt: 'a hat', maskBase64 }))).toMatchObject({ code: 4, description: 'mask参数错误' });
    }
    expect(envelope(await post(`${s.url}/mj/submit/modal`, { taskId: id, prompt: '', maskBase64: pngDataUrl(512, 512) })).code).toBe(1);
    expect(await s.waitFor(id, ['SUCCESS'])).toMatchObject({ action: 'VARIATION', status: 'SUCCESS' });
  });

  it('asks for a modal on variations only while remix mode is on', async () => {
    const s = await sim();
    const grid = await imagineDone(s, 'a fox');
    expect((await press(s, grid, 'variation::1')).code).toBe(1);
    s.setRemix(true);
    const remix = await press(s, grid, 'variation::3');
    expect(remix.code).toBe(21);
    expect((await press(s, grid, 'reroll')).code).toBe(21);
    const id = String(remix.result);
    expect(envelope(await post(`${s.url}/mj/submit/modal`, { taskId: id, prompt: 'a fox in snow' })).code).toBe(1);
    const done = await s.waitFor(id, ['SUCCESS']);
    expect(done).toMatchObject({ action: 'VARIATION', prompt: 'a fox in snow' });
    expect((done.properties as Record<string, unknown>).finalPrompt).toBe('a fox in snow --v 7');
  });

  it('describes an image into four prompts and imagines the chosen one through a modal', async () => {
    const s = await sim();
    const res = envelope(await post(`${s.url}/mj/submit/describe`, { base64: pngDataUrl(32, 32) }));
    const described = (await s.waitFor(String(res.result))) as WireTask;
    const finalPrompt = String((described.properties as Record<string, unknown>).finalPrompt);
    const prompts = finalPrompt.split('\n\n');
    expect(prompts.map((p) => p.slice(0, 3))).toEqual(['1️⃣', '2️⃣', '3️⃣', '4️⃣']);
    expect(new Set(prompts.map((p) => p.slice(3))).size).toBe(4);
    expect(described.buttons?.map((b) => b.customId)).toEqual(['MJ::Job::PicReader::1', 'MJ::Job::PicReader::2', 'MJ::Job::PicReader::3', 'MJ::Job::PicReader::4', 'MJ::Picread::Retry']);
    const pick = await press(s, described, 'PicReader::2');
    expect(pick.code).toBe(21);
    expect(prompts[1]).toContain(String(pick.properties.finalPrompt));
    expect(envelope(await post(`${s.url}/mj/submit/modal`, { taskId: pick.result, prompt: pick.properties.finalPrompt })).code).toBe(1);
    expect(await s.waitFor(String(pick.result), ['SUCCESS'])).toMatchObject({ action: 'IMAGINE' });
    const retry = await press(s, described, 'Picread::Retry');
    expect(await s.waitFor(String(retry.result))).toMatchObject({ action: 'DESCRIBE', status: 'SUCCESS' });
  });

  it('shortens a prompt into five numbered prompts with analyzer and Show Details buttons', async () => {
    const s = await sim();
    const prompt = 'appdash appdash, in the style of expert draftsmanship, commission for, ethereal, dreamlike quality, toonami';
    const shortened = (await s.waitFor(String(envelope(await post(`${s.url}/mj/submit/shorten`, { prompt })).result))) as WireTask;
    const text = String((shortened.properties as Record<string, unknown>).finalPrompt);
    expect(text).toContain('## Shortened prompts');
    expect(['1️⃣', '2️⃣', '3️⃣', '4️⃣', '5️⃣'].every((k) => text.includes(k))).toBe(true);
    expect(shortened.buttons?.map((b) => b.label).at(-1)).toBe('Show Details');
    const pick = await press(s, shortened, 'PromptAnalyzer::3');
    expect(pick.code).toBe(21);
    expect(text).toContain(`3️⃣ ${String(pick.properties.finalPrompt)}`);
    const details = (await s.waitFor(String((await press(s, shortened, 'show_details')).result))) as WireTask;
    expect(details.action).toBe('SHORTEN');
  });

  it('runs the legacy change and simple-change on grids only', async () => {
    const s = await sim();
    const grid = await imagineDone(s);
    const up = envelope(await post(`${s.url}/mj/submit/change`, { taskId: grid.id, action: 'UPSCALE', index: 3 }));
    const solo = await s.waitFor(String(up.result));
    expect(solo).toMatchObject({ action: 'UPSCALE', description: `/up ${grid.id} U3` });
    expect(envelope(await post(`${s.url}/mj/submit/simple-change`, { content: `${grid.id} V2` })).code).toBe(1);
    expect(envelope(await post(`${s.url}/mj/submit/simple-change`, { content: `${grid.id} X9` }))).toMatchObject({ code: 4, description: 'content参数错误' });
    expect(envelope(await post(`${s.url}/mj/submit/change`, { taskId: solo.id, action: 'VARIATION', index: 1 }))).toMatchObject({ code: 4, description: '关联任务不允许执行变化' });
  });
});
