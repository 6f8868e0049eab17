/** /edit and /animate on Discord: attachments in, the edited image and the video clip out. */
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { clipOf, embedOf, resultOf, rowsOf, simCalls, startStack, userPng, type DiscordStack } from './harness.js';

let stack: DiscordStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

function maskPng(size = 8): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) png.data.set(y < size / 2 ? [255, 255, 255, 255] : [0, 0, 0, 255], (y * size + x) * 4);
  return PNG.sync.write(png);
}

describe('/edit and /animate on Discord', () => {
  it('/edit takes the image and mask attachments and shows the edited result', async () => {
    stack = await startStack();
    const { fake, sim } = stack;
    const handle = fake.slash({
      name: 'edit',
      options: [{ name: 'image', type: 11 }, { name: 'prompt', type: 3, value: 'a blue sky' }, { name: 'mask', type: 11 }],
      attachments: [{ name: 'photo.png', bytes: userPng(48, 48), contentType: 'image/png' }, { name: 'mask.png', bytes: maskPng(), contentType: 'image/png' }],
    });
    const result = await resultOf(fake, handle);
    const body = simCalls(sim, '/mj/submit/edits')[0] as { prompt: string; image: string; maskBase64: string };
    expect(body.prompt).toBe('a blue sky');
    expect(body.image).toMatch(/\/sim\/upload\//);
    const mask = PNG.sync.read(Buffer.from(body.maskBase64.split(',')[1]!, 'base64'));
    expect([mask.width, mask.height]).toEqual([48, 48]);
    expect(embedOf(result)?.description).toContain('Edit (masked): a blue sky');
    expect(rowsOf(result)[0]?.map((b) => b.label)).toContain('U1');
  });

  it('/animate attaches the clip as an MP4 under the embed, with U1–U4', async () => {
    stack = await startStack();
    const { fake, sim } = stack;
    const handle = fake.slash({
      name: 'animate',
      options: [{ name: 'image', type: 11 }, { name: 'prompt', type: 3, value: 'clouds drift' }, { name: 'motion', type: 3, value: 'high' }],
      attachments: [{ name: 'photo.png', bytes: userPng(48, 48), contentType: 'image/png' }],
    });
    const result = await resultOf(fake, handle);
    expect(simCalls(sim, '/mj/submit/video')[0]).toMatchObject({ prompt: 'clouds drift', motion: 'high' });
    const clip = clipOf(result);
    expect(clip?.contentType).toBe('video/mp4');
    expect(clip?.bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(embedOf(result)?.image).toBeUndefined();
    expect(embedOf(result)?.description).toContain('4 clips');
    expect(rowsOf(result).flat().map((b) => b.label)).toEqual(['U1', 'U2', 'U3', 'U4']);
  });
});
