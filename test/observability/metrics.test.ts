/**
 * Prometheus metrics: what an operator scraping /metrics sees after real traffic against the
 * simulator (proxy latency/errors through the client's onResponse hook, finished tasks through
 * the service's observer, gauges read at scrape time).
 */
import { freePort } from '../helpers/net.js';
import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { createMetrics, metricsObserver, endpointLabel, metricsRoute, type Metrics } from '../../src/runtime/metrics.js';
import { startHttpServer, type HttpServer } from '../../src/runtime/http-server.js';
import { silentLogger } from '../../src/log.js';
import { MjClient } from '../../src/mj/client.js';
import { startSimulator, type Simulator } from '../../src/sim/index.js';
import { createCoreStack, type CoreStack } from '../core/harness.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of cleanups.splice(0).reverse()) await close();
});

/** Current value of a counter/gauge series (0 when the series does not exist yet). */
async function valueOf(metrics: Metrics, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const match = values.find((v) => Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want));
  return match?.value ?? 0;
}

/** Number of observations in the histogram series for this endpoint/status. */
async function observations(metrics: Metrics, endpoint: string, status: string): Promise<number> {
  const metric = metrics.registry.getSingleMetric('mjbot_proxy_request_duration_seconds');
  const { values } = await metric!.get();
  const count = values.find((v) => (v as { metricName?: string }).metricName === 'mjbot_proxy_request_duration_seconds_count' && v.labels.endpoint === endpoint && String(v.labels.status) === status);
  return count?.value ?? 0;
}

function meteredClient(sim: Simulator, metrics: Metrics, apiKey?: string): MjClient {
  const client = new MjClient({
    baseUrl: sim.url,
    apiKey,
    flavour: 'plus',
    retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
    onResponse: (endpoint, status, ms, code) => metrics.observeProxy(endpoint, status, ms / 1000, code),
  });
  cleanups.push(() => client.close());
  return client;
}


describe('metrics registry', () => {
  it('renders every bot metric and the default process metrics in the Prometheus text format', async () => {
    const metrics = createMetrics();
    metrics.rateLimited('telegram');
    metrics.platformUpdate('discord', 'interaction');
    const { contentType, body } = await metrics.render();
    expect(contentType).toMatch(/^text\/plain/);
    for (const name of [
      'mjbot_tasks_total', 'mjbot_results_total', 'mjbot_tasks_tracked', 'mjbot_queue_depth', 'mjbot_proxy_request_duration_seconds',
      'mjbot_proxy_errors_total', 'mjbot_platform_rate_limited_total', 'mjbot_platform_updates_total', 'process_cpu_user_seconds_total',
    ]) expect(body).toContain(`# TYPE ${name} `);
    expect(body).toContain('mjbot_platform_rate_limited_total{platform="telegram"} 1');
    expect(body).toContain('mjbot_platform_updates_total{platform="discord",kind="interaction"} 1');
  });

  it('keeps two registries apart, so two apps in one process do not share counts', async () => {
    const a = createMetrics({ defaultMetrics: false });
    const b = createMetrics({ defaultMetrics: false });
    a.rateLimited('discord');
    expect(await valueOf(a, 'mjbot_platform_rate_limited_total', { platform: 'discord' })).toBe(1);
    expect(await valueOf(b, 'mjbot_platform_rate_limited_total', { platform: 'discord' })).toBe(0);
  });

  it('reads the tracked and queue gauges from their callbacks at each scrape', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    let waiting = 2;
    metrics.setGauges({ tracked: () => 7, queueDepth: async () => waiting });
    expect(await metrics.render()).toMatchObject({ body: expect.stringContaining('mjbot_queue_depth 2') });
    waiting = 5;
    const { body } = await metrics.render();
    expect(body).toContain('mjbot_queue_depth 5');
    expect(body).toContain('mjbot_tasks_tracked 7');
  });

  it('labels per-task endpoints without the task id, so each task does not create a new series', () => {
    expect(endpointLabel('GET /mj/task/1712345678901234/fetch')).toBe('GET /mj/task/:id/fetch');
    expect(endpointLabel('GET /mj-fast/mj/task/abc%2F1/image-seed')).toBe('GET /mj-fast/mj/task/:id/image-seed');
    expect(endpointLabel('POST /mj/task/list-by-condition')).toBe('POST /mj/task/list-by-condition');
  });
});

