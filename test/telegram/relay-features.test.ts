/**
 * Telegram: /edit and /animate the way users send them (a reply to a photo, a photo with a
 * caption, a mask file as the reply), and video results delivered natively through the fake Bot
 * API: sendVideo with the clip, the clip buttons under it, and the still when the clip is gone.
 */
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makePng } from '../fakes/telegram/index.js';
import type { BotMessage } from '../fakes/telegram/index.js';
import { alice, button, buttonsOf, startHarness, waitForMessage, type Harness } from './harness.js';

const CHAT = alice.id;
const posts = (h: Harness, path: string) => h.sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith(path));
const isDone = (m: BotMessage) => Boolean(m.caption?.startsWith('✅'));

/** A black PNG with a white left half. */
function maskPng(size = 8): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) png.data.set(x < size / 2 ? [255, 255, 255, 255] : [0, 0, 0, 255], (y * size + x) * 4);
  return PNG.sync.write(png);
}

describe('Telegram: relay capabilities', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('/edit as a reply to a photo edits that photo; a mask file sent as the reply limits where', async () => {
    const photo = h.fake.sendPhoto({ chatId: CHAT, from: alice, png: makePng(32, 32, [200, 30, 30]) });
    h.fake.sendText({ chatId: CHAT, from: alice, text: '/edit make it blue', replyTo: photo.message_id });
    await waitForMessage(h.fake, CHAT, (m) => isDone(m) && m.caption!.includes('Edit: make it blue'), 'edited result');
    expect(posts(h, '/submit/edits').at(-1)?.body).toMatchObject({ prompt: 'make it blue', image: expect.stringMatching(/\/sim\/upload\//) });

    h.fake.sendDocument({ chatId: CHAT, from: alice, caption: '/edit a red hat', fileName: 'mask.png', mime: 'image/png', bytes: maskPng(), replyTo: photo.message_id });
    await waitForMessage(h.fake, CHAT, (m) => isDone(m) && m.caption!.includes('Edit (masked): a red hat'), 'masked result');
    const body = posts(h, '/submit/edits').at(-1)?.body as { image: string; maskBase64: string };
    // The photo replied to is the image (uploaded once, reused), the file is the mask at the photo's size.
    expect(posts(h, '/submit/upload-discord-images')).toHaveLength(1);
    const mask = PNG.sync.read(Buffer.from(body.maskBase64.split(',')[1]!, 'base64'));
    expect([mask.width, mask.height]).toEqual([32, 32]);
  });

  it('/animate with a photo delivers a video message with U1–U4; U1 gives one clip with Extend', async () => {
    h.fake.sendPhoto({ chatId: CHAT, from: alice, caption: '/animate the flag waves --motion high', png: makePng(32, 32, [20, 120, 220]) });
    const video = await waitForMessage(h.fake, CHAT, (m) => isDone(m) && Boolean(m.video), 'video result');
    expect(posts(h, '/submit/video').at(-1)?.body).toMatchObject({ prompt: 'the flag waves', motion: 'high' });
    expect(video.caption).toContain('Animate (High motion): the flag waves');
    expect(video.caption).toContain('4 clips');
    expect(video.video?.mime).toBe('video/mp4');
    expect(video.video?.bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
    expect(buttonsOf(video).map((b) => b.text)).toEqual(['U1', 'U2', 'U3', 'U4']);
    // Sent as a video: a new video message, or the preview photo edited into one (when a preview was shown first).
    const asVideo = (c: (typeof h.fake.calls)[number]) => c.method === 'sendVideo' || (c.method === 'editMessageMedia' && (c.params.media as { type?: string }).type === 'video');
    expect(h.fake.calls.filter((c) => asVideo(c) && c.response.ok)).toHaveLength(1);

    h.fake.pressButton({ chatId: CHAT, messageId: video.messageId, from: alice, data: button(video, 'U1').callback_data });
    const clip = await waitForMessage(h.fake, CHAT, (m) => isDone(m) && Boolean(m.video) && m.replyTo === video.messageId, 'upscaled clip');
    expect(buttonsOf(clip).map((b) => b.text)).toEqual(['🎞️ Extend (High motion)', '🎞️ Extend (Low motion)']);
    expect(clip.video?.bytes.equals(video.video!.bytes)).toBe(false);
  });

  it('a clip that cannot be downloaded leaves the still and says so, with the buttons', async () => {
    h.sim.failNext('GET /sim/video/', { status: 500, body: 'boom' }, 5);
    h.fake.sendPhoto({ chatId: CHAT, from: alice, caption: '/animate leaves fall', png: makePng(32, 32, [220, 160, 20]) });
    const still = await waitForMessage(h.fake, CHAT, (m) => isDone(m) && Boolean(m.photo), 'still with a note');
    expect(still.video).toBeUndefined();
    expect(still.caption).toContain('the video could not be loaded');
    expect(buttonsOf(still).map((b) => b.text)).toEqual(['U1', 'U2', 'U3', 'U4']);
  });

  it('inline parameters do on Telegram what the Discord choices do: --relax picks the relax path, --ar and --niji stay', async () => {
    h.fake.sendText({ chatId: CHAT, from: alice, text: '/imagine a paper boat --ar 16:9 --niji 6 --relax' });
    await waitForMessage(h.fake, CHAT, (m) => isDone(m) && m.caption!.includes('a paper boat'), 'result');
    const sent = posts(h, '/submit/imagine').at(-1);
    expect(sent?.path).toBe('/mj-relax/mj/submit/imagine');
    expect(sent?.body).toMatchObject({ prompt: 'a paper boat --ar 16:9 --niji 6 --relax' });
  });

  it('/edit without a photo says how to send one', async () => {
    h.fake.sendText({ chatId: CHAT, from: alice, text: '/edit make it blue' });
    await waitForMessage(h.fake, CHAT, (m) => m.text?.includes('/edit') === true && !m.photo && m.fromBot, 'needPhoto hint');
  });
});
