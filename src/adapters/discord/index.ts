/**
 * The Discord adapter: a discord.js Client (Guilds intent only — slash commands, buttons and
 * modals need no privileged intents) whose one interactionCreate handler turns interactions into
 * service calls, and a Presenter that keeps task messages current. No Midjourney logic here.
 */
import { once } from 'node:events';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import { allCommands } from '../../../commands/index.js';
import type { Command } from '../../../commands/types.js';
import { ConfigError, StartupError } from '../../errors.js';
import { STARTUP_TIMEOUTS, withTimeout } from '../../startup.js';
import type { Adapter, AdapterDeps } from '../../core/service/adapter.js';
import { syncCommands } from './command-sync.js';
import { toSlashCommands } from './commands.js';
import { startupFailure, type DiscordStep } from './connection.js';
import { makeRequest } from './http.js';
import { handleInteraction, type HandlerDeps } from './interactions.js';
import { ChannelPacer, DISCORD_CHANNEL_BUDGET, type ChannelBudget } from './pacer.js';
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
  /** Commands to serve and register (default: all of commands/). */
  commands?: readonly Command[];
  /** Register the slash commands in this guild only (DISCORD_GUILD_ID; instant), else globally. */
  guildId?: string;
  /** How long start() may take before it fails (default STARTUP_TIMEOUTS.platformMs). */
  startTimeoutMs?: number;
  /** Public message writes per channel (default Discord's 5 per 5 s, 2 slots kept from progress). */
  channelBudget?: Partial<ChannelBudget>;
}

/** Build the client and attach the presenter; `start()` logs in and waits until ready. */
export function createDiscordAdapter(deps: AdapterDeps, config: DiscordConfig): DiscordAdapter {
  const { logger, service } = deps;
  if (!config.token) throw new ConfigError('DISCORD_TOKEN is not set');
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { makeRequest, ...(config.apiBase ? { api: config.apiBase } : {}) },
  });
  const pacer = new ChannelPacer({ ...DISCORD_CHANNEL_BUDGET, ...config.channelBudget });
  const presenter = new DiscordPresenter({ rest: client.rest, service, logger, minUpdateIntervalMs: config.minUpdateIntervalMs ?? 1500, pacer });
  service.attach(presenter);
  // Red until the gateway session is ready.
  deps.health.register('discord', () => client.isReady());
  const commands = config.commands ?? allCommands;
  const handlerDeps: HandlerDeps = {
    service,
    presenter,
    logger,
    locale: deps.locale,
    commands,
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
      const limitMs = config.startTimeoutMs ?? STARTUP_TIMEOUTS.platformMs;
      const until = Date.now() + limitMs;
      const context = { apiBase: config.apiBase, guildId: config.guildId, limitMs };
      /** One start-up step within what is left of the bound, failing with the line that names the setting. */
      const step = async (name: DiscordStep, work: (signal: AbortSignal) => Promise<unknown>): Promise<void> => {
        try {
          await withTimeout(work, Math.max(0, until - Date.now()), () => startupFailure(name, undefined, { ...context, timedOut: true }));
        } catch (err) {
          await client.destroy();
          throw err instanceof StartupError ? err : startupFailure(name, err, { ...context, timedOut: false });
        }
      };
      const ready = once(client, Events.ClientReady);
      await step('login', () => Promise.all([client.login(config.token), ready]));
      logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'discord ready');
      // Slash commands work right after `npm start`: registered when they differ from the definitions.
      await step('commands', async (signal) => {
        const applicationId = client.application?.id ?? client.user?.id ?? '';
        const outcome = await syncCommands(client.rest, { applicationId, guildId: config.guildId }, toSlashCommands(commands), signal);
        logger.info({ scope: config.guildId ? `guild ${config.guildId}` : 'global', outcome }, outcome === 'written' ? 'discord slash commands registered' : 'discord slash commands up to date');
      });
    },
    async close() {
      // Let interactions already being handled finish their answer first.
      await Promise.allSettled([...inFlight]);
      presenter.close();
      await client.destroy();
    },
  };
}
