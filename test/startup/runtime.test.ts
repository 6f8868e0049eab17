/**
 * `npm start` (a console session, input left open) ends with one line naming the setting when
 * what it runs on cannot work: a Redis nobody answers at, an SQLite file that cannot be written,
 * an HTTP port in use, an MJ proxy that rejects the key (or is no MJ proxy), a bad setting.
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/sim/index.js';
import { killAllBots } from '../helpers/bot-process.js';
import { freePort } from '../helpers/net.js';
import { expectOneLine, failedStart } from './helpers.js';

let sim: Simulator | undefined;
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  await killAllBots();
  await sim?.close();
  sim = undefined;
  for (const close of closers.splice(0)) await close();
});

function closing(server: { close(done: () => void): unknown }): () => Promise<void> {
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('npm start with a store that cannot work', () => {
  it('a Redis nobody answers at is one line naming host and port, never the password in STORE_URL', async () => {
    const password = 'redis-password-not-to-print';
    const exit = await failedStart({ STORE_URL: `redis://:${password}@127.0.0.1:${await freePort()}` });
    expectOneLine(exit, /^STORE_URL: cannot connect to Redis at 127\.0\.0\.1:\d+ \(connection refused\): start Redis there or fix STORE_URL$/, [password]);
  });

  it('an SQLite file where nothing may be created is one line', async () => {
    const exit = await failedStart({ STORE_URL: 'sqlite:///proc/mjbot-startup-test.sqlite' });
    expectOneLine(exit, /^STORE_URL: cannot write the SQLite file \/proc\/mjbot-startup-test\.sqlite \(the file cannot be opened or created\): choose a file in a folder this user can write$/);
  });

  it('an SQLite file in folders that cannot be created fails instead of hanging', async () => {
    const exit = await failedStart({ STORE_URL: 'sqlite:///proc/no-such-folder/deeper/bot.sqlite' });
    expectOneLine(exit, /^STORE_URL: cannot write the SQLite file \/proc\/no-such-folder\/deeper\/bot\.sqlite \(no such folder, and it cannot be created there\)/);
  });
});

describe('npm start with an HTTP port in use', () => {
  it('names HTTP_PORT and says to stop the other program or choose another port', async () => {
    const port = await freePort();
    const taken = createTcpServer();
    await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
    closers.push(closing(taken));
    const exit = await failedStart({ HTTP_PORT: String(port) });
    expectOneLine(exit, new RegExp(`^HTTP_PORT ${port} is already in use by another program: stop that program or choose another HTTP_PORT$`));
  });
});

describe('npm start with an MJ proxy that will not serve us', () => {
  it('a key the proxy rejects is one line naming MJ_API_KEY, never the key', async () => {
    sim = await startSimulator({ apiKey: 'the-right-key-0123' });
    const key = 'a-wrong-key-4567890';
    const exit = await failedStart({ MJ_BASE_URL: sim.url, MJ_API_KEY: key, MJ_FLAVOUR: 'plus' });
    expectOneLine(exit, /^MJ_API_KEY was rejected by the MJ proxy at 127\.0\.0\.1:\d+ \(HTTP 401\): copy the key from the proxy's settings again and check MJ_AUTH_HEADER \(now mj-api-secret\)$/, [key]);
  });

  it('a proxy that needs a key when none is set says to set MJ_API_KEY (flavour detection on)', async () => {
    sim = await startSimulator({ apiKey: 'the-right-key-0123', flavour: 'newapi' });
    const exit = await failedStart({ MJ_BASE_URL: sim.url });
    expectOneLine(exit, /^MJ_API_KEY is not set, but the MJ proxy at 127\.0\.0\.1:\d+ requires a key \(HTTP 401\): set MJ_API_KEY$/);
  });

  it('a server that is no MJ proxy (a wrong MJ_BASE_URL) is one line when the flavour is detected', async () => {
    const server = createHttpServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html><body>Not Found</body></html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(closing(server));
    const { port } = server.address() as { port: number };
    const exit = await failedStart({ MJ_BASE_URL: `http://127.0.0.1:${port}/wrong-prefix` });
    expectOneLine(exit, /^MJ_BASE_URL: the server at 127\.0\.0\.1:\d+ does not answer like an MJ proxy \(HTTP 404 on GET \/mj\/task\/0000000000000000\/fetch\): check MJ_BASE_URL \(the part before \/mj\) or set MJ_FLAVOUR$/);
  });
});

describe('npm start with a bad setting', () => {
  it('is one line naming each bad variable, with exit code 2', async () => {
    const exit = await failedStart({ HTTP_PORT: 'eighty', LOG_LEVEL: 'loud' });
    expectOneLine(exit, /^Invalid configuration: HTTP_PORT: .+; LOG_LEVEL: must be one of /);
    expect(exit.code).toBe(2);
  });
});
