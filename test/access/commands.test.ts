/**
 * /admin, /queue, /collab and /gallery run against the real service and simulator with the
 * access gate plugged in.
 */
import { afterEach, describe, expect, it } from 'vitest';
import admin from '../../commands/admin.js';
import collab from '../../commands/collab.js';
import gallery from '../../commands/gallery.js';
import queue from '../../commands/queue.js';
import { button } from '../core/harness.js';
import { createAccessStack, submittedPrompts, taskIdOf, textOf, until, type AccessStack } from './stack.js';

let stack: AccessStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe('/admin', () => {
  it('is refused to anyone who is not a bot admin', async () => {
    stack = await createAccessStack({ env: { ADMIN_USERS: 'console:boss' } });
    const reply = await stack.run(admin, stack.origin('u1'), { args: 'stats' });
    expect(reply).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
    expect(textOf(reply)).toBe('Only bot admins can use /admin.');
  });

  it("shows today's tasks, successes, failures and the top users", async () => {
    stack = await createAccessStack({ env: { ADMIN_USERS: 'console:boss' } });
    const s = stack;
    await s.finalOf(taskIdOf(await s.imagine(s.origin('u1'), 'one')));
    await s.finalOf(taskIdOf(await s.imagine(s.origin('u1'), 'two')));
    s.sim.failTask('next');
    await s.finalOf(taskIdOf(await s.imagine(s.origin('u2'), 'fails')));
    await s.finalOf(taskIdOf(await s.imagine(s.origin('u2'), 'three')));
    const reply = await s.run(admin, s.origin('boss', { dm: true }), { args: 'stats' });
    expect(reply).toMatchObject({ type: 'message', ephemeral: true });
    const text = textOf(reply);
    expect(text).toMatch(/4 tasks submitted, 3 succeeded, 1 failed, 0 refused by the proxy\. Running now: 0/);
    expect(text).toContain('1. User u1 (console:u1): 2 succeeded');
    expect(text).toContain('2. User u2 (console:u2): 1 succeeded');
    const zh = textOf(await s.run(admin, s.origin('boss', { dm: true, locale: 'zh' }), { args: 'stats' }));
    expect(zh).toContain('成功 3 个，失败 1 个');
  });

  it('lists running tasks in every chat and explains bad arguments', async () => {
    stack = await createAccessStack({ env: { ADMIN_USERS: 'console:boss' } });
    const s = stack;
    const boss = s.origin('boss', { dm: true });
    expect(textOf(await s.run(admin, boss, { args: 'running' }))).toBe('No tasks are running.');
    s.sim.pause();
    await s.imagine(s.origin('u1'), 'slow painting');
    expect(textOf(await s.run(admin, boss, { args: 'running' }))).toMatch(/Running tasks \(1\):\n• User u1 \(console:u1\) in console:group-1: slow painting — /);
    s.sim.resume();
    expect(textOf(await s.run(admin, boss, { args: 'grant console:u1 lots' }))).toContain('“lots” is not a whole number');
    expect(textOf(await s.run(admin, boss, { args: 'block bob' }))).toContain('“bob” is not a user id');
    expect(textOf(await s.run(admin, boss, {}))).toMatch(/^Usage: \/admin stats/);
  });
});

describe('/queue', () => {
  it('shows who is drawing what and who waits in this chat, in English and Chinese', async () => {
    stack = await createAccessStack({ env: { CHAT_MAX_RUNNING: '1' } });
    const s = stack;
    expect(textOf(await s.run(queue, s.origin('x')))).toBe('Nobody is drawing in this chat right now.');
    s.sim.pause();
    const first = s.imagine(s.origin('a'), 'a sunset');
    await until(() => submittedPrompts(s.sim).length === 1, 'first submit');
    const second = s.imagine(s.origin('b'), 'a forest');
    await until(async () => (await s.gate.chatQueue(s.origin('x').chat)).waiting.length === 1, 'second waiting');
    const text = textOf(await s.run(queue, s.origin('x')));
    expect(text).toMatch(/🎨 Drawing now \(1\/1\):\n• User a: a sunset — /);
    expect(text).toContain('⏳ Waiting (1):\n1. User b: a forest');
    const zh = textOf(await s.run(queue, s.origin('x', { locale: 'zh' })));
    expect(zh).toContain('正在绘制（1/1）');
    expect(zh).toContain('1. User b：a forest');
    // Another chat's line is not shown here.
    expect(textOf(await s.run(queue, s.origin('x', { dm: true })))).toBe('Nobody is drawing in this chat right now.');
    s.sim.resume();
    await s.finalOf(taskIdOf(await first));
    await s.finalOf(taskIdOf(await second));
  });
});

