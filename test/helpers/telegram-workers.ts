/**
 * Bot processes as Telegram webhook workers (`npm start`'s entry, real child processes) against
 * the fake Bot API: start one, hand it updates over its webhook, find the results it posted.
 */
import type { FakeTelegram } from '../fakes/telegram/index.js';
import type { BotMessage } from '../fakes/telegram/types.js';
import { spawnBot, type BotProcess } from './bot-process.js';
import { freePort } from './net.js';
import { until } from './wait.js';

export const WEBHOOK_SECRET = 'fleet-webhook-secret-123';

export interface TelegramWorker {
  bot: BotProcess;
  port: number;
}

/** Start a worker; resolves once its webhook is set and /healthz answers 200. */
export async function startTelegramWorker(fake: FakeTelegram, env: Record<string, string>): Promise<TelegramWorker> {
  const port = await freePort();
  const bot = spawnBot({
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/telegram`,
    TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
    HTTP_PORT: String(port),
    MJ_FLAVOUR: 'plus',
    LOG_LEVEL: 'info',
    ...env,
  });
  // Ready once the webhook is set (the HTTP server answers /healthz a moment earlier).
  await until(() => bot.output().includes('telegram webhook set'), 30_000, `worker on ${port}: ${bot.output()}`);
  await until(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status).catch(() => 0)) === 200, 30_000, `worker on ${port} healthy`);
  return { bot, port };
}

let updateId = 1_000_000;
/** Hand the worker one update over its webhook, as Telegram would; resolves with the HTTP status. */
export async function deliverUpdate(worker: Pick<TelegramWorker, 'port'>, update: object): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${worker.port}/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
    body: JSON.stringify({ update_id: updateId++, ...update }),
  });
  return res.status;
}

/** Finished results in a chat: photos whose buttons include U1. */
export const gridResultsIn = (fake: FakeTelegram, chatId: number): BotMessage[] =>
  fake.messages(chatId).filter((m) => m.photo && JSON.stringify(m.replyMarkup ?? {}).includes('"U1"'));
