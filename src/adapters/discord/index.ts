/**
 * The Discord adapter: a discord.js Client (Guilds intent only — slash commands, buttons and
 * modals need no privileged intents) whose one interactionCreate handler turns interactions into
 * service calls, and a Presenter that keeps task messages current. No Midjourney logic here.
 */
import { once } from 'node:events';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import { allCommands } from '../../../commands/index.js';
import type { Command } from '../../../commands/types.js';
import { ConfigError } from '../../errors.js';
import type { Adapter, AdapterDeps } from '../../core/service/adapter.js';
import { makeRequest } from './http.js';
import { handleInteraction, type HandlerDeps } from './interactions.js';
import { DiscordPresenter } from './presenter.js';

export { toSlashCommands } from './commands.js';

export interface DiscordAdapter extends Adapter {
  readonly client: Client;
  readonly presenter: DiscordPresenter;
}

export interface DiscordConfig {
  token: string;
  /** Another REST base (the gateway URL is looked up through it); default Discord's. */
  apiBase?: string;
  /** Minimum gap between two progress edits of one message (default 1500 ms; finals are never held back). */
  minUpdateIntervalMs?: number;
  /** Commands to serve (default: all of commands/). */
  commands?: readonly Command[];
}

/** Build the client and attach the presenter; `start()` logs in and waits until ready. */
export function createDiscordAdapter(deps: AdapterDeps, config: DiscordConfig): DiscordAdapter {
  const { logger, service } = deps;
  if (!config.token) throw new ConfigError('DISCORD_TOKEN is not set');
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { makeRequest, ...(config.apiBase ? { api: config.apiBase } : {}) },
  });
  const presenter = new DiscordPresenter({ rest: client.rest, service, logger, minUpdateIntervalMs: config.minUpdateIntervalMs ?? 1500 });
  service.attach(presenter);
  // Red until the gateway session is ready.
  deps.health.register('discord', () => client.isReady());
  const handlerDeps: HandlerDeps = {
    service,
    presenter,
    logger,
    locale: deps.locale,
    commands: config.commands ?? allCommands,
    attachments: { fetchImage: deps.fetchImage, maxImageBytes: deps.maxImageBytes, trustAttachmentHost: Boolean(config.apiBase) },
  };
  const inFlight = new Set<Promise<void>>();
  client.on(Events.InteractionCreate, (interaction) => {
    deps.metrics.platformUpdate('discord', interaction.isChatInputCommand() ? 'command' : interaction.isButton() ? 'button' : interaction.isModalSubmit() ? 'modal' : 'other');
    const job = handleInteraction(handlerDeps, interaction).finally(() => inFlight.delete(job));
    inFlight.add(job);
  });
  client.on(Events.Error, (err) => logger.error({ err }, 'discord client error'));
  client.on(Events.Warn, (message) => logger.warn({ message }, 'discord client warning'));
  client.rest.on('rateLimited', (info) => logger.debug({ route: info.route, retryAfter: info.retryAfter, global: info.global }, 'discord rate limit'));
  client.rest.on('response', (_request, response) => {
    if (response.status === 429) deps.metrics.rateLimited('discord');
  });

  return {
    platform: 'discord',
    client,
    presenter,
    async start() {
      const ready = once(client, Events.ClientReady);
      try {
        await client.login(config.token);
        await ready;
      } catch (err) {
        await client.destroy();
        throw err;
      }
      logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'discord ready');
    },
    async close() {
      // Let interactions already being handled finish their answer first.
      await Promise.allSettled([...inFlight]);
      await client.destroy();
    },
  };
}
