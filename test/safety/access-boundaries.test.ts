/**
 * Access boundaries, tried as an attacker would: ids of other people's tasks, the same user id on
 * another platform, hostile ids from a proxy, and config lists that silently match nobody.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import seed from '../../commands/seed.js';
import task from '../../commands/task.js';
import { parseConfig } from '../../src/config.js';
import { isBotError } from '../../src/errors.js';
import { TaskSchema } from '../../src/mj/schemas.js';
import type { Origin, Reply } from '../../src/core/domain/types.js';
import { ConsoleScreen } from '../../src/adapters/console/presenter.js';
import { createCommandStack, taskIdOf, type CommandStack } from '../commands/setup.js';
import { mockProxy } from '../mj/mock-proxy.js';

let stack: CommandStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const origin = (platform: Origin['chat']['platform'], userId: string, chatId: string, isGroup: boolean): Origin => ({
  chat: { platform, chatId, isGroup },
  actor: { userId, name: `User ${userId}`, locale: 'en' },
});

/** Everything a reply shows: its text, image and buttons. */
const shown = (reply: Reply) => JSON.stringify(reply);

async function victimResult(s: CommandStack, victim: Origin, prompt: string): Promise<{ id: string; payload: string }> {
  const id = taskIdOf(await s.service.submit(victim, { kind: 'imagine', prompt }, prompt));
  const final = await s.finalOf(id);
  return { id, payload: final.rows[0]![0]!.payload };
}

describe('a task is shown only in its chat, or to its owner', () => {
  it.each([
    ['buttons are not owner-only', { OWNER_ONLY_BUTTONS: 'false' }, false],
    ['the victim’s chat is collaborative', {}, true],
  ] as const)('when %s, /task, /seed and a press from another chat learn nothing and do nothing', async (_what, env, collab) => {
    const s = (stack = await createCommandStack({ config: env }));
    const victim = origin('console', 'victim', 'group-1', true);
    if (collab) await s.service.setCollaborative(victim.chat, true);
    const { id, payload } = await victimResult(s, victim, 'a secret garden plan');
    const attacker = origin('console', 'attacker', 'dm-attacker', false);

    const asTask = await s.run(task, { id }, attacker);
    const unknown = await s.run(task, { id: '1234567890123456' }, attacker);
    expect(asTask).toEqual({ ...unknown, text: unknown.type === 'error' ? unknown.text.replace('1234567890123456', id) : '' });
    expect(shown(asTask)).not.toContain('secret garden');

    const asSeed = await s.run(seed, { task: id }, attacker);
    expect(asSeed.type).toBe('error');
    expect(shown(asSeed)).toContain('No such task');

    const actions = s.sim.requests.filter((r) => r.path.endsWith('/submit/action')).length;
    const press = await s.service.press(payload, attacker);
    expect(press.type).toBe('error');
    expect(shown(press)).not.toContain('secret garden');
    expect(s.sim.requests.filter((r) => r.path.endsWith('/submit/action'))).toHaveLength(actions);

    // In the victim's own chat another member still sees it, and (collaborative or not owner-only) may press.
    const member = origin('console', 'member', 'group-1', true);
    expect(shown(await s.run(task, { id }, member))).toContain('secret garden');
    expect((await s.service.press(payload, member)).type).toBe('task');
  });

  it('the owner sees their own task, with its buttons, from any chat', async () => {
    const s = (stack = await createCommandStack());
    const owner = origin('console', 'owner', 'group-1', true);
    const { id } = await victimResult(s, owner, 'my own lighthouse');
    const elsewhere = await s.run(task, { id }, origin('console', 'owner', 'dm-owner', false));
    expect(shown(elsewhere)).toContain('my own lighthouse');
    expect(elsewhere.type === 'message' ? elsewhere.rows?.flat().length : 0).toBeGreaterThan(0);
  });

  it('a group member who may not press sees the task without buttons', async () => {
    const s = (stack = await createCommandStack());
    const { id } = await victimResult(s, origin('console', 'owner', 'group-1', true), 'a shared sketch');
    const member = await s.run(task, { id }, origin('console', 'member', 'group-1', true));
    expect(shown(member)).toContain('a shared sketch');
    expect(member.type === 'message' ? (member.rows ?? []).flat() : ['?']).toEqual([]);
  });
});

describe('owners are matched by platform and user id', () => {
  it('a Telegram user whose id equals a Discord-side owner’s id is a stranger', async () => {
    const s = (stack = await createCommandStack({ config: { OWNER_ONLY_BUTTONS: 'false' } }));
    const owner = origin('console', '4242', 'group-1', true);
    const { id, payload } = await victimResult(s, owner, 'a cross platform secret');
    const namesake = origin('telegram', '4242', '4242', false);
    expect(shown(await s.run(task, { id }, namesake))).not.toContain('cross platform secret');
    const actions = s.sim.requests.filter((r) => r.path.endsWith('/submit/action')).length;
    expect((await s.service.press(payload, namesake)).type).toBe('error');
    expect(s.sim.requests.filter((r) => r.path.endsWith('/submit/action'))).toHaveLength(actions);
  });
});

