/**
 * /healthz as a load balancer sees it: 200 with every check listed while the store and the
 * platforms answer, 503 naming what is down when one fails, throws or hangs.
 */
import { freePort } from '../helpers/net.js';
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { request } from 'undici';
import { createHealth, storeCheck, type Health } from '../../src/runtime/health.js';
import { startHttpServer, type HttpServer } from '../../src/runtime/http-server.js';
import { openStore, type Store } from '../../src/runtime/store.js';
import { silentLogger } from '../../src/log.js';
import { tempDir } from '../core/harness.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of cleanups.splice(0).reverse()) await close();
});

async function serve(health: Health): Promise<HttpServer> {
  const server = await startHttpServer({
    port: 0, host: '127.0.0.1', secret: 'h'.repeat(32), logger: silentLogger(),
    knows: async () => false, ingest: async () => undefined, health: () => health.run(),
  });
  cleanups.push(() => server.close());
  return server;
}

async function healthz(server: HttpServer): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await request(`${server.url}/healthz`);
  return { status: res.statusCode, body: (await res.body.json()) as Record<string, unknown> };
}


async function sqliteStore(): Promise<Store> {
  return openStore(`sqlite://${join(tempDir(), 'health.sqlite')}`);
}

describe('/healthz readiness', () => {
  it('answers 200 with every check when the store round trip and the platforms pass', async () => {
    const store = await sqliteStore();
    cleanups.push(() => store.close());
    const health = createHealth();
    health.register('store', storeCheck(store));
    health.register('telegram', () => true);
    health.register('discord', async () => true);
    const server = await serve(health);
    expect(await healthz(server)).toEqual({ status: 200, body: { ok: true, checks: { store: true, telegram: true, discord: true } } });
  });

  it('answers 503 naming the platform that is not connected, and 200 again once it reconnects', async () => {
    let connected = false;
    const health = createHealth();
    health.register('store', () => true);
    health.register('telegram', () => connected);
    const server = await serve(health);
    expect(await healthz(server)).toEqual({ status: 503, body: { ok: false, checks: { store: true, telegram: false }, failing: ['telegram'] } });
    connected = true;
    expect((await healthz(server)).status).toBe(200);
  });

  it('treats a check that throws or never answers as failing instead of erroring or hanging', async () => {
    const health = createHealth({ timeoutMs: 50 });
    health.register('store', () => Promise.reject(new Error('connection refused')));
    health.register('discord', () => new Promise<boolean>(() => undefined));
    health.register('telegram', () => true);
    const server = await serve(health);
    const { status, body } = await healthz(server);
    expect(status).toBe(503);
    expect(body.failing).toEqual(['store', 'discord']);
    expect(JSON.stringify(body)).not.toContain('connection refused');
  });

  it('fails the store check when the Redis store cannot be reached', async () => {
    const store = await openStore(`redis://127.0.0.1:${await freePort()}`);
    cleanups.push(() => store.close());
    const health = createHealth({ timeoutMs: 1000 });
    health.register('store', storeCheck(store));
    const server = await serve(health);
    expect(await healthz(server)).toMatchObject({ status: 503, body: { ok: false, failing: ['store'] } });
  });

  it('leaves no probe keys behind in the store', async () => {
    const store = await openStore('memory://');
    cleanups.push(() => store.close());
    const check = storeCheck(store);
    await Promise.all([check(), check(), check()]);
    const left: string[] = [];
    for await (const [key] of store.entries('meta')) left.push(key);
    expect(left.filter((k) => k.startsWith('healthz'))).toEqual([]);
  });

  it('an unregistered check no longer affects readiness', async () => {
    const health = createHealth();
    health.register('discord', () => false);
    expect((await health.run()).ok).toBe(false);
    health.unregister('discord');
    expect(await health.run()).toEqual({ ok: true, checks: {} });
  });
});
