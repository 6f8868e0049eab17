/**
 * Describe and shorten results tell the user what they can do: press a number where the number
 * buttons are there, copy a prompt into /imagine where the proxy hides them (new-api relays).
 */
import { afterEach, describe, expect, it } from 'vitest';
import describeCommand from '../../commands/describe.js';
import shorten from '../../commands/shorten.js';
import type { Flavour } from '../../src/mj/capabilities.js';
import { createCommandStack, pngImage, taskIdOf, user, type CommandStack } from './setup.js';

let stack: CommandStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const numbers = (rows: { label: string }[][]) => rows.flat().map((b) => b.label).filter((l) => /^\d\uFE0F?\u20E3$/u.test(l));

describe('describe and shorten texts', () => {
  it.each([['plus'], ['trueai']] as [Flavour][])('on %s: press a number to draw it', async (flavour) => {
    const s = (stack = await createCommandStack({ flavour }));
    const final = await s.finalOf(taskIdOf(await s.run(describeCommand, { image: pngImage() }, user('reader'))));
    expect(numbers(final.rows)).toEqual(['1️⃣', '2️⃣', '3️⃣', '4️⃣']);
    expect(final.detail).toMatch(/^Prompts for this image — press a number to draw it:\n\n1️⃣/);
  });

  it('behind a new-api relay (no number buttons): copy a prompt and draw it with /imagine, in both languages', async () => {
    const s = (stack = await createCommandStack({ flavour: 'newapi' }));
    const described = await s.finalOf(taskIdOf(await s.run(describeCommand, { image: pngImage() }, user('reader'))));
    expect(numbers(described.rows)).toEqual([]);
    expect(described.detail).toMatch(/^Prompts for this image — copy one and draw it with \/imagine \(this proxy has no number buttons\):\n\n1️⃣/);
    expect(described.detail).not.toMatch(/press a number/);

    const shortened = await s.finalOf(taskIdOf(await s.run(shorten, { prompt: 'a very detailed red fox in a misty forest' }, user('reader', 'zh'))));
    expect(numbers(shortened.rows)).toEqual([]);
    expect(shortened.detail).toMatch(/^精简后的提示词 — 复制一条，用 \/imagine 绘制（当前代理不提供数字按钮）：/);
  });
});
