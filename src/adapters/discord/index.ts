/**
 * The Discord front end: a discord.js Client (Guilds intent only — slash commands, buttons and
 * modals need no privileged intents) whose one interactionCreate handler turns interactions into
 * service calls, and a Presenter that keeps task messages current. No Midjourney logic here.
 */
import { once } from 'node:events';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import { allCommands } from '../../../commands/index.js';
import type { Command } from '../../../commands/types.js';
import type { App } from '../../app.js';
import { ConfigError } from '../../errors.js';
import type { Presenter } from '../../core/domain/types.js';
import { makeRequest } from './http.js';
import { handleInteraction, type HandlerDeps } from './interactions.js';
import { DiscordPresenter } from './presenter.js';

export { toSlashCommands } from './commands.js';

export interface DiscordFrontend {
  client: Client;
  presenter: Presenter;
  close(): Promise<void>;
}

export interface DiscordOptions {
  /** Minimum gap between two progress edits of one message (default 1500 ms; finals are never held back). */
  minUpdateIntervalMs?: number;
  /** Commands to serve (default: all of commands/). */
  commands?: Command[];
}

/** Create the client, attach the presenter to the service, log in and wait until ready. */
export async function startDiscord(app: App, opts: DiscordOptions = {}): Promise<DiscordFrontend> {
  const { config, logger, service } = app;
  if (!config.DISCORD_TOKEN) throw new ConfigError('DISCORD_TOKEN is not set');
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { makeRequest, ...(config.DISCORD_API_BASE ? { api: config.DISCORD_API_BASE } : {}) },
  });
  const presenter = new DiscordPresenter({ rest: client.rest, service, logger, minUpdateIntervalMs: opts.minUpdateIntervalMs ?? 1500 });
  service.attach(presenter);
  const deps: HandlerDeps = { service, presenter, logger, config, commands: opts.commands ?? allCommands };
  const inFlight = new Set<Promise<void>>();
  client.on(Events.InteractionCreate, (interaction) => {
    app.metrics.platformUpdate('discord', interaction.isChatInputCommand() ? 'command' : interaction.isButton() ? 'button' : interaction.isModalSubmit() ? 'modal' : 'other');
    const job = handleInteraction(deps, interaction).finally(() => inFlight.delete(job));
    inFlight.add(job);
  });
  client.on(Events.Error, (err) => logger.error({ err }, 'discord client error'));
  client.on(Events.Warn, (message) => logger.warn({ message }, 'discord client warning'));
  client.rest.on('rateLimited', (info) => logger.debug({ route: info.route, retryAfter: info.retryAfter, global: info.global }, 'discord rate limit'));
  client.rest.on('response', (_request, response) => {
    if (response.status === 429) app.metrics.rateLimited('discord');
  });

  const ready = once(client, Events.ClientReady);
  try {
    await client.login(config.DISCORD_TOKEN);
    await ready;
  } catch (err) {
    await client.destroy();
    throw err;
  }
  logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'discord ready');
  app.health.register('discord', () => client.isReady());

  return {
    client,
    presenter,
    async close() {
      // Let interactions already being handled finish their answer first.
      await Promise.allSettled([...inFlight]);
      await client.destroy();
    },
  };
}
