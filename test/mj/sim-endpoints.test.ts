import { afterEach, describe, expect, it } from 'vitest';
import { MjError } from '../../src/errors.js';
import type { Flavour } from '../../src/mj/capabilities.js';
import { buttonId, clientFor, closeAll, pngDataUrl, settle, sim } from './sim-helpers.js';

afterEach(closeAll);

const FLAVOURS: Flavour[] = ['plus', 'trueai', 'oss', 'newapi'];
const WITH_ACTION: Flavour[] = ['plus', 'trueai', 'newapi'];
const red = pngDataUrl([220, 30, 30]);
const blue = pngDataUrl([30, 30, 220]);
const caught = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e: unknown) => e as MjError);

describe.each(FLAVOURS)('against the %s simulator', (flavour) => {
  it('detects the flavour by probing', async () => {
    const s = await sim({ flavour });
    expect(await clientFor(s).flavour()).toBe(flavour);
  });

  it('runs an imagine to SUCCESS and finds it again with listByCondition', async () => {
    const s = await sim({ flavour });
    const client = clientFor(s);
    const submitted = await client.imagine({ prompt: 'a red fox in the snow', state: 'chat-1' });
    expect(submitted.taskId).toMatch(/\S/);
    const task = await settle(client, submitted.taskId);
    expect(task).toMatchObject({ id: submitted.taskId, status: 'SUCCESS', progress: '100%' });
    expect(task.imageUrl).toMatch(/^http/);
    if (flavour === 'oss') expect(task.buttons).toEqual([]);
    else expect(task.buttons.map((b) => b.label).filter(Boolean)).toEqual(['U1', 'U2', 'U3', 'U4', 'V1', 'V2', 'V3', 'V4']);
    const listed = await client.listByCondition([submitted.taskId, '1999999999999999']);
    expect(listed.map((t) => t.id)).toEqual([submitted.taskId]);
    expect(await client.fetch('1999999999999999')).toBeUndefined();
  });

  it('describes an image and blends two', async () => {
    const s = await sim({ flavour });
    const client = clientFor(s);
    const described = await settle(client, (await client.describe({ base64: red })).taskId);
    expect(described.status).toBe('SUCCESS');
    expect(String(described.properties.finalPrompt)).toContain('1️⃣');
    const blended = await settle(client, (await client.blend({ base64Array: [red, blue], dimensions: 'LANDSCAPE' })).taskId);
    expect(blended.status).toBe('SUCCESS');
  });
});

describe.each(WITH_ACTION)('button flows on the %s simulator', (flavour) => {
  it('upscales U2, then Custom Zoom asks for a modal that finishes with --zoom', async () => {
    const s = await sim({ flavour });
    const client = clientFor(s);
    const grid = await settle(client, (await client.imagine({ prompt: 'a lighthouse' })).taskId);
    const up = await client.action({ taskId: grid.id, customId: buttonId(grid, /::upsample::2::/) });
    const solo = await settle(client, up.taskId);
    expect(solo.status).toBe('SUCCESS');

    const zoom = await client.action({ taskId: solo.id, customId: buttonId(solo, /^MJ::CustomZoom::/) });
    expect(zoom).toMatchObject({ code: 21, modal: true });
    const prompt = `${zoom.finalPrompt || solo.properties.finalPrompt || 'a lighthouse'} --zoom 1.5`;
    const modal = await client.modal({ taskId: zoom.taskId, prompt });
    const zoomed = await settle(client, modal.taskId);
    expect(zoomed.status).toBe('SUCCESS');
    expect(s.requests.find((r) => r.path.endsWith('/submit/modal'))?.status).toBe(200);
  });

  it('shortens a prompt, reads a seed, swaps a face and uploads images', async () => {
    const s = await sim({ flavour });
    const client = clientFor(s);
    const shortened = await settle(client, (await client.shorten({ prompt: 'a very long prompt about a cat, dreamlike, ethereal, detailed' })).taskId);
    expect(shortened.status).toBe('SUCCESS');
    const grid = await settle(client, (await client.imagine({ prompt: 'seeded cat' })).taskId);
    expect(await client.imageSeed(grid.id)).toMatch(/^\d+$/);
    const swapped = await settle(client, (await client.faceSwap({ sourceBase64: red, targetBase64: blue })).taskId);
    expect(swapped.status).toBe('SUCCESS');
    const urls = await client.uploadImages({ base64Array: [red, blue] });
    expect(urls).toHaveLength(2);
    for (const u of urls) expect(u).toMatch(/^http/);
  });
});

