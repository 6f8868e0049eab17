/**
 * /animate against the simulator in every flavour: a video result carries its clip (TaskView.video)
 * and the clip buttons where the flavour can press them; OSS answers "not available" at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import animate from '../../commands/animate.js';
import type { Flavour } from '../../src/mj/capabilities.js';
import { createCommandStack, pngImage, taskIdOf, user, type CommandStack } from './setup.js';

let stack: CommandStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const start = async (flavour: Flavour) => (stack = await createCommandStack({ flavour }));
const lastVideoBody = (s: CommandStack) => s.sim.requests.filter((r) => r.path.endsWith('/submit/video')).at(-1)?.body as Record<string, unknown>;

describe.each(['plus', 'trueai'] as Flavour[])('/animate on %s', (flavour) => {
  it('animates an image into a video whose clip loads, with U1–U4 to upscale one', async () => {
    const s = await start(flavour);
    const id = taskIdOf(await s.run(animate, { image: pngImage([10, 200, 90]), prompt: 'the grass sways', motion: 'high' }, user('animator')));
    expect(lastVideoBody(s)).toMatchObject({ prompt: 'the grass sways', motion: 'high', image: expect.stringMatching(/^http/) });
    const final = await s.finalOf(id);
    expect(final.video?.url).toMatch(/\/sim\/video\/\d+\/grid\.mp4/);
    expect(final.rows.flat().map((b) => b.label)).toEqual(['U1', 'U2', 'U3', 'U4']);
    expect(final.detail).toBe('4 clips — U1–U4 upscale one of them.');
    const clip = await s.service.loadVideo(final.video!);
    expect(clip.mime).toBe('video/mp4');
    expect(clip.fileName).toBe(`mj-${id}.mp4`);
  });

  it('takes --motion from the prompt over the option, and refuses a motion that is neither low nor high', async () => {
    const s = await start(flavour);
    taskIdOf(await s.run(animate, { image: pngImage(), prompt: 'smoke rises --motion HIGH', motion: 'low' }, user('animator')));
    expect(lastVideoBody(s)).toMatchObject({ prompt: 'smoke rises', motion: 'high' });
    const reply = await s.run(animate, { image: pngImage(), prompt: 'smoke rises --motion wild' }, user('animator', 'zh'));
    expect(reply).toMatchObject({ type: 'error', code: 'BAD_INPUT', text: '运动幅度只能是 low（低）或 high（高）。' });
  });
});

describe('/animate behind a new-api relay', () => {
  it('delivers the video, but without clip buttons the relay would refuse — and says nothing about them', async () => {
    const s = await start('newapi');
    const id = taskIdOf(await s.run(animate, { image: pngImage(), prompt: 'rain falls' }, user('animator')));
    expect(lastVideoBody(s)).toMatchObject({ motion: 'low' });
    const final = await s.finalOf(id);
    expect(final.video?.url).toMatch(/^http/);
    expect(final.rows).toEqual([]);
    expect(final.detail).toBeUndefined();
    expect((await s.service.loadVideo(final.video!)).mime).toBe('video/mp4');
  });
});

describe('/animate where the proxy has no video', () => {
  it('OSS answers "not available through this proxy or relay" and nothing is sent', async () => {
    const s = await start('oss');
    const reply = await s.run(animate, { image: pngImage(), prompt: 'rain falls' }, user('animator'));
    expect(reply).toMatchObject({ type: 'error', code: 'MJ_UNSUPPORTED', text: expect.stringMatching(/not available through the configured Midjourney proxy or relay/) });
    expect(s.sim.requests.filter((r) => r.method === 'POST')).toEqual([]);
  });
});
