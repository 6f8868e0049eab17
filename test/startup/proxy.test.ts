/**
 * An MJ proxy that cannot be reached does not stop the bot: at start it is one warning and a red
 * /healthz, users are told the proxy cannot be reached, and the bot recovers by itself once the
 * proxy is back. Trouble while running is retried with a warning and recovers the same way.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { startSimulator, type Simulator } from '../../src/sim/index.js';
import { killAllBots, spawnBot } from '../helpers/bot-process.js';
import { captureLogs, WARN } from '../helpers/logs.js';
import { freePort } from '../helpers/net.js';

let sim: Simulator | undefined;
let app: App | undefined;
let dir: string | undefined;

afterEach(async () => {
  await killAllBots();
  await app?.close();
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  sim = app = dir = undefined;
});

async function healthz(port: number): Promise<{ status: number; failing: string[] }> {
  const res = await request(`http://127.0.0.1:${port}/healthz`);
  const body = (await res.body.json()) as { failing?: string[] };
  return { status: res.statusCode, failing: body.failing ?? [] };
}

async function until(pred: () => Promise<boolean>, label: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('an MJ proxy that cannot be reached', () => {
  it('at start: one warning, red /healthz, "cannot reach" for users, then recovery once the proxy is up', async () => {
    const proxyPort = await freePort();
    const httpPort = await freePort();
    dir = mkdtempSync(join(tmpdir(), 'mjbot-proxy-'));
    const bot = spawnBot({
      STORE_URL: 'memory://',
      MJ_BASE_URL: `http://127.0.0.1:${proxyPort}`,
      HTTP_PORT: String(httpPort),
      MJ_POLL_INTERVAL_MS: '100',
      OUTPUT_DIR: join(dir, 'out'),
    });
    await bot.waitFor(/mjbot console/);
    await bot.waitFor(/cannot be used/);
    // The console session logs warnings on stderr: exactly the one about the proxy.
    const warnings = bot.stderr().split('\n').filter((line) => line.trim() !== '');
    expect(warnings).toHaveLength(1);
    expect(JSON.parse(warnings[0] ?? '{}')).toMatchObject({ level: WARN, reason: 'connection refused', msg: expect.stringMatching(/^MJ proxy at 127\.0\.0\.1:\d+ cannot be used \(connection refused\)/) });
    expect(await healthz(httpPort)).toEqual({ status: 503, failing: ['proxy'] });

    bot.child.stdin.write('a red fox\n');
    await bot.waitFor(/❌ Failed — Could not reach the Midjourney proxy\. Please try again later\./);

    sim = await startSimulator({ port: proxyPort, stepMs: 20 });
    await until(async () => (await healthz(httpPort)).status === 200, '/healthz 200 once the proxy answers');
    bot.child.stdin.write('a blue fox\n');
    await bot.waitFor(/✅ Done — image: /);
    expect(sim.requests.filter((r) => r.path.endsWith('/submit/imagine'))).toHaveLength(1);
    bot.child.stdin.end();
  });

  it('while running: polls that get no answer are retried with a warning, and the task still ends', async () => {
    sim = await startSimulator({ stepMs: 40 });
    dir = mkdtempSync(join(tmpdir(), 'mjbot-proxy-'));
    const logs = captureLogs();
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (chunk: Buffer) => (shown += chunk.toString('utf8')));
    const config = parseConfig({ STORE_URL: 'memory://', MJ_BASE_URL: sim.url, MJ_FLAVOUR: 'plus', MJ_POLL_INTERVAL_MS: '50', HTTP_PORT: '0', OUTPUT_DIR: join(dir, 'out') });
    app = await createApp(config, logs.logger, { console: { input, output } });
    await app.start();
    const port = Number(new URL(app.http!.url).port);
    expect((await healthz(port)).status).toBe(200);

    sim.pause();
    input.write('a lighthouse in fog\n');
    await until(async () => sim!.requests.some((r) => r.path.endsWith('/submit/imagine')), 'the submit');
    // The link to the proxy breaks: the next polls get no answer at all.
    sim.failNext('POST /mj/task/list-by-condition', 'drop-connection', 6);
    await logs.waitFor((l) => l.level === WARN && /^MJ proxy at .* cannot be used \(no answer\)/.test(l.msg ?? ''), 'outage warning');
    await logs.waitFor((l) => l.msg === 'MJ proxy answers again', 'recovery');
    sim.resume();
    await until(async () => /✅ Done — image: /.test(shown), 'the result');
    expect((await healthz(port)).status).toBe(200);
    expect(logs.lines().some((l) => l.level === WARN && l.msg === 'mj read failed, retrying')).toBe(true);
  });
});
