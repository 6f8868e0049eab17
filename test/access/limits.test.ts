/**
 * Who may draw and how much: allowlists, blocked users, the daily quota (successes only, with
 * the reset time), the per-user cap on jobs in flight, and admins being exempt — all through
 * the real service over the simulator.
 */
import { afterEach, describe, expect, it } from 'vitest';
import admin from '../../commands/admin.js';
import { createAccessStack, submittedPrompts, taskIdOf, textOf, type AccessStack } from './stack.js';

let stack: AccessStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe('allowlists and blocked users', () => {
  it('refuses a user who is on no allowlist, in English and in Chinese, without contacting the proxy', async () => {
    stack = await createAccessStack({ env: { ALLOW_USERS: 'console:friend' } });
    const s = stack;
    const en = await s.imagine(s.origin('stranger', { dm: true }), 'a cat');
    expect(en).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
    expect(textOf(en)).toMatch(/not allowed/i);
    const zh = await s.imagine(s.origin('stranger', { dm: true, locale: 'zh' }), 'a cat');
    expect(zh).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
    expect(textOf(zh)).toMatch(/无权/);
    expect(submittedPrompts(s.sim)).toEqual([]);

    const friend = await s.imagine(s.origin('friend', { dm: true }), 'a dog');
    expect((await s.finalOf(taskIdOf(friend))).phase).toBe('result');
    expect(submittedPrompts(s.sim)).toEqual(['a dog']);
  });

  it('lets everyone in an allowed chat draw, but not the same people elsewhere', async () => {
    stack = await createAccessStack({ env: { ALLOW_CHATS: 'console:group-1' } });
    const s = stack;
    expect((await s.imagine(s.origin('anyone'), 'in the group')).type).toBe('task');
    expect(await s.imagine(s.origin('anyone', { dm: true }), 'in a dm')).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
  });

  it('refuses a user an admin blocked, and lets them draw again once unblocked', async () => {
    stack = await createAccessStack({ env: { ADMIN_USERS: 'console:boss' } });
    const s = stack;
    const boss = s.origin('boss', { dm: true });
    expect(textOf(await s.run(admin, boss, { args: 'block console:troll' }))).toMatch(/console:troll is blocked/);
    expect(await s.imagine(s.origin('troll'), 'spam')).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
    expect(submittedPrompts(s.sim)).toEqual([]);
    expect(textOf(await s.run(admin, boss, { args: 'unblock console:troll' }))).toMatch(/unblocked/);
    expect((await s.imagine(s.origin('troll'), 'a nice picture')).type).toBe('task');
  });
});

