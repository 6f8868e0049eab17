/** Slash command registration, bad input, localization and oversized results on Discord. */
import { afterEach, describe, expect, it } from 'vitest';
import { allCommands } from '../../commands/index.js';
import { toSlashCommands } from '../../src/adapters/discord/commands.js';
import { deployCommands } from '../../src/adapters/discord/deploy.js';
import { parseConfig } from '../../src/config.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/index.js';
import { embedOf, resultOf, simCalls, startStack, type DiscordStack } from './harness.js';

let stack: DiscordStack | undefined;
let fake: FakeDiscord | undefined;
afterEach(async () => {
  await stack?.close();
  await fake?.close();
  stack = fake = undefined;
});

interface SlashOption {
  name: string;
  type: number;
  required?: boolean;
  description_localizations?: Record<string, string>;
  choices?: { name_localizations?: Record<string, string> }[];
}
interface SlashCommand {
  name: string;
  description_localizations?: Record<string, string>;
  options?: SlashOption[];
}

describe('Discord slash commands', () => {
  it('deploy-commands registers every visible command for the guild, accepted by Discord’s validation, with Chinese texts', async () => {
    fake = await startFakeDiscord();
    const config = parseConfig({ DISCORD_TOKEN: fake.token, DISCORD_API_BASE: fake.apiBase, DISCORD_GUILD_ID: fake.guildId });
    const result = await deployCommands(config);
    expect(result.scope).toBe('guild');
    const registered = fake.commands as SlashCommand[];
    const visible = allCommands.filter((c) => !c.hidden).map((c) => c.name);
    expect(registered.map((c) => c.name)).toEqual(visible);
    expect(registered.map((c) => c.name)).not.toContain('start');
    expect(fake.requests.some((r) => r.method === 'PUT' && r.path === `/applications/${fake!.applicationId}/guilds/${fake!.guildId}/commands` && r.status === 200)).toBe(true);
    for (const c of registered) {
      expect(c.description_localizations?.['zh-CN']).toBeTruthy();
      for (const o of c.options ?? []) expect(o.description_localizations?.['zh-CN']).toBeTruthy();
      // Discord wants required options first.
      const required = (c.options ?? []).map((o) => o.required === true);
      expect(required).toEqual([...required].sort((a, b) => Number(b) - Number(a)));
    }
    const blend = registered.find((c) => c.name === 'blend');
    const attachments = (blend?.options ?? []).filter((o) => o.type === 11);
    expect(attachments.map((o) => o.name).slice(0, 3)).toEqual(['images1', 'images2', 'images3']);
    expect(attachments.filter((o) => o.required).map((o) => o.name)).toEqual(['images1', 'images2']);
    const dims = blend?.options?.find((o) => o.name === 'dimensions');
    expect(dims?.choices?.every((ch) => ch.name_localizations?.['zh-CN'])).toBe(true);
  });

  it('the slash command list stays within Discord’s counts (25 options, 100-character descriptions)', () => {
    for (const c of toSlashCommands(allCommands)) {
      expect(c.options?.length ?? 0).toBeLessThanOrEqual(25);
      expect(c.description.length).toBeLessThanOrEqual(100);
      expect(c.name).toMatch(/^[a-z0-9_-]{1,32}$/);
    }
  });

  it('a blank prompt is answered privately in the user’s language, and the public “thinking” reply disappears', async () => {
    stack = await startStack();
    const handle = stack.fake.slash({ name: 'imagine', options: [{ name: 'prompt', type: 3, value: '   ' }], locale: 'zh-CN' });
    await stack.fake.waitUntil(() => handle.ephemeralReplies().length > 0, 3000, 'error reply');
    expect(handle.responses[0]?.type).toBe(5);
    expect(handle.ephemeralReplies()[0]?.content).toBe('请输入提示词：想画什么？');
    expect(stack.fake.message(handle.originalMessageId ?? '')).toBeUndefined();
    expect(simCalls(stack.sim, '/mj/submit/imagine')).toHaveLength(0);
  });

  it('a result larger than the server’s upload limit is scaled down to fit instead of failing', async () => {
    const limit = 1_500;
    stack = await startStack({ fake: { attachmentSizeLimit: limit } });
    const handle = stack.fake.slash({ name: 'imagine', options: [{ name: 'prompt', type: 3, value: 'a detailed city' }] });
    const result = await resultOf(stack.fake, handle);
    const original = await fetch(stack.sim.tasks().at(-1)?.imageUrl ?? '');
    const originalSize = (await original.arrayBuffer()).byteLength;
    expect(originalSize).toBeGreaterThan(limit);
    const attached = result.attachments[0]!;
    expect(attached.size).toBeLessThanOrEqual(limit);
    expect(attached.bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(embedOf(result)?.image?.url).toBe(`attachment://${attached.filename}`);
  });
});
