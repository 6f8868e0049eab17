/**
 * The Telegram front end (grammY). It renders the service's neutral replies and task views
 * natively and contains no Midjourney logic. Long polling with @grammyjs/runner (per-chat
 * order) or, when TELEGRAM_WEBHOOK_URL is set, a webhook route on the app's HTTP server.
 */
import { autoRetry } from '@grammyjs/auto-retry';
import { run, sequentialize, type RunnerHandle } from '@grammyjs/runner';
import { Bot, type Context } from 'grammy';
import type { BotCommand } from 'grammy/types';
import { allCommands } from '../../../commands/index.js';
import type { App } from '../../app.js';
import { ConfigError } from '../../errors.js';
import { t, toLocale } from '../../core/domain/i18n/index.js';
import './texts.js';
import type { Locale, Presenter } from '../../core/domain/types.js';
import { AlbumCollector } from './albums.js';
import { ChatBudget, DEFAULT_BUDGET, type BudgetClock, type BudgetLimits } from './budget.js';
import { handlePress } from './callbacks.js';
import { handleMessages, type MessageDeps } from './messages.js';
import { TelegramPresenter } from './presenter.js';
import type { Shared } from './context.js';
import { webhookRoute } from './webhook.js';

export interface TelegramFrontend {
  bot: Bot;
  presenter: Presenter;
  close(): Promise<void>;
}

/** Knobs, mostly for tests. */
export interface TelegramOptions {
  autoRetry?: { maxRetryAttempts?: number; maxDelaySeconds?: number };
  /** How long to wait for more parts of an album after the last one (default 700 ms). */
  albumWindowMs?: number;
  /** Minimum gap between two progress edits of one message (default 2000 ms). */
  minUpdateIntervalMs?: number;
  /** Outgoing flood budget per chat (default: Telegram's FAQ numbers). */
  budget?: Partial<BudgetLimits>;
  /** Clock of the flood budget (tests use a fast virtual clock). */
  clock?: BudgetClock;
}