describe('daily quota', () => {
  it('refuses the job after the quota with the UTC reset time, localized', async () => {
    // 21:30 UTC: the quota resets in 2 h 30 min.
    const now = () => Date.UTC(2030, 4, 1, 21, 30);
    stack = await createAccessStack({ env: { DAILY_QUOTA: '1' }, now });
    const s = stack;
    await s.finalOf(taskIdOf(await s.imagine(s.origin('u1'), 'first')));
    const refused = await s.imagine(s.origin('u1'), 'second');
    expect(refused).toMatchObject({ type: 'error', code: 'QUOTA_EXCEEDED' });
    expect(textOf(refused)).toContain('all 1 of your drawings for today are used');
    expect(textOf(refused)).toContain('2030-05-02 00:00 UTC');
    expect(textOf(refused)).toContain('in 2 h 30 min');
    const zh = textOf(await s.imagine(s.origin('u1', { locale: 'zh' }), 'second'));
    expect(zh).toContain('今日 1 次绘图额度已用完');
    expect(zh).toContain('2 小时 30 分钟');
    // Someone else still has their own quota.
    expect((await s.imagine(s.origin('u2'), 'other user')).type).toBe('task');
    expect(submittedPrompts(s.sim)).toEqual(['first', 'other user']);
  });

  it('does not count a failed job: the user can still draw afterwards', async () => {
    stack = await createAccessStack({ env: { DAILY_QUOTA: '1' } });
    const s = stack;
    s.sim.failTask('next');
    const failed = await s.finalOf(taskIdOf(await s.imagine(s.origin('u1'), 'doomed')));
    expect(failed.phase).toBe('failed');
    const ok = await s.finalOf(taskIdOf(await s.imagine(s.origin('u1'), 'retry')));
    expect(ok.phase).toBe('result');
    expect(await s.imagine(s.origin('u1'), 'one too many')).toMatchObject({ type: 'error', code: 'QUOTA_EXCEEDED' });
    expect(await s.gate.usage('console:u1')).toMatchObject({ used: 1, inFlight: 0 });
  });

  it('counts jobs still in progress, so a burst cannot overshoot the quota', async () => {
    stack = await createAccessStack({ env: { DAILY_QUOTA: '2', USER_MAX_RUNNING: '10' } });
    const s = stack;
    s.sim.pause();
    expect((await s.imagine(s.origin('u1'), 'one')).type).toBe('task');
    expect((await s.imagine(s.origin('u1'), 'two')).type).toBe('task');
    expect(await s.imagine(s.origin('u1'), 'three')).toMatchObject({ type: 'error', code: 'QUOTA_EXCEEDED' });
    s.sim.resume();
  });

  it('extra drawings granted by an admin are spent once the daily quota is used', async () => {
    stack = await createAccessStack({ env: { DAILY_QUOTA: '1', ADMIN_USERS: 'console:boss' } });
    const s = stack;
    await s.finalOf(taskIdOf(await s.imagine(s.origin('u1'), 'daily')));
    expect((await s.imagine(s.origin('u1'), 'blocked by quota')).type).toBe('error');
    const granted = textOf(await s.run(admin, s.origin('boss', { dm: true }), { args: 'grant console:u1 1' }));
    expect(granted).toMatch(/1 extra drawings granted; extra balance now 1\. Successful today: 1/);
    await s.finalOf(taskIdOf(await s.imagine(s.origin('u1'), 'bonus')));
    expect(await s.gate.usage('console:u1')).toMatchObject({ used: 2, extra: 0 });
    expect((await s.imagine(s.origin('u1'), 'no more')).type).toBe('error');
  });
});

describe('caps and admins', () => {
  it('refuses a user who already has the maximum number of jobs in flight, and accepts again when one ends', async () => {
    stack = await createAccessStack({ env: { USER_MAX_RUNNING: '2' } });
    const s = stack;
    s.sim.pause();
    const first = taskIdOf(await s.imagine(s.origin('u1'), 'one'));
    await s.imagine(s.origin('u1'), 'two');
    const refused = await s.imagine(s.origin('u1'), 'three');
    expect(refused).toMatchObject({ type: 'error', code: 'QUOTA_EXCEEDED' });
    expect(textOf(refused)).toContain('you already have 2 jobs in progress (at most 2 at a time)');
    expect((await s.imagine(s.origin('u2'), 'someone else')).type).toBe('task');
    s.sim.resume();
    await s.finalOf(first);
    expect((await s.imagine(s.origin('u1'), 'three again')).type).toBe('task');
  });

  it('lets bot admins past allowlists, quotas and caps', async () => {
    stack = await createAccessStack({ env: { ADMIN_USERS: 'console:boss', ALLOW_USERS: 'console:friend', DAILY_QUOTA: '1', USER_MAX_RUNNING: '1' } });
    const s = stack;
    const boss = s.origin('boss', { dm: true });
    await s.finalOf(taskIdOf(await s.imagine(boss, 'one')));
    s.sim.pause();
    expect((await s.imagine(boss, 'two')).type).toBe('task');
    expect((await s.imagine(boss, 'three')).type).toBe('task');
    s.sim.resume();
    expect(submittedPrompts(s.sim)).toEqual(['one', 'two', 'three']);
  });
});
