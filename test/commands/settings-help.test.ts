import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import help from '../../commands/help.js';
import { allCommands, findCommand } from '../../commands/index.js';
import settings from '../../commands/settings.js';
import start from '../../commands/start.js';
import type { ButtonView, Reply } from '../../src/core/domain/types.js';
import { createCommandStack, textOf, user, type CommandStack } from './setup.js';

let stack: CommandStack;

beforeAll(async () => {
  stack = await createCommandStack();
});

afterAll(async () => {
  await stack.close();
});

function rowsOf(reply: Reply): ButtonView[][] {
  if (reply.type !== 'message' || !reply.rows) throw new Error(`expected a menu, got ${JSON.stringify(reply)}`);
  return reply.rows;
}

function buttonNamed(reply: Reply, label: string): ButtonView {
  const found = rowsOf(reply).flat().find((b) => b.label.replace(/^✓ /, '') === label);
  if (!found) throw new Error(`no "${label}" in ${JSON.stringify(rowsOf(reply).map((r) => r.map((b) => b.label)))}`);
  return found;
}

describe('settings menu', () => {
  it('fits chat limits: at most 5 rows of 5 buttons, payloads within Telegram’s 64 bytes', async () => {
    const rows = rowsOf(await stack.run(settings, {}, user('limits')));
    expect(rows.length).toBeLessThanOrEqual(5);
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(5);
    for (const b of rows.flat()) expect(Buffer.byteLength(b.payload)).toBeLessThanOrEqual(64);
  });

  it('stores the speed chosen with a button and marks it as the current choice', async () => {
    const me = user('presser');
    const menu = await stack.run(settings, {}, me);
    expect(buttonNamed(menu, 'Relax')).toMatchObject({ label: 'Relax', style: 'secondary' });
    const after = await stack.service.press(buttonNamed(menu, 'Relax').payload, me);
    expect(after).toMatchObject({ type: 'message', replace: true });
    expect(buttonNamed(after, 'Relax')).toMatchObject({ label: '✓ Relax', style: 'primary' });
    expect(textOf(after)).toContain('Speed: Relax');
    expect((await stack.service.settingsOf(user('presser'))).mode).toBe('relax');
  });

  it('sets and clears the default aspect ratio with buttons', async () => {
    const me = user('ratio');
    const menu = await stack.run(settings, {}, me);
    await stack.service.press(buttonNamed(menu, '16:9').payload, me);
    expect((await stack.service.settingsOf(user('ratio'))).aspect).toBe('16:9');
    const cleared = await stack.service.press(buttonNamed(menu, 'Any ratio').payload, me);
    expect((await stack.service.settingsOf(user('ratio'))).aspect).toBeUndefined();
    expect(buttonNamed(cleared, 'Any ratio').label).toBe('✓ Any ratio');
  });

  it('switches the menu to Chinese when 中文 is pressed', async () => {
    const me = user('switcher');
    const menu = await stack.run(settings, {}, me);
    const after = await stack.service.press(buttonNamed(menu, '中文').payload, me);
    expect(textOf(after)).toContain('⚙️ 你的设置');
    expect(textOf(after)).toContain('语言：中文');
    expect(await stack.service.localeOf(me)).toBe('zh');
  });

  it('changes only the settings of whoever presses the button', async () => {
    const menu = await stack.run(settings, {}, user('menu-owner', 'en', true));
    await stack.service.press(buttonNamed(menu, 'Niji').payload, user('other', 'en', true));
    expect((await stack.service.settingsOf(user('other'))).bot).toBe('niji');
    expect((await stack.service.settingsOf(user('menu-owner'))).bot).toBe('mj');
  });

  it('refuses a tampered settings button', async () => {
    const me = user('forger');
    const payload = buttonNamed(await stack.run(settings, {}, me), 'Turbo').payload;
    const forged = payload.replace(/turbo$/, 'fast');
    expect(forged).not.toBe(payload);
    expect(await stack.service.press(forged, me)).toMatchObject({ type: 'error', code: 'BUTTON_INVALID' });
    expect((await stack.service.settingsOf(user('forger'))).mode).toBeUndefined();
  });

  it('accepts typed settings like "mode turbo ar 9:16 v 7 lang zh"', async () => {
    const reply = await stack.run(settings, { args: 'mode turbo ar 9:16 v 7 lang zh' }, user('typist'));
    expect(await stack.service.settingsOf(user('typist'))).toMatchObject({ mode: 'turbo', aspect: '9:16', version: '7', locale: 'zh' });
    expect(textOf(reply)).toContain('✅ 已保存。');
    expect(buttonNamed(reply, '9:16').label).toBe('✓ 9:16');
  });
});

describe('help and the command list', () => {
  it('lists the visible commands in the user’s language and explains buttons', async () => {
    const en = textOf(await stack.run(help, {}, user('reader')));
    expect(en).toContain('/imagine — Draw an image from a prompt');
    expect(en).toContain('/blend — Blend 2 to 5 images into a new one');
    expect(en).toContain('U1–U4 upscale one image');
    expect(en).not.toContain('/start');
    const zh = textOf(await stack.run(help, {}, user('reader-zh', 'zh')));
    expect(zh).toContain('/imagine — 根据提示词绘图');
    expect(zh).toContain('U1–U4 放大单张图片');
  });

  it('greets on /start before the help', async () => {
    const text = textOf(await stack.run(start, {}, user('newcomer')));
    expect(text.split('\n')[0]).toBe('👋 Welcome! I draw images with Midjourney.');
    expect(text).toContain('/settings — ');
  });

  it('finds commands by name whatever the case or a leading slash', () => {
    expect(findCommand('IMAGINE')?.name).toBe('imagine');
    expect(findCommand('/seed')?.name).toBe('seed');
    expect(findCommand('nope')).toBeUndefined();
  });

  it('keeps names and descriptions within Discord and Telegram limits, in both languages', () => {
    for (const command of allCommands) {
      expect(command.name).toMatch(/^[a-z0-9_]{1,32}$/);
      for (const text of [command.description, ...command.options.map((o) => o.description)]) {
        for (const value of [text.en, text.zh]) {
          expect(value.length).toBeGreaterThan(0);
          expect(value.length).toBeLessThanOrEqual(100);
          expect(value).not.toMatch(/^cmd\./);
        }
      }
      for (const option of command.options) expect(option.name).toMatch(/^[a-z0-9_]{1,32}$/);
    }
  });
});
