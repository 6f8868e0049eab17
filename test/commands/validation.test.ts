import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import admin from '../../commands/admin.js';
import blend from '../../commands/blend.js';
import collab from '../../commands/collab.js';
import describeCommand from '../../commands/describe.js';
import faceswap from '../../commands/faceswap.js';
import imagine from '../../commands/imagine.js';
import seed from '../../commands/seed.js';
import settings from '../../commands/settings.js';
import shorten from '../../commands/shorten.js';
import task from '../../commands/task.js';
import type { Command, CommandInput } from '../../commands/types.js';
import { createCommandStack, pngImage, user, type CommandStack } from './setup.js';

let stack: CommandStack;

beforeAll(async () => {
  stack = await createCommandStack({ config: { MAX_IMAGE_BYTES: '4096' } });
});

afterAll(async () => {
  await stack.close();
});

/** Random pixels compress badly, so this 64×64 PNG is well over the 4 KiB cap. */
function noisyPng() {
  const png = new PNG({ width: 64, height: 64 });
  for (let i = 0; i < png.data.length; i++) png.data[i] = Math.floor(Math.random() * 256);
  return { bytes: new Uint8Array(PNG.sync.write(png)), name: 'noise.png' };
}

const text = { bytes: new TextEncoder().encode('just some text, not a picture'), name: 'notes.txt' };
const img = () => pngImage();

interface Case {
  what: string;
  command: Command;
  input: CommandInput;
  code: string;
  en: string;
  zh: string;
}

const cases: Case[] = [
  { what: 'imagine without a prompt', command: imagine, input: {}, code: 'BAD_INPUT', en: 'Please write a prompt: what should be drawn?', zh: '请输入提示词：想画什么？' },
  { what: 'imagine with only blanks and zero-width spaces', command: imagine, input: { prompt: ' \u200b \u00a0 ' }, code: 'BAD_INPUT', en: 'Please write a prompt', zh: '请输入提示词' },
  { what: 'imagine with a 4001-character prompt', command: imagine, input: { prompt: 'x'.repeat(4001) }, code: 'BAD_INPUT', en: 'The prompt is too long (max 4000 characters)', zh: '提示词太长（最多 4000 个字符）' },
  { what: 'imagine with four reference images', command: imagine, input: { prompt: 'a fox', images: [img(), img(), img(), img()] }, code: 'BAD_INPUT', en: 'Too many reference images: at most 3.', zh: '参考图太多：最多 3 张。' },
  { what: 'imagine with a text file as reference', command: imagine, input: { prompt: 'a fox', images: [text] }, code: 'IMAGE_INVALID', en: 'That file is not an image I can use', zh: '该文件不是可用的图片' },
  { what: 'imagine with a reference over the size cap', command: imagine, input: { prompt: 'a fox', images: [noisyPng()] }, code: 'IMAGE_TOO_LARGE', en: 'That image is too large', zh: '图片太大' },
  { what: 'blend with one image', command: blend, input: { images: [img()] }, code: 'BAD_INPUT', en: 'Blend needs at least 2 images; you sent 1.', zh: '融合至少需要 2 张图片，你发送了 1 张。' },
  { what: 'blend with no image', command: blend, input: {}, code: 'BAD_INPUT', en: 'Blend needs at least 2 images; you sent 0.', zh: '融合至少需要 2 张图片，你发送了 0 张。' },
  { what: 'blend with six images', command: blend, input: { images: [img(), img(), img(), img(), img(), img()] }, code: 'BAD_INPUT', en: 'Blend takes at most 5 images; you sent 6.', zh: '融合最多支持 5 张图片，你发送了 6 张。' },
  { what: 'blend with an unknown shape', command: blend, input: { images: [img(), img()], dimensions: 'round' }, code: 'BAD_INPUT', en: 'Unknown shape: choose portrait, square or landscape.', zh: '未知的形状：请选择竖图、方图或横图。' },
  { what: 'describe without an image', command: describeCommand, input: {}, code: 'BAD_INPUT', en: 'Describe needs one image: attach it, or give its https link.', zh: '描述需要一张图片：请附上图片，或提供图片的 https 链接。' },
  { what: 'describe with text instead of an image', command: describeCommand, input: { image: 'cat.png' }, code: 'BAD_INPUT', en: 'Describe needs one image: attach it, or give its https link.', zh: '描述需要一张图片：请附上图片，或提供图片的 https 链接。' },
  { what: 'shorten without a prompt', command: shorten, input: { prompt: '   ' }, code: 'BAD_INPUT', en: 'Please write a prompt', zh: '请输入提示词' },
  { what: 'faceswap with only the face', command: faceswap, input: { source: img() }, code: 'BAD_INPUT', en: 'Face swap needs two images: first the face, then the picture to put it on.', zh: '换脸需要两张图片：先发人脸图，再发要换脸的图。' },
  { what: 'seed before any image', command: seed, input: {}, code: 'BAD_INPUT', en: 'No image yet: draw one first, or give a task id.', zh: '还没有图片：请先绘制一张，或提供任务 ID。' },
  { what: 'describe with a link that is not http(s)', command: describeCommand, input: { image_url: 'file:///etc/passwd' }, code: 'BAD_INPUT', en: 'That is not an image link', zh: '这不是图片链接' },
  { what: 'task with an id too long', command: task, input: { id: 'x'.repeat(65) }, code: 'BAD_INPUT', en: 'Please give a task id', zh: '请提供任务 ID' },
  { what: 'task with an unknown id', command: task, input: { id: '999' }, code: 'BAD_INPUT', en: 'No such task: 999.', zh: '没有这个任务：999。' },
  { what: 'settings with an unknown speed', command: settings, input: { args: 'speed warp' }, code: 'BAD_INPUT', en: 'Unknown value "warp" for mode.', zh: 'mode 不支持取值 “warp”。' },
  { what: 'settings with an unknown field', command: settings, input: { args: 'colour red' }, code: 'BAD_INPUT', en: 'Usage: settings [mode fast|relax|turbo]', zh: '用法：settings [mode fast|relax|turbo]' },
];

describe('command input validation', () => {
  for (const c of cases) {
    for (const locale of ['en', 'zh'] as const) {
      it(`${c.what} is refused with a clear ${locale} message and nothing is sent to the proxy`, async () => {
        const before = stack.sim.requests.length;
        const reply = await stack.run(c.command, c.input, user(`val-${locale}`, locale));
        expect(reply).toMatchObject({ type: 'error', code: c.code });
        expect(reply.type === 'error' ? reply.text : '').toContain(c[locale]);
        expect(stack.sim.requests.slice(before).filter((r) => r.method === 'POST')).toEqual([]);
      });
    }
  }
});

describe('free-text options that are not text', () => {
  // Adapters only send strings and numbers; an object whose toString is not a function once threw here.
  it.each([
    ['collab', collab],
    ['admin', admin],
  ] as const)('/%s answers with a message instead of throwing', async (_name, command) => {
    const hostile = { toString: [] } as unknown as string;
    const reply = await stack.run(command, { args: hostile }, user('odd-input'));
    expect(['message', 'error']).toContain(reply.type);
  });
});