describe('proxy metrics through the client hook', () => {
  it('times every real request by endpoint and status and counts failures by error code', async () => {
    const sim = await startSimulator({ stepMs: 5, apiKey: 'sim-key-123456' });
    cleanups.push(() => sim.close());
    const metrics = createMetrics({ defaultMetrics: false });
    const client = meteredClient(sim, metrics, 'sim-key-123456');

    const submitted = await client.imagine({ prompt: 'a red fox' });
    await client.fetch(submitted.taskId);
    await client.fetch(submitted.taskId);
    expect(await observations(metrics, 'POST /mj/submit/imagine', '200')).toBe(1);
    expect(await observations(metrics, 'GET /mj/task/:id/fetch', '200')).toBe(2);
    expect(await valueOf(metrics, 'mjbot_proxy_errors_total')).toBe(0);

    const wrongKey = meteredClient(sim, metrics, 'not-the-key-000');
    await expect(wrongKey.imagine({ prompt: 'a red fox' })).rejects.toMatchObject({ code: 'MJ_AUTH_FAILED' });
    expect(await valueOf(metrics, 'mjbot_proxy_errors_total', { code: 'MJ_AUTH_FAILED' })).toBe(1);
    expect(await observations(metrics, 'POST /mj/submit/imagine', '401')).toBe(1);

    sim.failNext('POST /mj/submit/imagine', { status: 200, body: { code: 24, description: 'banned prompt', properties: {} } });
    await expect(client.imagine({ prompt: 'a red fox' })).rejects.toMatchObject({ code: 'MJ_BANNED_PROMPT' });
    expect(await valueOf(metrics, 'mjbot_proxy_errors_total', { code: 'MJ_BANNED_PROMPT' })).toBe(1);
  });

  it('counts an unreachable proxy as status 0 with a network error', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const client = new MjClient({
      baseUrl: `http://127.0.0.1:${await freePort()}`,
      flavour: 'plus',
      retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
      onResponse: (endpoint, status, ms, code) => metrics.observeProxy(endpoint, status, ms / 1000, code),
    });
    cleanups.push(() => client.close());
    await expect(client.fetch('123')).rejects.toMatchObject({ code: 'MJ_NETWORK' });
    expect(await observations(metrics, 'GET /mj/task/:id/fetch', '0')).toBe(1);
    expect(await valueOf(metrics, 'mjbot_proxy_errors_total', { code: 'MJ_NETWORK' })).toBe(1);
  });

  it('a throwing metrics hook never fails the request', async () => {
    const sim = await startSimulator({ stepMs: 5 });
    cleanups.push(() => sim.close());
    const client = new MjClient({ baseUrl: sim.url, flavour: 'plus', onResponse: () => { throw new Error('broken hook'); } });
    cleanups.push(() => client.close());
    await expect(client.imagine({ prompt: 'a red fox' })).resolves.toMatchObject({ taskId: expect.any(String) });
  });
});

describe('finished tasks', () => {
  let stack: CoreStack | undefined;
  afterEach(async () => {
    await stack?.close();
    stack = undefined;
  });

  it('counts each task once by how it ended: success, failure and timeout', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    stack = await createCoreStack({ env: { MJ_TASK_TIMEOUT_MS: '1000' }, observer: metricsObserver(metrics) });
    const s = stack;
    metrics.setGauges({ tracked: () => s.service.diagnostics().tracked });
    const run = async (prompt: string) => {
      const reply = await s.service.submit(s.origin(), { kind: 'imagine', prompt }, prompt);
      if (reply.type !== 'task' || !reply.taskId) throw new Error(JSON.stringify(reply));
      return reply.taskId;
    };

    await s.finalOf(await run('a red fox'));
    s.sim.failTask('next', 'Simulated failure');
    await s.finalOf(await run('a blue fox'));
    s.sim.stickTask('next');
    const stuck = await run('a green fox');
    expect(await valueOf(metrics, 'mjbot_tasks_tracked')).toBe(1);
    await s.finalOf(stuck);

    expect(await valueOf(metrics, 'mjbot_tasks_total', { state: 'SUCCESS' })).toBe(1);
    expect(await valueOf(metrics, 'mjbot_tasks_total', { state: 'FAILURE' })).toBe(1);
    expect(await valueOf(metrics, 'mjbot_tasks_total', { state: 'TIMEOUT' })).toBe(1);
    expect(await valueOf(metrics, 'mjbot_tasks_tracked')).toBe(0);
  });
});

describe('/metrics route', () => {
  let server: HttpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('serves the registry on GET /metrics next to the notify receiver and refuses other methods', async () => {
    const metrics = createMetrics();
    metrics.taskFinished('SUCCESS');
    server = await startHttpServer({
      port: 0, host: '127.0.0.1', secret: 's'.repeat(32), logger: silentLogger(),
      knows: async () => false, ingest: async () => undefined, health: async () => ({ ok: true }),
    });
    server.addRoute(metricsRoute(metrics));

    const res = await request(`${server.url}/metrics`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const body = await res.body.text();
    expect(body).toContain('mjbot_tasks_total{state="SUCCESS"} 1');
    expect(body).toContain('process_resident_memory_bytes');

    const post = await request(`${server.url}/metrics`, { method: 'POST', body: '{}' });
    await post.body.dump();
    expect(post.statusCode).toBe(405);
    const other = await request(`${server.url}/elsewhere`);
    await other.body.dump();
    expect(other.statusCode).toBe(404);
  });
});
