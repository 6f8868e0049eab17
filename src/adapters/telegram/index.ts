/**
 * The Telegram adapter (grammY). It renders the service's neutral replies and task views
 * natively and contains no Midjourney logic. Long polling with @grammyjs/runner (per-chat
 * order) or, when a webhook URL is set, a webhook route on the bot's HTTP server.
 */
import { autoRetry } from '@grammyjs/auto-retry';
import { run, sequentialize, type RunnerHandle } from '@grammyjs/runner';
import { Bot, type Context } from 'grammy';
import type { BotCommand } from 'grammy/types';
import { allCommands } from '../../../commands/index.js';
import type { Command } from '../../../commands/types.js';
import { ConfigError } from '../../errors.js';
import { STARTUP_TIMEOUTS } from '../../startup.js';
import { toLocale } from '../../core/domain/i18n/index.js';
import type { Locale } from '../../core/domain/types.js';
import type { Adapter, AdapterDeps } from '../../core/service/adapter.js';
import { AlbumCollector } from './albums.js';
import { ChatBudget, DEFAULT_BUDGET, realClock, type BudgetClock, type BudgetLimits } from './budget.js';
import { handlePress } from './callbacks.js';
import { startupFailure, watchOutages, type StartStep } from './connection.js';
import type { Shared } from './context.js';
import { handleMessages, type MessageDeps } from './messages.js';
import { TelegramPresenter } from './presenter.js';
import { QuietMode } from './quiet.js';
import { t } from './texts.js';
import { webhookRoute } from './webhook.js';

/** Live jobs from which a group counts as busy (chosen by measurement: docs/telegram-throughput.md). */
export const BUSY_GROUP_JOBS = 3;

/** grammY types signals with the abort-controller shim's AbortSignal; Node's own is the same thing at run time. */
type GrammySignal = NonNullable<Parameters<Bot['init']>[0]>;

export interface TelegramAdapter extends Adapter {
  readonly bot: Bot;
  readonly presenter: TelegramPresenter;
}

/** The bot's token and connection, plus knobs (mostly for tests). */
export interface TelegramConfig {
  token: string;
  /** Another Bot API server (no trailing `/`); default Telegram's. */
  apiRoot?: string;
  /** Webhook mode instead of long polling (needs the HTTP server). */
  webhookUrl?: string;
  /** Secret token Telegram sends with every webhook update (default: derived from the bot secret). */
  webhookSecret?: string;
  /** Commands to serve (default: all of commands/). */
  commands?: readonly Command[];
  autoRetry?: { maxRetryAttempts?: number; maxDelaySeconds?: number };
  /** How long to wait for more parts of an album after the last one (default 700 ms). */
  albumWindowMs?: number;
  /** Minimum gap between two progress edits of one message (default 2000 ms). */
  minUpdateIntervalMs?: number;
  /** A group with this many live jobs is busy: new jobs get a reaction and a board line, not a message (default BUSY_GROUP_JOBS). */
  busyGroupJobs?: number;
  /** Least time between two edits of a busy group's session board (default 10 s). */
  boardIntervalMs?: number;
  /** Outgoing flood budget per chat (default: Telegram's FAQ numbers). */
  budget?: Partial<BudgetLimits>;
  /** Clock of the flood budget (tests use a fast virtual clock). */
  clock?: BudgetClock;
  /** How long start() may take before it fails (default STARTUP_TIMEOUTS.platformMs). */
  startTimeoutMs?: number;
  /** Pause between two getUpdates attempts while Telegram cannot be reached (default 3000 ms). */
  pollRetryMs?: number;
}