describe('flavour-specific endpoints', () => {
  it('upscales U2 through /change and simple-change on OSS, and through action()', async () => {
    const s = await sim({ flavour: 'oss' });
    const client = clientFor(s);
    const grid = await settle(client, (await client.imagine({ prompt: 'a fox' })).taskId);
    const viaChange = await settle(client, (await client.change({ taskId: grid.id, action: 'UPSCALE', index: 2 })).taskId);
    expect(viaChange).toMatchObject({ status: 'SUCCESS', action: 'UPSCALE' });
    const viaSimple = await settle(client, (await client.simpleChange({ content: `${grid.id} V1` })).taskId);
    expect(viaSimple).toMatchObject({ status: 'SUCCESS', action: 'VARIATION' });
    const hash = String(grid.properties.messageHash ?? '00000000-0000-0000-0000-000000000000');
    const viaAction = await client.action({ taskId: grid.id, customId: `MJ::JOB::upsample::3::${hash}` });
    expect((await settle(client, viaAction.taskId)).status).toBe('SUCCESS');
    // The only /submit/action request is the flavour probe's, which OSS answers 404.
    expect(s.requests.filter((r) => r.path.endsWith('/submit/action')).map((r) => r.status)).toEqual([404]);
    expect(s.requests.filter((r) => r.path.endsWith('/submit/change'))).toHaveLength(2);
  });

  it('refuses shorten on OSS without sending it', async () => {
    const s = await sim({ flavour: 'oss' });
    const client = clientFor(s, { flavour: 'oss' });
    expect((await caught(client.shorten({ prompt: 'x' }))).code).toBe('MJ_UNSUPPORTED');
    expect(s.requests).toHaveLength(0);
  });

  it.each(['plus', 'trueai', 'newapi'] as const)('submits edits and video on %s', async (flavour) => {
    const s = await sim({ flavour });
    const client = clientFor(s);
    const edit = await settle(client, (await client.edits({ prompt: 'make it blue', image: red })).taskId);
    expect(edit.status).toBe('SUCCESS');
    const video = await settle(client, (await client.video({ prompt: 'waves', image: blue, motion: 'low' })).taskId);
    expect(video.status).toBe('SUCCESS');
  });

  it('recognises a remix modal that new-api rewrote to code 1, and the task waits in MODAL', async () => {
    const s = await sim({ flavour: 'newapi', remix: true });
    const client = clientFor(s);
    const grid = await settle(client, (await client.imagine({ prompt: 'a fox' })).taskId);
    const pressed = await client.action({ taskId: grid.id, customId: buttonId(grid, /::variation::1::/) });
    expect(pressed).toMatchObject({ code: 1, modal: true });
    expect((await client.fetch(pressed.taskId))?.status).toBe('MODAL');
    const done = await settle(client, (await client.modal({ taskId: pressed.taskId, prompt: 'a fox, in winter' })).taskId);
    expect(done.status).toBe('SUCCESS');
  });

  it.each(['trueai', 'plus'] as const)('cancels a running task on %s', async (flavour) => {
    const s = await sim({ flavour });
    const client = clientFor(s);
    s.pause();
    const { taskId } = await client.imagine({ prompt: 'slow cat' });
    await client.cancel(taskId);
    s.resume();
    const task = await settle(client, taskId);
    expect(task).toMatchObject({ status: 'FAILURE', failReason: '取消任务' });
  });
});
