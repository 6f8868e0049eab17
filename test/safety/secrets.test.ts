/**
 * Secrets never leave the process through logs or chat replies. The real app (createApp) runs with
 * secret-looking config values and a pino destination capturing every line at trace level; then
 * errors are provoked (proxy 401 — plain and echoing the key —, 5xx, network failures, forged
 * buttons) and every log line, reply and shown view is searched for each secret.
 */
import { freePort } from '../helpers/net.js';
import { afterEach, describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { createApp, type App } from '../../src/app.js';
import { parseConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startSimulator, type Simulator } from '../../src/sim/index.js';
import { RecordingPresenter } from '../core/harness.js';
import type { Origin, Reply } from '../../src/core/domain/types.js';

const SECRETS = {
  MJ_API_KEY: 'sk-mjkey-4f7a9c2e1b8d6035',
  TELEGRAM_BOT_TOKEN: '7012345678:AAHk3vQz-tgTOKEN_x9YwLr2mNpQ5sVb8cD',
  DISCORD_TOKEN: 'MTAxNDk2.discordTOKEN.Gx7kPq9rLm2nVb5cXz8aWs4dEf6',
  BOT_SECRET: 'bot-secret-9e2c7a1f5d3b8064aa',
  TELEGRAM_WEBHOOK_SECRET: 'whsecret_5b1e9d7c3a2f8046',
};
const VALUES = Object.values(SECRETS);

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of cleanups.splice(0).reverse()) await close();
});


interface Running {
  app: App;
  lines: string[];
  presenter: RecordingPresenter;
  replies: Reply[];
  origin: Origin;
}

async function runApp(env: Record<string, string>): Promise<Running> {
  const config: Config = parseConfig({ ...SECRETS, STORE_URL: 'memory://', LOG_LEVEL: 'trace', MJ_FLAVOUR: 'plus', MJ_POLL_INTERVAL_MS: '30', ...env });
  const lines: string[] = [];
  const logger = createLogger(config, { write: (line: string) => void lines.push(line) });
  const app = await createApp(config, logger);
  cleanups.push(() => app.close());
  const presenter = new RecordingPresenter();
  app.service.attach(presenter);
  await app.service.start();
  const origin: Origin = { chat: { platform: 'console', chatId: 'c1', isGroup: false }, actor: { userId: 'u1', name: 'User', locale: 'en' } };
  return { app, lines, presenter, replies: [], origin };
}

async function imagine(run: Running, prompt = 'a red fox'): Promise<void> {
  const reply = await run.app.service.submit(run.origin, { kind: 'imagine', prompt }, prompt);
  run.replies.push(reply);
  if (reply.type === 'task' && reply.taskId) await run.app.service.whenSettled(reply.taskId);
}

/** Everything a user or an operator could read. */
function everythingVisible(run: Running): string {
  const views = [...run.presenter.messages.values()].flatMap((m) => [...m.views, ...m.forms]);
  return [...run.lines, JSON.stringify(run.replies), JSON.stringify(views)].join('\n');
}

function expectNoSecrets(text: string): void {
  for (const secret of VALUES) expect(text, `leaked ${secret.slice(0, 8)}…`).not.toContain(secret);
}

async function simWithKey(apiKey: string): Promise<Simulator> {
  const sim = await startSimulator({ stepMs: 5, apiKey });
  cleanups.push(() => sim.close());
  return sim;
}