/** Start the bot on top of an App; the Presenter is attached to app.service. */
export async function startTelegram(app: App, opts: TelegramOptions = {}): Promise<TelegramFrontend> {
  const { config, logger, service } = app;
  const token = config.TELEGRAM_BOT_TOKEN;
  if (!token) throw new ConfigError('TELEGRAM_BOT_TOKEN is required to start the Telegram front end');
  const apiRoot = config.TELEGRAM_API_ROOT ?? 'https://api.telegram.org';
  const bot = new Bot(token, { client: { apiRoot } });
  const budget = new ChatBudget({ ...DEFAULT_BUDGET, ...opts.budget }, opts.clock);
  // Order matters: the last transformer is the outermost, so every retry also waits for budget,
  // and the 429 counter (innermost) sees the 429s that auto-retry absorbs.
  bot.api.config.use(async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal);
    if (!result.ok && result.error_code === 429) app.metrics.rateLimited('telegram');
    return result;
  });
  bot.api.config.use(budget.transformer());
  bot.api.config.use(autoRetry({ maxRetryAttempts: opts.autoRetry?.maxRetryAttempts ?? 5, maxDelaySeconds: opts.autoRetry?.maxDelaySeconds ?? 60 }));

  const shared: Shared = { api: bot.api, service, store: app.store, logger, config, budget, apiRoot, token };
  const presenter = new TelegramPresenter(shared, opts.minUpdateIntervalMs ?? 2000);
  service.attach(presenter);
  await bot.init();

  // Work started outside grammY's middleware chain (albums) is tracked too, so close() can wait for it.
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => undefined);
    return work;
  };
  const deps: MessageDeps = { ...shared, botId: bot.botInfo.id, botUsername: bot.botInfo.username, albums: undefined as unknown as AlbumCollector };
  deps.albums = new AlbumCollector(opts.albumWindowMs ?? 700, (messages) =>
    track(handleMessages(deps, messages)).catch((err: unknown) => apologize(err, messages[0]?.chat.id, messages[0]?.from?.language_code)),
  );

  const apologize = async (err: unknown, chatId: number | undefined, languageCode: string | undefined): Promise<void> => {
    logger.error({ err }, 'telegram update failed');
    if (chatId === undefined) return;
    const locale: Locale = toLocale(languageCode, config.DEFAULT_LOCALE);
    await bot.api.sendMessage(chatId, t(locale, 'error.INTERNAL')).catch(() => undefined);
  };

  let lastUpdateId = 0;
  bot.use(async (ctx, next) => {
    app.metrics.platformUpdate('telegram', ctx.callbackQuery ? 'callback' : ctx.message ? 'message' : 'other');
    lastUpdateId = Math.max(lastUpdateId, ctx.update.update_id);
    await track(next());
  });
  // Messages of one chat in order; button presses are never held up behind a long command.
  bot.use(sequentialize((ctx: Context) => (ctx.callbackQuery ? undefined : ctx.chat ? String(ctx.chat.id) : undefined)));
  bot.on('callback_query:data', (ctx) => handlePress(shared, ctx.callbackQuery, (o) => ctx.answerCallbackQuery(o)));
  bot.on('message', async (ctx) => {
    if (ctx.message.media_group_id) return deps.albums.add(ctx.message);
    await handleMessages(deps, [ctx.message]);
  });
  bot.catch((err) => apologize(err.error, err.ctx.chat?.id, err.ctx.from?.language_code));

  await registerCommands(bot).catch((err: unknown) => logger.warn({ err }, 'setMyCommands failed'));

  let runner: RunnerHandle | undefined;
  if (config.TELEGRAM_WEBHOOK_URL) {
    if (!app.http) throw new ConfigError('TELEGRAM_WEBHOOK_URL needs the HTTP server: set HTTP_PORT (or PUBLIC_URL)');
    const secret = config.TELEGRAM_WEBHOOK_SECRET ?? app.secretFor('telegram-webhook');
    app.http.addRoute(webhookRoute({ path: new URL(config.TELEGRAM_WEBHOOK_URL).pathname, secret, logger, handle: (update) => bot.handleUpdate(update) }));
    await bot.api.setWebhook(config.TELEGRAM_WEBHOOK_URL, { secret_token: secret, allowed_updates: ['message', 'callback_query'] });
    logger.info({ bot: bot.botInfo.username }, 'telegram webhook set');
  } else {
    await bot.api.deleteWebhook();
    runner = run(bot, { runner: { silent: true, fetch: { allowed_updates: ['message', 'callback_query'] } } });
    runner.task()?.catch((err: unknown) => logger.error({ err }, 'telegram polling stopped'));
    logger.info({ bot: bot.botInfo.username }, 'telegram long polling started');
  }

  app.health.register('telegram', () => (runner ? runner.isRunning() : bot.isInited()));

  return {
    bot,
    presenter,
    async close() {
      deps.albums.close();
      if (runner?.isRunning()) await runner.stop().catch(() => undefined);
      await Promise.allSettled([...inFlight]);
      // Confirm what was handled, so a restart does not see the last updates again.
      if (runner && lastUpdateId > 0) await bot.api.getUpdates({ offset: lastUpdateId + 1, limit: 1, timeout: 0 }).catch(() => undefined);
    },
  };
}

/** The command menu in English (default) and Chinese, from the shared command definitions. */
async function registerCommands(bot: Bot): Promise<void> {
  const visible = allCommands.filter((c) => !c.hidden);
  const list = (lang: 'en' | 'zh'): BotCommand[] => visible.map((c) => ({ command: c.name, description: c.description[lang].slice(0, 256) }));
  await bot.api.setMyCommands(list('en'));
  await bot.api.setMyCommands(list('zh'), { language_code: 'zh' });
}
