/**
 * Telegram end-to-end stack, started the way `npm start` starts it: createApp(parseConfig(env))
 * with a fake Bot API on 127.0.0.1, the MJ simulator over real HTTP, a real sqlite store, then
 * the Telegram adapter (with test knobs) and the service. Tests assert on what users see in the fake.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { silentLogger, type Logger } from '../../src/log.js';
import { createTelegramAdapter, type TelegramAdapter, type TelegramConfig } from '../../src/adapters/telegram/index.js';
import type { BudgetClock } from '../../src/adapters/telegram/budget.js';
import { startSimulator, type SimOptions, type Simulator } from '../../src/sim/index.js';
import { startFakeTelegram, type BotMessage, type FakeTelegram, type FakeTelegramOptions, type SimulatedUser } from '../fakes/telegram/index.js';

export interface InlineButton {
  text: string;
  callback_data?: string;
}

export interface Harness {
  fake: FakeTelegram;
  sim: Simulator;
  app: App;
  tg: TelegramAdapter;
  /** Close the adapter and the app, then start both again on the same store, simulator and fake. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  sim?: SimOptions;
  fake?: FakeTelegramOptions;
  tg?: Partial<TelegramConfig>;
  env?: Record<string, string>;
  /** The app's logger (default: silent). */
  logger?: Logger;
}

/** A clock running `speed` times faster than real time (flood windows pass quickly in tests). */
export function fastClock(speed: number): BudgetClock {
  const t0 = Date.now();
  return {
    now: () => t0 + (Date.now() - t0) * speed,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.ceil(ms / speed))),
  };
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'mjbot-tg-'));
  const clock = opts.tg?.clock ?? fastClock(50);
  const fake = await startFakeTelegram({ rateLimits: false, ...opts.fake });
  const sim = await startSimulator({ stepMs: 20, ...opts.sim });
  const env = {
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    STORE_URL: `sqlite://${join(dir, 'bot.sqlite')}`,
    MJ_BASE_URL: sim.url,
    MJ_FLAVOUR: 'plus',
    MJ_POLL_INTERVAL_MS: '50',
    ...opts.env,
  };
  const boot = async (): Promise<{ app: App; tg: TelegramAdapter }> => {
    const config = parseConfig(env);
    const app = await createApp(config, opts.logger ?? silentLogger(), { simStepMs: 20, adapters: false });
    const tg = createTelegramAdapter(app.adapterDeps('telegram'), {
      token: fake.token,
      apiRoot: fake.apiRoot,
      webhookUrl: config.TELEGRAM_WEBHOOK_URL,
      webhookSecret: config.TELEGRAM_WEBHOOK_SECRET,
      albumWindowMs: 150,
      minUpdateIntervalMs: 100,
      autoRetry: { maxDelaySeconds: 10 },
      ...opts.tg,
      clock,
    });
    await tg.start();
    await app.service.start();
    return { app, tg };
  };
  let running = await boot();
  // In app.close()'s order: the service first (jobs waiting in a chat's line leave this process), then the adapter.
  const stop = async (): Promise<void> => {
    await running.app.service.stop();
    await running.tg.close();
    await running.app.close();
  };
  const harness: Harness = {
    fake,
    sim,
    get app() {
      return running.app;
    },
    get tg() {
      return running.tg;
    },
    async restart() {
      await stop();
      running = await boot();
    },
    async close() {
      await stop().catch(() => undefined);
      await sim.close();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

export const alice: SimulatedUser = { id: 101, first_name: 'Alice', language_code: 'en' };
export const bob: SimulatedUser = { id: 102, first_name: 'Bob', language_code: 'en-US' };
export const carol: SimulatedUser = { id: 103, first_name: 'Carol', language_code: 'en' };
export const wang: SimulatedUser = { id: 104, first_name: '小王', language_code: 'zh-hans' };

/** The inline keyboard rows of a message (empty when it has none). */
export function keyboardOf(message: BotMessage | undefined): InlineButton[][] {
  const rows = (message?.replyMarkup as { inline_keyboard?: InlineButton[][] } | undefined)?.inline_keyboard;
  return rows ?? [];
}

export function buttonsOf(message: BotMessage | undefined): InlineButton[] {
  return keyboardOf(message).flat();
}

/** The button whose text contains `label`. */
export function button(message: BotMessage | undefined, label: string): InlineButton & { callback_data: string } {
  const found = buttonsOf(message).find((b) => b.text.includes(label));
  if (!found?.callback_data) throw new Error(`no button "${label}" on message: ${JSON.stringify(buttonsOf(message).map((b) => b.text))}`);
  return found as InlineButton & { callback_data: string };
}

/** Bot messages in a chat that show a finished result: a photo with the ✅ headline and its buttons. */
export function resultPhotos(fake: FakeTelegram, chatId: number): BotMessage[] {
  return fake.messages(chatId).filter((m) => (m.photo || m.document) && m.caption?.startsWith('✅') && buttonsOf(m).length > 0);
}

/** Wait for a bot message matching `pred` and return it. */
export async function waitForMessage(fake: FakeTelegram, chatId: number, pred: (m: BotMessage) => boolean, label: string, timeoutMs = 10_000): Promise<BotMessage> {
  let found: BotMessage | undefined;
  await fake.waitUntil(() => (found = fake.messages(chatId).find(pred)) !== undefined, timeoutMs, label);
  return found as BotMessage;
}

/** Wait for a form step: the ForceReply question and, under it, its buttons. Returns both. */
export async function waitForForm(fake: FakeTelegram, chatId: number, label: string): Promise<{ question: BotMessage; buttons: BotMessage }> {
  const isQuestion = (m: BotMessage): boolean => (m.replyMarkup as { force_reply?: boolean } | undefined)?.force_reply === true;
  let found: { question: BotMessage; buttons: BotMessage } | undefined;
  await fake.waitUntil(() => {
    const messages = fake.messages(chatId);
    const question = [...messages].reverse().find(isQuestion);
    const buttons = question && messages.find((m) => m.replyTo === question.messageId && buttonsOf(m).length > 0);
    found = question && buttons ? { question, buttons } : undefined;
    return found !== undefined;
  }, 10_000, label);
  return found as { question: BotMessage; buttons: BotMessage };
}

/** Wait for the n-th (1-based) finished result photo in a chat. */
export async function waitForResult(fake: FakeTelegram, chatId: number, n: number, timeoutMs = 10_000): Promise<BotMessage> {
  await fake.waitUntil(() => resultPhotos(fake, chatId).length >= n, timeoutMs, `result #${n} in chat ${chatId}`);
  return resultPhotos(fake, chatId)[n - 1] as BotMessage;
}

/** Every inline keyboard the bot ever sent respected Telegram's 64-byte callback_data limit. */
export function expectCallbackDataWithinLimit(fake: FakeTelegram): number {
  let checked = 0;
  for (const call of fake.calls) {
    const markup = call.params.reply_markup as { inline_keyboard?: InlineButton[][] } | undefined;
    for (const b of markup?.inline_keyboard?.flat() ?? []) {
      checked += 1;
      expect(Buffer.byteLength(b.callback_data ?? '', 'utf8')).toBeLessThanOrEqual(64);
      expect((b.callback_data ?? '').length).toBeGreaterThan(0);
    }
  }
  expect(fake.errors.filter((e) => /BUTTON_DATA_INVALID/.test(e.description))).toEqual([]);
  return checked;
}
