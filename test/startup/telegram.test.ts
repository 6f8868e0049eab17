/**
 * `npm start` with a Telegram token that cannot work ends with one line naming the setting, fast:
 * a rejected token, a Bot API server that refuses connections or never answers (while /healthz
 * stays red), and a refused webhook — whose secret token never reaches the output.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram/index.js';
import { exitOf, killAllBots, spawnBot } from '../helpers/bot-process.js';
import { freePort } from '../helpers/net.js';
import { expectOneLine, failedStart, silentServer, STARTUP_BOUND_MS } from './helpers.js';

const WRONG_TOKEN = '7000000001:AAwrong-token-for-the-fake-xyz';
let fake: FakeTelegram | undefined;
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  await killAllBots();
  await fake?.close();
  fake = undefined;
  for (const close of closers.splice(0)) await close();
});

describe('npm start with Telegram', () => {
  it('a token Telegram rejects ends start-up with one line that says to copy it from @BotFather again', async () => {
    fake = await startFakeTelegram();
    const exit = await failedStart({ TELEGRAM_BOT_TOKEN: WRONG_TOKEN, TELEGRAM_API_ROOT: fake.apiRoot });
    expectOneLine(exit, /^TELEGRAM_BOT_TOKEN was rejected by the Bot API server at 127\.0\.0\.1:\d+ \(TELEGRAM_API_ROOT\) \(401\): copy the token from @BotFather again$/, [WRONG_TOKEN]);
  });

  it('a Bot API server that refuses connections is named with the reason, without waiting for retries', async () => {
    const exit = await failedStart({ TELEGRAM_BOT_TOKEN: WRONG_TOKEN, TELEGRAM_API_ROOT: `http://127.0.0.1:${await freePort()}` });
    expectOneLine(exit, /cannot be reached \(connection refused\) while checking TELEGRAM_BOT_TOKEN: check that server and TELEGRAM_API_ROOT$/, [WRONG_TOKEN]);
  });

  it('a Bot API server that never answers keeps /healthz red, then ends start-up with one line', async () => {
    const hang = await silentServer();
    closers.push(hang.close);
    const port = await freePort();
    const bot = spawnBot({ STORE_URL: 'memory://', TELEGRAM_BOT_TOKEN: WRONG_TOKEN, TELEGRAM_API_ROOT: hang.url, HTTP_PORT: String(port) });
    // The HTTP server is up before the platforms start; Telegram is registered and not ready.
    let health: { status: number; body: { failing?: string[] } } | undefined;
    while (!health && bot.child.exitCode === null) {
      health = await request(`http://127.0.0.1:${port}/healthz`)
        .then(async (res) => ({ status: res.statusCode, body: (await res.body.json()) as { failing?: string[] } }))
        .catch(() => undefined);
      if (!health) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(health?.status).toBe(503);
    expect(health?.body.failing).toContain('telegram');
    const exit = await exitOf(bot, STARTUP_BOUND_MS);
    expectOneLine(exit, /^the Bot API server at 127\.0\.0\.1:\d+ \(TELEGRAM_API_ROOT\) cannot be reached \(no answer within 6 s\) while checking TELEGRAM_BOT_TOKEN/, [WRONG_TOKEN]);
  });

  it('a webhook Telegram refuses is one line, and its derived secret token is printed nowhere, even at LOG_LEVEL=trace', async () => {
    fake = await startFakeTelegram();
    fake.failNext('setWebhook', { status: 400, description: 'Bad Request: bad webhook: Failed to resolve host: Name or service not known' });
    const botSecret = 'startup-test-bot-secret-0123456789';
    const exit = await failedStart({
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_WEBHOOK_URL: 'https://127.0.0.1:8443/telegram',
      HTTP_PORT: String(await freePort()),
      BOT_SECRET: botSecret,
      LOG_LEVEL: 'trace',
    });
    const sent = fake.calls.find((call) => call.method === 'setWebhook');
    const secretToken = String(sent?.params.secret_token ?? '');
    expect(secretToken.length).toBeGreaterThan(20);
    expectOneLine(
      exit,
      /^TELEGRAM_WEBHOOK_URL was refused by the Bot API server at 127\.0\.0\.1:\d+ \(TELEGRAM_API_ROOT\) \(400: Bad Request: bad webhook: Failed to resolve host: Name or service not known\): give a public HTTPS URL/,
      [secretToken, fake.token, botSecret],
    );
  });
});
