import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import blend from '../../commands/blend.js';
import describeCommand from '../../commands/describe.js';
import faceswap from '../../commands/faceswap.js';
import imagine from '../../commands/imagine.js';
import seed from '../../commands/seed.js';
import shorten from '../../commands/shorten.js';
import task from '../../commands/task.js';
import { createCommandStack, pngImage, taskIdOf, textOf, user, type CommandStack } from './setup.js';

let stack: CommandStack;

beforeAll(async () => {
  stack = await createCommandStack();
});

afterAll(async () => {
  await stack.close();
});

/** The body of the last request to `path` the simulator received. */
function lastBody(path: string): Record<string, unknown> {
  const found = stack.sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith(path)).at(-1);
  if (!found) throw new Error(`no request to ${path}`);
  return found.body as Record<string, unknown>;
}

/** The seed as the proxy itself answers it. */
async function proxySeed(url: string, taskId: string): Promise<string> {
  const res = await fetch(`${url}/mj/task/${taskId}/image-seed`);
  return String(((await res.json()) as { result: unknown }).result);
}

describe('imagine', () => {
  it('adds the user’s default aspect ratio and version unless the prompt has its own', async () => {
    const me = user('defaults');
    await stack.service.updateSettings(user('defaults'), { aspect: '16:9', version: '6.1' });
    taskIdOf(await stack.run(imagine, { prompt: '  a red fox  ' }, me));
    expect(lastBody('/submit/imagine')).toMatchObject({ prompt: 'a red fox --ar 16:9 --v 6.1', botType: 'MID_JOURNEY' });
    // A phone turned "--ar" into "—ar": it is restored, and the default ratio is not added on top.
    taskIdOf(await stack.run(imagine, { prompt: 'a red fox —ar 2:3' }, me));
    expect(lastBody('/submit/imagine')).toMatchObject({ prompt: 'a red fox --ar 2:3 --v 6.1' });
  });

  it('sends Niji users’ prompts to the Niji bot without a Midjourney version', async () => {
    await stack.service.updateSettings(user('niji-fan'), { bot: 'niji', version: '7', aspect: '9:16' });
    taskIdOf(await stack.run(imagine, { prompt: 'a red fox' }, user('niji-fan')));
    expect(lastBody('/submit/imagine')).toMatchObject({ prompt: 'a red fox --ar 9:16', botType: 'NIJI_JOURNEY' });
  });

  it('uploads reference images once and leads the prompt with their links; the drawing finishes with an image', async () => {
    const reference = pngImage([250, 10, 10]);
    const id = taskIdOf(await stack.run(imagine, { prompt: 'a red fox', images: [reference] }, user('refs')));
    expect(lastBody('/submit/upload-discord-images').base64Array).toEqual([`data:image/png;base64,${Buffer.from(reference.bytes).toString('base64')}`]);
    expect(String(lastBody('/submit/imagine').prompt)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sim\/upload\/\S+ a red fox$/);
    const final = await stack.finalOf(id);
    expect(final.phase).toBe('result');
    expect(final.image?.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });
});

describe('image commands', () => {
  it('blends three images in the chosen shape', async () => {
    const id = taskIdOf(await stack.run(blend, { images: [pngImage([255, 0, 0]), pngImage([0, 255, 0]), pngImage([0, 0, 255])], dimensions: 'portrait' }, user('blender')));
    const body = lastBody('/submit/blend');
    expect(body.dimensions).toBe('PORTRAIT');
    expect(body.base64Array).toHaveLength(3);
    expect((await stack.finalOf(id)).phase).toBe('result');
  });

  it('blends as a square when no shape is given', async () => {
    taskIdOf(await stack.run(blend, { images: [pngImage([1, 1, 1]), pngImage([2, 2, 2])] }, user('blender')));
    expect(lastBody('/submit/blend').dimensions).toBe('SQUARE');
  });

  it('describes an image and shows the numbered prompts with their buttons', async () => {
    const id = taskIdOf(await stack.run(describeCommand, { image: pngImage([9, 90, 200]) }, user('describer')));
    expect(String(lastBody('/submit/upload-discord-images').base64Array)).toMatch(/^data:image\/png;base64,/);
    expect(String(lastBody('/submit/describe').link)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sim\/upload\//);
    const final = await stack.finalOf(id);
    expect(final.detail).toContain('1️⃣');
    expect(final.rows.flat().map((b) => b.label)).toEqual(expect.arrayContaining(['1️⃣', '2️⃣', '3️⃣', '4️⃣']));
  });

  it('shortens a prompt', async () => {
    const id = taskIdOf(await stack.run(shorten, { prompt: 'a very very detailed red fox in a misty forest' }, user('shortener')));
    expect(lastBody('/submit/shorten').prompt).toBe('a very very detailed red fox in a misty forest');
    expect((await stack.finalOf(id)).phase).toBe('result');
  });

  it('swaps a face from the first image onto the second', async () => {
    const source = pngImage([200, 150, 120]);
    const target = pngImage([20, 20, 20]);
    const id = taskIdOf(await stack.run(faceswap, { source, target }, user('swapper')));
    const body = lastBody('/swap');
    expect(body.sourceBase64).toBe(`data:image/png;base64,${Buffer.from(source.bytes).toString('base64')}`);
    expect(body.targetBase64).toBe(`data:image/png;base64,${Buffer.from(target.bytes).toString('base64')}`);
    expect((await stack.finalOf(id)).phase).toBe('result');
  });
});

describe('seed', () => {
  it('answers with the proxy’s seed of the user’s latest image, in the user’s language', async () => {
    const id = taskIdOf(await stack.run(imagine, { prompt: 'a seed test' }, user('seeder', 'zh')));
    await stack.finalOf(id);
    const expected = await proxySeed(stack.sim.url, id);
    expect(textOf(await stack.run(seed, {}, user('seeder', 'zh')))).toBe(`种子：${expected}`);
    expect(textOf(await stack.run(seed, { task: id }, user('seeder')))).toBe(`Seed: ${expected}`);
    expect(textOf(await stack.run(seed, {}, user('seeder'), id))).toBe(`Seed: ${expected}`);
  });

  it('refuses the seed of someone else’s image in a group', async () => {
    const id = taskIdOf(await stack.run(imagine, { prompt: 'mine' }, user('owner', 'en', true)));
    await stack.finalOf(id);
    const reply = await stack.run(seed, { task: id }, user('stranger', 'en', true));
    expect(reply).toMatchObject({ type: 'error', code: 'NOT_OWNER' });
    expect(textOf(reply)).toContain('User owner');
  });

  it('says a task that has not finished has no seed yet', async () => {
    stack.sim.stickTask('next');
    const id = taskIdOf(await stack.run(imagine, { prompt: 'stuck for ever' }, user('waiter')));
    expect(textOf(await stack.run(seed, { task: id }, user('waiter')))).toBe('That task has not finished yet, so it has no seed.');
  });

  it('explains that a proxy without the seed endpoint cannot give seeds', async () => {
    const oss = await createCommandStack({ flavour: 'oss' });
    try {
      const me = user('oss-user', 'zh');
      const id = taskIdOf(await oss.run(imagine, { prompt: 'oss fox' }, me));
      expect((await oss.finalOf(id)).phase).toBe('result');
      expect(await oss.run(seed, {}, me)).toMatchObject({ type: 'error', code: 'MJ_UNSUPPORTED', text: '当前配置的 Midjourney 代理或中转不支持此功能。' });
    } finally {
      await oss.close();
    }
  });
});

describe('task', () => {
  it('shows a finished task again with its image to anyone in the same chat, and its buttons to those who may press them', async () => {
    const id = taskIdOf(await stack.run(imagine, { prompt: 'a shared fox' }, user('poster', 'en', true)));
    await stack.finalOf(id);
    const reply = await stack.run(task, { id }, user('neighbour', 'en', true));
    if (reply.type !== 'message') throw new Error(JSON.stringify(reply));
    expect(reply.text).toContain('✅ Done');
    expect(reply.text).toContain('a shared fox');
    expect(reply.image).toEqual({ url: (await stack.records.get(id))?.task?.imageUrl, taskId: id });
    expect(reply.rows?.flat() ?? []).toEqual([]);
    const own = await stack.run(task, { id }, user('poster', 'en', true));
    expect(own.type === 'message' ? own.rows?.flat().map((b) => b.label) : []).toEqual(expect.arrayContaining(['U1', 'U2', 'V4']));
  });

  it('treats another chat’s task as unknown', async () => {
    const id = taskIdOf(await stack.run(imagine, { prompt: 'private fox' }, user('alice')));
    expect(await stack.run(task, { id }, user('bob', 'zh'))).toMatchObject({ type: 'error', text: `没有这个任务：${id}。` });
  });
});