describe('ids from the proxy are checked before they are used', () => {
  const hostile = ['..', '..', '..', '..', 'tmp', 'x', 'PWNED'].join('/');

  it('a submit answered with a path as its task id is a bad response, not a task', async () => {
    const proxy = mockProxy();
    try {
      proxy.on('POST', '/mj/submit/imagine', 200, { code: 1, description: 'ok', result: hostile, properties: {} });
      await expect(proxy.client().imagine({ prompt: 'cat' })).rejects.toMatchObject({ code: 'MJ_BAD_RESPONSE' });
      proxy.on('POST', '/mj/task/list-by-condition', 200, [{ id: hostile, status: 'SUCCESS' }, { id: '1700000000000001', status: 'SUCCESS' }]);
      expect((await proxy.client().listByCondition(['1700000000000001'])).map((t) => t.id)).toEqual(['1700000000000001']);
    } finally {
      await proxy.close();
    }
  });

  it('a task snapshot (fetch, list or notify body) with such an id does not parse', () => {
    expect(TaskSchema.safeParse({ id: hostile, status: 'SUCCESS' }).success).toBe(false);
    expect(TaskSchema.safeParse({ id: 'a'.repeat(65), status: 'SUCCESS' }).success).toBe(false);
    expect(TaskSchema.safeParse({ id: 1700000000000001, status: 'SUCCESS' }).data?.id).toBe('1700000000000001');
  });

  it('the console never writes outside its output folder, whatever id it is handed', async () => {
    const s = (stack = await createCommandStack());
    const id = taskIdOf(await s.service.submit(origin('console', 'u', 'c', false), { kind: 'imagine', prompt: 'a real image' }, 'a real image'));
    const url = (await s.finalOf(id)).image!.url;
    const root = mkdtempSync(join(tmpdir(), 'mjbot-out-'));
    try {
      const out = join(root, 'a', 'b', 'output');
      const written: string[] = [];
      const screen = new ConsoleScreen({ write: (t: string) => written.push(t) } as unknown as NodeJS.WritableStream, s.service, out);
      const line = await screen.imageLine({ url, taskId: ['..', '..', '..', 'PWNED'].join('/') }, 'en');
      expect(line).toMatch(/could not be saved/);
      expect(readdirSync(root)).toEqual([]);
      expect(existsSync(join(root, 'PWNED.png'))).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('user and chat lists in the config', () => {
  const configError = (env: Record<string, string>): string => {
    try {
      parseConfig(env);
    } catch (err) {
      if (isBotError(err)) return err.message;
      throw err;
    }
    throw new Error('expected a config error');
  };

  it('refuses entries without a platform, with spaces inside, or with ids of the wrong form, naming each', () => {
    const message = configError({ ADMIN_USERS: 'telegram: 123,12345', ALLOW_USERS: 'discord:abc,telegram:77', ALLOW_CHATS: '-100123' });
    expect(message).toContain('ADMIN_USERS: "telegram: 123" is not one of');
    expect(message).toContain('ADMIN_USERS: "12345" is not one of');
    expect(message).toContain('ALLOW_USERS: "discord:abc"');
    expect(message).not.toContain('telegram:77');
    expect(message).toContain('ALLOW_CHATS: "-100123"');
    expect(configError({ ALLOW_GUILDS: 'my-guild' })).toContain('ALLOW_GUILDS: "my-guild" is not a Discord id');
  });

  it('accepts well-formed lists, trimmed', () => {
    const config = parseConfig({ ADMIN_USERS: ' telegram:123 , discord:456789012345678901 ,console:boss', ALLOW_CHATS: 'telegram:-100123', ALLOW_GUILDS: 'discord:42, 43' });
    expect(config.ADMIN_USERS).toEqual(['telegram:123', 'discord:456789012345678901', 'console:boss']);
    expect(config.ALLOW_CHATS).toEqual(['telegram:-100123']);
    expect(config.ALLOW_GUILDS).toEqual(['42', '43']);
  });
});

describe('the visibility rule, as a property', () => {
  it('no origin outside the rule ever gets a prompt, an image, a button or a seed, or starts work', async () => {
    const s = (stack = await createCommandStack({ config: { ADMIN_USERS: 'console:admin' } }));
    const owners = [origin('console', 'u1', 'group-1', true), origin('console', 'u2', 'group-2', true), origin('console', 'u3', 'dm-u3', false)];
    const tasks = await Promise.all(owners.map(async (o, i) => ({ owner: o, ...(await victimResult(s, o, `hidden prompt ${i}`)) })));
    await s.service.setCollaborative(owners[1]!.chat, true);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...tasks.keys()),
        fc.constantFrom('console', 'telegram', 'discord'),
        fc.constantFrom('u1', 'u2', 'u3', 'admin', '42'),
        fc.constantFrom('group-1', 'group-2', 'dm-u3', 'elsewhere'),
        async (which, platform, userId, chatId) => {
          const t = tasks[which]!;
          const who = origin(platform as Origin['chat']['platform'], userId, chatId, chatId.startsWith('group'));
          const visible =
            (platform === t.owner.chat.platform && chatId === t.owner.chat.chatId) ||
            (platform === 'console' && userId === t.owner.actor.userId) ||
            (platform === 'console' && userId === 'admin');
          const actions = s.sim.requests.filter((r) => r.path.endsWith('/submit/action') || r.path.endsWith('/image-seed')).length;
          const answers = [await s.run(task, { id: t.id }, who), await s.run(seed, { task: t.id }, who), await s.service.press(t.payload, who)];
          if (visible) return;
          for (const answer of answers) {
            expect(answer.type).toBe('error');
            expect(shown(answer)).not.toContain(`hidden prompt ${which}`);
          }
          expect(s.sim.requests.filter((r) => r.path.endsWith('/submit/action') || r.path.endsWith('/image-seed'))).toHaveLength(actions);
        },
      ),
      { numRuns: 60 },
    );
  });
});