describe('/collab', () => {
  it("lets a chat admin switch on collaborative mode, after which another member may press the requester's buttons", async () => {
    stack = await createAccessStack();
    const s = stack;
    const owner = s.origin('owner');
    const member = s.origin('member');
    const grid = await s.finalOf(taskIdOf(await s.imagine(owner, 'a shared castle')));
    expect(await s.service.press(button(grid, 'U1'), member)).toMatchObject({ type: 'error', code: 'NOT_OWNER' });

    const refused = await s.run(collab, member, { args: 'on' });
    expect(refused).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
    expect(textOf(refused)).toBe('Only chat admins can switch collaborative mode.');

    expect(textOf(await s.run(collab, s.origin('mod', { chatAdmin: true }), { args: 'on' }))).toMatch(/Collaborative mode is on/);
    const upscale = await s.service.press(button(grid, 'U1'), member);
    expect((await s.finalOf(taskIdOf(upscale))).phase).toBe('result');

    expect(textOf(await s.run(collab, s.origin('mod', { chatAdmin: true, locale: 'zh' }), { args: 'off' }))).toContain('已关闭协作模式');
    expect(await s.service.press(button(grid, 'U2'), member)).toMatchObject({ type: 'error', code: 'NOT_OWNER' });
  });
});

describe('/gallery', () => {
  it("shows this chat's finished images, newest first, and leaves out failures and other chats", async () => {
    stack = await createAccessStack();
    const s = stack;
    expect(textOf(await s.run(gallery, s.origin('a')))).toBe('No images were finished in this chat in the last 24 hours.');
    const red = taskIdOf(await s.imagine(s.origin('a'), 'a red kite'));
    await s.finalOf(red);
    s.sim.failTask('next');
    await s.finalOf(taskIdOf(await s.imagine(s.origin('c'), 'a grey failure')));
    const blue = taskIdOf(await s.imagine(s.origin('b'), 'a blue whale'));
    const blueView = await s.finalOf(blue);
    await s.finalOf(taskIdOf(await s.imagine(s.origin('d', { dm: true }), 'a private picture')));

    const reply = await s.run(gallery, s.origin('z'));
    if (reply.type !== 'message') throw new Error(JSON.stringify(reply));
    expect(reply.images?.map((i) => i.taskId)).toEqual([blue, red]);
    expect(reply.images?.[0]?.url).toBe(blueView.image?.url);
    expect(reply.text).toBe('🖼 Latest 2 images from this chat (last 24 h):\n1. User b: a blue whale\n2. User a: a red kite');
    const bytes = await s.service.loadImage(reply.images![1]!);
    expect(bytes.bytes.length).toBeGreaterThan(100);
  });
});

describe('command definitions', () => {
  it('use lowercase names and descriptions within the 100-character platform limit', () => {
    for (const command of [admin, collab, gallery, queue]) {
      expect(command.name).toMatch(/^[a-z0-9_]{1,32}$/);
      for (const text of [command.description, ...command.options.map((o) => o.description)]) {
        expect(text.en.length).toBeLessThanOrEqual(100);
        expect(text.zh.length).toBeLessThanOrEqual(100);
        expect(text.en).not.toMatch(/^\w+\.\w+$/); // a missing translation key would come back as the key
      }
    }
  });
});
