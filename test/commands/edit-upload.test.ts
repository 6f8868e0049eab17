/**
 * /edit and image uploads against the simulator in every flavour: an edit with and without a
 * mask where the flavour has /submit/edits (and a clear "not available" answer where it has
 * not), and images uploaded once per content where the flavour has upload-discord-images.
 */
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import describeCommand from '../../commands/describe.js';
import edit from '../../commands/edit.js';
import imagine from '../../commands/imagine.js';
import type { Flavour } from '../../src/mj/capabilities.js';
import { createCommandStack, pngImage, taskIdOf, user, type CommandStack } from './setup.js';

let stack: CommandStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const start = async (flavour: Flavour) => (stack = await createCommandStack({ flavour }));
const posts = (s: CommandStack, path: string) => s.sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith(path));
const bodyOf = (s: CommandStack, path: string) => posts(s, path).at(-1)?.body as Record<string, unknown>;

/** A PNG mask: black, with the left half white. */
function halfMask(size = 4): { bytes: Uint8Array; name: string } {
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) png.data.set(x < size / 2 ? [255, 255, 255, 255] : [0, 0, 0, 255], (y * size + x) * 4);
  return { bytes: new Uint8Array(PNG.sync.write(png)), name: 'mask.png' };
}

const WITH_EDITS: Flavour[] = ['plus', 'trueai', 'newapi'];

describe.each(WITH_EDITS)('/edit on %s', (flavour) => {
  it('edits an image with a prompt: the image goes up once, the edit runs to a result', async () => {
    const s = await start(flavour);
    const photo = pngImage([200, 40, 40]);
    const id = taskIdOf(await s.run(edit, { image: photo, prompt: '  make it   blue ' }, user('editor')));
    const body = bodyOf(s, '/submit/edits');
    expect(body.prompt).toBe('make it blue');
    expect(body.maskBase64).toBeUndefined();
    // Sent as the uploaded link, not as a base64 body.
    expect(posts(s, '/submit/upload-discord-images')).toHaveLength(1);
    expect(String(body.image)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sim\/upload\//);
    const final = await s.finalOf(id);
    expect(final.phase).toBe('result');
    expect(final.prompt).toBe('Edit: make it blue');
    expect(final.image?.url).toMatch(/^http/);
  });

  it('edits only where the mask is white: the mask reaches the proxy at the image’s own size', async () => {
    const s = await start(flavour);
    const photo = pngImage([40, 200, 40], 16);
    const id = taskIdOf(await s.run(edit, { image: photo, prompt: 'a hat', mask: halfMask(4) }, user('masker')));
    const mask = String(bodyOf(s, '/submit/edits').maskBase64);
    expect(mask).toMatch(/^data:image\/png;base64,/);
    const png = PNG.sync.read(Buffer.from(mask.slice(mask.indexOf(',') + 1), 'base64'));
    expect([png.width, png.height]).toEqual([16, 16]);
    expect(png.data[0]).toBe(255); // left: white = change
    expect(png.data[(png.width - 1) * 4]).toBe(0); // right: black = keep
    expect((await s.finalOf(id)).phase).toBe('result');
  });

  it('refuses a mask that is not a black-and-white PNG before anything reaches the proxy', async () => {
    const s = await start(flavour);
    const before = s.sim.requests.length;
    const reply = await s.run(edit, { image: pngImage(), prompt: 'a hat', mask: { bytes: new Uint8Array([1, 2, 3]), name: 'x.png' } }, user('masker'));
    expect(reply).toMatchObject({ type: 'error', code: 'IMAGE_INVALID' });
    expect(s.sim.requests.length).toBe(before);
  });
});

describe('/edit where the proxy has no edits', () => {
  it('OSS answers "not available through this proxy or relay" at once, and nothing is sent', async () => {
    const s = await start('oss');
    const reply = await s.run(edit, { image: pngImage(), prompt: 'make it blue' }, user('editor', 'zh'));
    expect(reply).toMatchObject({ type: 'error', code: 'MJ_UNSUPPORTED' });
    expect(reply.type === 'error' && reply.text).toMatch(/代理或中转不支持/);
    expect(s.sim.requests.filter((r) => r.method === 'POST')).toEqual([]);
    expect(s.presenter.messages.size).toBe(0);
  });

  it('without an image it says how to give one', async () => {
    const s = await start('plus');
    const reply = await s.run(edit, { prompt: 'make it blue' }, user('editor'));
    expect(reply).toMatchObject({ type: 'error', code: 'BAD_INPUT' });
    expect(reply.type === 'error' && reply.text).toMatch(/reply to a photo/i);
  });
});

describe.each(WITH_EDITS)('image uploads on %s', (flavour) => {
  it('two jobs with the same image upload it once; the link leads the prompt', async () => {
    const s = await start(flavour);
    const reference = pngImage([9, 99, 199]);
    const first = taskIdOf(await s.run(imagine, { prompt: 'a red fox', images: [reference] }, user('uploader')));
    const second = taskIdOf(await s.run(imagine, { prompt: 'a blue fox', images: [{ ...reference }] }, user('uploader')));
    const uploads = posts(s, '/submit/upload-discord-images');
    expect(uploads).toHaveLength(1);
    const imagines = posts(s, '/submit/imagine').map((r) => r.body as { prompt: string; base64Array?: string[] });
    const link = imagines[0]!.prompt.split(' ')[0]!;
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sim\/upload\//);
    expect(imagines.map((b) => b.prompt)).toEqual([`${link} a red fox`, `${link} a blue fox`]);
    expect(imagines.every((b) => b.base64Array === undefined)).toBe(true);
    // The display prompt is the user's, without the link.
    expect((await s.finalOf(first)).prompt).toBe('a red fox');
    await s.finalOf(second);
    // A describe of the same picture reuses the link too.
    await s.run(describeCommand, { image: { ...reference } }, user('uploader'));
    expect(posts(s, '/submit/upload-discord-images')).toHaveLength(1);
    expect(bodyOf(s, '/submit/describe')).toMatchObject({ link });
  });

  it('an upload the proxy refuses falls back to the image inline', async () => {
    const s = await start(flavour);
    s.sim.failNext('POST /mj/submit/upload-discord-images', { status: 500, body: { error: 'boom' } });
    const id = taskIdOf(await s.run(imagine, { prompt: 'a grey fox', images: [pngImage([1, 2, 3])] }, user('uploader')));
    expect(bodyOf(s, '/submit/imagine')).toMatchObject({ prompt: 'a grey fox', base64Array: [expect.stringMatching(/^data:image\/png;base64,/)] });
    expect((await s.finalOf(id)).phase).toBe('result');
  });
});

describe('image uploads where the proxy has none', () => {
  it('OSS gets every image inline as base64, and no upload is tried', async () => {
    const s = await start('oss');
    const reference = pngImage([9, 99, 199]);
    await s.run(imagine, { prompt: 'a red fox', images: [reference] }, user('inline'));
    await s.run(imagine, { prompt: 'a blue fox', images: [reference] }, user('inline'));
    expect(posts(s, '/submit/upload-discord-images')).toEqual([]);
    expect(posts(s, '/submit/imagine').map((r) => (r.body as { base64Array: string[] }).base64Array)).toEqual([
      [expect.stringMatching(/^data:image\/png;base64,/)],
      [expect.stringMatching(/^data:image\/png;base64,/)],
    ]);
  });
});