/** Build the bot; `start()` checks the token (getMe), registers the menus and starts polling or the webhook. */
export function createTelegramAdapter(deps: AdapterDeps, config: TelegramConfig): TelegramAdapter {
  const { logger, service } = deps;
  if (!config.token) throw new ConfigError('TELEGRAM_BOT_TOKEN is required to start the Telegram adapter');
  const token = config.token;
  const apiRoot = config.apiRoot ?? 'https://api.telegram.org';
  const commands = config.commands ?? allCommands;
  const bot = new Bot(token, { client: { apiRoot } });
  const budget = new ChatBudget({ ...DEFAULT_BUDGET, ...config.budget }, config.clock);
  let started = false;
  const outages = watchOutages(logger, () => started);
  // Order matters: the last transformer is the outermost, so every retry also waits for budget,
  // and the 429 and outage watchers (innermost) see every attempt auto-retry absorbs.
  bot.api.config.use(outages.transformer);
  bot.api.config.use(async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal);
    if (!result.ok && result.error_code === 429) deps.metrics.rateLimited('telegram');
    return result;
  });
  bot.api.config.use(budget.transformer());
  const retryLimits = { maxRetryAttempts: config.autoRetry?.maxRetryAttempts ?? 5, maxDelaySeconds: config.autoRetry?.maxDelaySeconds ?? 60 };
  // While starting, a network error fails at once (start-up must end quickly with a clear line);
  // getUpdates is retried by the runner, which keeps polling through outages.
  const retryWhileStarting = autoRetry({ ...retryLimits, rethrowHttpErrors: true });
  const retryWhileRunning = autoRetry(retryLimits);
  bot.api.config.use((prev, method, payload, signal) => {
    if (method === 'getUpdates') return prev(method, payload, signal);
    return (started ? retryWhileRunning : retryWhileStarting)(prev, method, payload, signal);
  });

  const shared: Shared = { api: bot.api, service, state: deps.state, logger, locale: deps.locale, budget, apiRoot, token, maxImageBytes: deps.maxImageBytes };
  const quiet = new QuietMode(shared, config.clock ?? realClock, config.busyGroupJobs ?? BUSY_GROUP_JOBS, config.boardIntervalMs ?? 10_000, !deps.peers);
  const presenter = new TelegramPresenter(shared, config.minUpdateIntervalMs ?? 2000, quiet);
  service.attach(presenter);
  let runner: RunnerHandle | undefined;
  // Red until the bot is really up (getMe answered, polling or the webhook running), and while calls fail.
  deps.health.register('telegram', () => started && !outages.down && (runner ? runner.isRunning() : bot.isInited()));

  // Work started outside grammY's middleware chain (albums) is tracked too, so close() can wait for it.
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => undefined);
    return work;
  };
  let albums: AlbumCollector | undefined;
  let lastUpdateId = 0;

  const apologize = async (err: unknown, chatId: number | undefined, languageCode: string | undefined): Promise<void> => {
    logger.error({ err }, 'telegram update failed');
    if (chatId === undefined) return;
    const locale: Locale = toLocale(languageCode, deps.locale);
    await bot.api.sendMessage(chatId, t(locale, 'error.INTERNAL')).catch(() => undefined);
  };

  const limitMs = config.startTimeoutMs ?? STARTUP_TIMEOUTS.platformMs;

  const start = async (): Promise<void> => {
    // One bound for all start() asks of Telegram.
    const deadline = AbortSignal.timeout(limitMs) as GrammySignal;
    /** A start-up call, failing with the line that names the setting. */
    const step = async <T>(name: StartStep, call: () => Promise<T>): Promise<T> => {
      try {
        return await call();
      } catch (err) {
        throw startupFailure(name, err, { apiRoot, customRoot: Boolean(config.apiRoot), timedOut: deadline.aborted, limitMs });
      }
    };
    // getMe directly: bot.init() would retry network errors forever.
    if (!bot.isInited()) bot.botInfo = await step('token', () => bot.api.getMe(deadline));
    const messageDeps: MessageDeps = { ...shared, botId: bot.botInfo.id, botUsername: bot.botInfo.username, albums: undefined as unknown as AlbumCollector, commands };
    albums = new AlbumCollector(config.albumWindowMs ?? 700, (messages) =>
      track(handleMessages(messageDeps, messages)).catch((err: unknown) => apologize(err, messages[0]?.chat.id, messages[0]?.from?.language_code)),
    );
    messageDeps.albums = albums;
    const collector = albums;

    bot.use(async (ctx, next) => {
      deps.metrics.platformUpdate('telegram', ctx.callbackQuery ? 'callback' : ctx.message ? 'message' : 'other');
      lastUpdateId = Math.max(lastUpdateId, ctx.update.update_id);
      await track(next());
    });
    // Messages of one chat in order; button presses are never held up behind a long command.
    bot.use(sequentialize((ctx: Context) => (ctx.callbackQuery ? undefined : ctx.chat ? String(ctx.chat.id) : undefined)));
    bot.on('callback_query:data', (ctx) => handlePress(shared, ctx.callbackQuery, (o) => ctx.answerCallbackQuery(o)));
    bot.on('message', async (ctx) => {
      if (ctx.message.media_group_id) return collector.add(ctx.message);
      await handleMessages(messageDeps, [ctx.message]);
    });
    bot.catch((err) => apologize(err.error, err.ctx.chat?.id, err.ctx.from?.language_code));

    await registerCommands(bot, commands, deadline).catch((err: unknown) => logger.warn({ err }, 'setMyCommands failed'));

    if (config.webhookUrl) {
      if (!deps.routes) throw new ConfigError('TELEGRAM_WEBHOOK_URL needs the HTTP server: set HTTP_PORT (or PUBLIC_URL)');
      const url = config.webhookUrl;
      const secret = config.webhookSecret ?? deps.secretFor('telegram-webhook');
      deps.routes.add(webhookRoute({ path: new URL(url).pathname, secret, logger, handle: (update) => bot.handleUpdate(update) }));
      await step('webhook', () => bot.api.setWebhook(url, { secret_token: secret, allowed_updates: ['message', 'callback_query'] }, deadline));
      logger.info({ bot: bot.botInfo.username }, 'telegram webhook set');
    } else {
      await step('polling', () => bot.api.deleteWebhook(undefined, deadline));
      runner = run(bot, {
        runner: {
          silent: true,
          // Never give up on network trouble (the outage watch logs it); a revoked token still stops polling.
          retryInterval: config.pollRetryMs ?? 3000,
          maxRetryTime: Number.MAX_SAFE_INTEGER,
          fetch: { allowed_updates: ['message', 'callback_query'] },
        },
      });
      runner.task()?.catch((err: unknown) => logger.error({ err }, 'telegram polling stopped'));
      logger.info({ bot: bot.botInfo.username }, 'telegram long polling started');
    }
    started = true;
  };

  return {
    platform: 'telegram',
    bot,
    presenter,
    start,
    async close() {
      albums?.close();
      if (runner?.isRunning()) await runner.stop().catch(() => undefined);
      await Promise.allSettled([...inFlight]);
      // Confirm what was handled, so a restart does not see the last updates again.
      if (runner && lastUpdateId > 0) await bot.api.getUpdates({ offset: lastUpdateId + 1, limit: 1, timeout: 0 }).catch(() => undefined);
    },
  };
}

/** The command menu in English (default) and Chinese, from the shared command definitions. */
async function registerCommands(bot: Bot, commands: readonly Command[], signal?: GrammySignal): Promise<void> {
  const visible = commands.filter((c) => !c.hidden);
  const list = (lang: 'en' | 'zh'): BotCommand[] => visible.map((c) => ({ command: c.name, description: c.description[lang].slice(0, 256) }));
  await bot.api.setMyCommands(list('en'), undefined, signal);
  await bot.api.setMyCommands(list('zh'), { language_code: 'zh' }, signal);
}
