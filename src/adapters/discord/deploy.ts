/**
 * `npm run deploy-commands`: register the slash commands — for DISCORD_GUILD_ID when set
 * (instant, for testing), else globally (may take a while to show everywhere).
 */
import { pathToFileURL } from 'node:url';
import { REST, Routes, type APIApplication } from 'discord.js';
import { allCommands } from '../../../commands/index.js';
import type { Command } from '../../../commands/types.js';
import { loadConfig, type Config } from '../../config.js';
import { ConfigError, isBotError } from '../../errors.js';
import { toSlashCommands } from './commands.js';
import { makeRequest } from './http.js';

export interface DeployResult {
  scope: 'global' | 'guild';
  applicationId: string;
  guildId?: string;
  names: string[];
}

/** PUT the slash commands for `config`'s application (bulk overwrite: removed commands disappear). */
export async function deployCommands(config: Config, commands: Command[] = allCommands): Promise<DeployResult> {
  if (!config.DISCORD_TOKEN) throw new ConfigError('DISCORD_TOKEN is required to deploy slash commands');
  const rest = new REST({ makeRequest, ...(config.DISCORD_API_BASE ? { api: config.DISCORD_API_BASE } : {}) }).setToken(config.DISCORD_TOKEN);
  const application = (await rest.get(Routes.currentApplication())) as APIApplication;
  const body = toSlashCommands(commands);
  const guildId = config.DISCORD_GUILD_ID;
  const route = guildId ? Routes.applicationGuildCommands(application.id, guildId) : Routes.applicationCommands(application.id);
  const saved = (await rest.put(route, { body })) as { name: string }[];
  return { scope: guildId ? 'guild' : 'global', applicationId: application.id, guildId, names: saved.map((c) => c.name) };
}

async function main(): Promise<void> {
  try {
    const result = await deployCommands(await loadConfig());
    const where = result.scope === 'guild' ? `guild ${result.guildId}` : 'all guilds (global; may take up to an hour to appear)';
    console.log(`Registered ${result.names.length} slash commands for ${where}: ${result.names.map((n) => `/${n}`).join(' ')}`);
  } catch (err) {
    console.error(isBotError(err) ? err.message : err);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
