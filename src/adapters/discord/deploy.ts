/**
 * `npm run deploy-commands`: register the slash commands — for DISCORD_GUILD_ID when set
 * (instant, for testing), else globally (may take a while to show everywhere). The bot also
 * registers them itself on start when they differ; this is the manual, always-writing way.
 * A failure is one line (never the token or a request body) and exit code 1.
 */
import { pathToFileURL } from 'node:url';
import { REST, Routes, type APIApplication } from 'discord.js';
import { allCommands } from '../../../commands/index.js';
import type { Command } from '../../../commands/types.js';
import { loadConfig, type Config } from '../../config.js';
import { ConfigError, StartupError } from '../../errors.js';
import { secretValues } from '../../log.js';
import { startupLine, STARTUP_TIMEOUTS, withTimeout } from '../../startup.js';
import { commandsRoute } from './command-sync.js';
import { toSlashCommands } from './commands.js';
import { startupFailure } from './connection.js';
import { makeRequest } from './http.js';

export interface DeployResult {
  scope: 'global' | 'guild';
  applicationId: string;
  guildId?: string;
  names: string[];
}

/** PUT the slash commands for `config`'s application (bulk overwrite: removed commands disappear). */
export async function deployCommands(config: Config, commands: readonly Command[] = allCommands): Promise<DeployResult> {
  const token = config.DISCORD_TOKEN;
  if (!token) throw new ConfigError('DISCORD_TOKEN is required to deploy slash commands');
  const guildId = config.DISCORD_GUILD_ID;
  const limitMs = STARTUP_TIMEOUTS.platformMs;
  const context = { apiBase: config.DISCORD_API_BASE, guildId, limitMs };
  const rest = new REST({ makeRequest, ...(config.DISCORD_API_BASE ? { api: config.DISCORD_API_BASE } : {}) }).setToken(token);
  try {
    return await withTimeout(
      async (signal) => {
        const application = (await rest.get(Routes.currentApplication(), { signal })) as APIApplication;
        const saved = (await rest.put(commandsRoute(application.id, guildId), { body: toSlashCommands(commands), signal })) as { name: string }[];
        return { scope: guildId ? 'guild' : 'global', applicationId: application.id, guildId, names: saved.map((c) => c.name) };
      },
      limitMs,
      () => startupFailure('commands', undefined, { ...context, timedOut: true }),
    );
  } catch (err) {
    throw err instanceof StartupError ? err : startupFailure('commands', err, { ...context, timedOut: false });
  }
}

async function main(): Promise<void> {
  let config: Config | undefined;
  try {
    config = await loadConfig();
    const result = await deployCommands(config);
    const where = result.scope === 'guild' ? `guild ${result.guildId}` : 'all guilds (global; may take up to an hour to appear)';
    console.log(`Registered ${result.names.length} slash commands for ${where}: ${result.names.map((n) => `/${n}`).join(' ')}`);
  } catch (err) {
    process.stderr.write(`${startupLine(err, config ? secretValues(config) : [])}\n`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
