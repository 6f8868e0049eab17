/**
 * Slash commands work right after `npm start`: the Discord adapter registers them when they differ
 * from the definitions, and only then — a restart with the same definitions writes nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { allCommands } from '../../commands/index.js';
import type { Command } from '../../commands/types.js';
import { createApp } from '../../src/app.js';
import { createDiscordAdapter } from '../../src/adapters/discord/index.js';
import { parseConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { startSimulator, type Simulator } from '../../src/sim/index.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/index.js';

let fake: FakeDiscord | undefined;
let sim: Simulator | undefined;
afterEach(async () => {
  await fake?.close();
  await sim?.close();
  fake = sim = undefined;
});

/** Start the bot's Discord side the way `npm start` does, then stop it again. */
async function startAndStop(opts: { commands?: readonly Command[]; guildId?: string } = {}): Promise<void> {
  const config = parseConfig({ DISCORD_TOKEN: fake!.token, DISCORD_API_BASE: fake!.apiBase, STORE_URL: 'memory://', MJ_BASE_URL: sim!.url, MJ_FLAVOUR: 'plus' });
  const app = await createApp(config, silentLogger(), { adapters: false });
  const adapter = createDiscordAdapter(app.adapterDeps('discord'), { token: fake!.token, apiBase: fake!.apiBase, ...opts });
  try {
    await adapter.start();
  } finally {
    await adapter.close();
    await app.close();
  }
}

const writes = (path: string) => fake!.requests.filter((r) => r.method === 'PUT' && r.path === path && r.status === 200);
const visible = allCommands.filter((c) => !c.hidden).map((c) => c.name);
const reworded = allCommands.map((c) => (c.name === 'imagine' ? { ...c, description: { en: 'Draw anything you describe', zh: '画出你描述的任何东西' } } : c));

describe('slash commands on start', () => {
  it('are written on the first start, not again on a restart, and once more when a definition changed', async () => {
    fake = await startFakeDiscord();
    sim = await startSimulator();
    const global = `/applications/${fake.applicationId}/commands`;

    await startAndStop();
    expect(writes(global)).toHaveLength(1);
    expect((fake.commands as { name: string }[]).map((c) => c.name)).toEqual(visible);

    await startAndStop();
    expect(writes(global)).toHaveLength(1);

    await startAndStop({ commands: reworded });
    expect(writes(global)).toHaveLength(2);
    const imagine = (fake.commands as { name: string; description: string; description_localizations?: Record<string, string> }[]).find((c) => c.name === 'imagine');
    expect(imagine?.description).toBe('Draw anything you describe');
    expect(imagine?.description_localizations?.['zh-CN']).toBe('画出你描述的任何东西');

    await startAndStop({ commands: reworded });
    expect(writes(global)).toHaveLength(2);
  });

  it('go to the DISCORD_GUILD_ID server only, when it is set', async () => {
    fake = await startFakeDiscord();
    sim = await startSimulator();
    await startAndStop({ guildId: fake.guildId });
    await startAndStop({ guildId: fake.guildId });
    expect(writes(`/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`)).toHaveLength(1);
    expect(writes(`/applications/${fake.applicationId}/commands`)).toHaveLength(0);
  });
});