describe('secrets never appear in logs or replies', () => {
  it('a proxy that rejects the key — and one that echoes it back — leaks it nowhere', async () => {
    const sim = await simWithKey('the-proxy-expects-another-key');
    const run = await runApp({ MJ_BASE_URL: sim.url });
    await imagine(run);
    const echoes = [
      { status: 401, body: { description: `invalid mj-api-secret: ${SECRETS.MJ_API_KEY}` } },
      { status: 403, body: `Forbidden for key ${SECRETS.MJ_API_KEY}` },
      { status: 200, body: { code: 4, description: `key ${SECRETS.MJ_API_KEY} has no access to this bot`, properties: {} } },
      { status: 502, body: { error: { message: `upstream refused Bearer ${SECRETS.MJ_API_KEY}` } } },
    ];
    for (const answer of echoes) {
      sim.failNext('POST /mj/submit/imagine', answer);
      await imagine(run);
    }
    const shown = run.presenter.finals();
    expect(shown).toHaveLength(5);
    expect(shown.every((v) => v.phase === 'failed')).toBe(true);
    // The proxy's own words still reach the user, just without the key.
    expect(JSON.stringify(shown)).toContain('has no access to this bot');
    expect(run.lines.some((l) => l.includes('"level":10') || l.includes('"level":20'))).toBe(true);
    expectNoSecrets(everythingVisible(run));
  });

  it('an unreachable proxy whose URL carries the key in its path leaks it nowhere', async () => {
    const run = await runApp({ MJ_BASE_URL: `http://127.0.0.1:${await freePort()}/relay/${SECRETS.MJ_API_KEY}` });
    await imagine(run);
    const final = run.presenter.finals()[0];
    expect(final).toMatchObject({ phase: 'failed' });
    expect(run.lines.some((l) => l.includes('MJ_NETWORK'))).toBe(true);
    expectNoSecrets(everythingVisible(run));
  });

  it('forged buttons and pasted secrets as payloads are refused without echoing them', async () => {
    const sim = await simWithKey(SECRETS.MJ_API_KEY);
    const run = await runApp({ MJ_BASE_URL: sim.url });
    for (const payload of [...VALUES, `A${SECRETS.BOT_SECRET}`, 'Hgarbage', '']) {
      run.replies.push(await run.app.service.press(payload, run.origin));
      const plan = await run.app.service.planPress(payload, run.origin);
      if (plan.type === 'error') run.replies.push(plan);
    }
    expect(run.replies.every((r) => r.type === 'error')).toBe(true);
    expectNoSecrets(everythingVisible(run));
  });

  it('a failed task whose reason quotes the key shows the reason without it', async () => {
    const sim = await simWithKey(SECRETS.MJ_API_KEY);
    const run = await runApp({ MJ_BASE_URL: sim.url });
    sim.failTask('next', `upstream account ${SECRETS.MJ_API_KEY} suspended`);
    await imagine(run);
    expect(run.presenter.finals()[0]).toMatchObject({ phase: 'failed' });
    expectNoSecrets(everythingVisible(run));
  });

  it('errors and objects that carry a secret are scrubbed by the app logger', async () => {
    const sim = await simWithKey(SECRETS.MJ_API_KEY);
    const run = await runApp({ MJ_BASE_URL: sim.url });
    const { logger, config } = run.app;
    logger.error({ err: new Error(`request to https://api.telegram.org/bot${SECRETS.TELEGRAM_BOT_TOKEN}/getMe failed`) }, 'telegram failed');
    logger.warn(`discord login with ${SECRETS.DISCORD_TOKEN} refused`);
    logger.debug({ config }, 'config loaded');
    logger.trace({ request: { headers: { 'mj-api-secret': SECRETS.MJ_API_KEY, authorization: `Bearer ${SECRETS.MJ_API_KEY}` } } }, 'outgoing');
    logger.info({ nested: { deeper: { list: [`webhook ${SECRETS.TELEGRAM_WEBHOOK_SECRET}`] } } }, 'nested');
    expect(run.lines.filter((l) => l.includes('[secret]')).length).toBeGreaterThanOrEqual(5);
    expectNoSecrets(everythingVisible(run));
  });

  it('secrets derived from the bot secret (webhook secret token, notify-hook path) are scrubbed like configured ones', async () => {
    const sim = await simWithKey(SECRETS.MJ_API_KEY);
    const run = await runApp({ MJ_BASE_URL: sim.url, PUBLIC_URL: 'http://127.0.0.1:9', HTTP_PORT: '0' });
    const webhookSecret = run.app.adapterDeps('telegram').secretFor('telegram-webhook');
    const hookPath = new URL(String((await imagineRequest(run, sim)).notifyHook)).pathname;
    const hookSecret = hookPath.split('/').pop() ?? '';
    expect(hookSecret.length).toBeGreaterThan(20);
    const { logger } = run.app;
    logger.error({ err: new Error(`setWebhook refused: {"secret_token":"${webhookSecret}"}`), payload: { secret_token: webhookSecret } }, 'telegram failed');
    logger.warn(`notify for ${hookPath} refused`);
    sim.failNext('POST /mj/submit/imagine', { status: 400, body: { code: 4, description: `notifyHook ${hookPath} is not reachable`, properties: {} } });
    await imagine(run);
    const visible = everythingVisible(run);
    expect(visible).toContain('is not reachable');
    for (const derived of [webhookSecret, hookSecret]) expect(visible).not.toContain(derived);
  });
});

/** The body of the next imagine request the proxy receives. */
async function imagineRequest(run: Running, sim: Simulator): Promise<Record<string, unknown>> {
  await imagine(run);
  return sim.requests.filter((r) => r.path.endsWith('/submit/imagine')).at(-1)?.body as Record<string, unknown>;
}

describe('configuration errors never print the bad value', () => {
  it.each([
    ['MJ_MODE', 'sk-live-ABCDEF1234567890'],
    ['MJ_AUTH_HEADER', 'Bearer sk-live-ABCDEF1234567890'],
    ['STORE_URL', 'postgres://admin:sk-live-ABCDEF1234567890@db/x'],
    ['MJ_BASE_URL', 'ftp://user:sk-live-ABCDEF1234567890@host/'],
    ['TELEGRAM_WEBHOOK_SECRET', 'sk-live-ABCDEF1234567890!!'],
    ['BOT_SECRET', 'sk-live-ABCD'],
    ['HTTP_PORT', 'sk-live-ABCDEF1234567890'],
    ['LOG_LEVEL', 'sk-live-ABCDEF1234567890'],
    ['REDIS_PREFIX', 'sk-live-ABCDEF1234567890!!'],
  ])('a bad %s names the variable but never shows its value, not even in the error cause', (name, value) => {
    let caught: unknown;
    try {
      parseConfig({ [name]: value });
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: 'CONFIG_INVALID' });
    const err = caught as Error;
    expect(err.message).toContain(name);
    const secretPart = value.includes('sk-live-ABCDEF1234567890') ? 'sk-live-ABCDEF1234567890' : value;
    for (const text of [err.message, String(err.stack), inspect(err, { depth: 20 }), JSON.stringify(err.cause)]) expect(text).not.toContain(secretPart);
    const lines: string[] = [];
    createLogger({ LOG_LEVEL: 'trace' }, { write: (line: string) => void lines.push(line) }).error({ err }, 'invalid configuration');
    expect(lines.join('\n')).not.toContain(secretPart);
  });
});
