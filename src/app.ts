/**
 * Composition root: builds the store, MJ clients, codec, service and HTTP receiver from one
 * parsed Config. Front ends are started by src/main.ts on top of the returned App.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import { MjClient } from './mj/client.js';
import type { SpeedMode } from './mj/schemas.js';
import { createButtonCodec } from './core/domain/buttons/codec.js';
import { startNotifyServer, type NotifyServer } from './runtime/http-server.js';
import { MjService } from './core/service/service.js';
import { createAccessGate } from './core/access/index.js';
import { countFinishedTasks, createMetrics, metricsRoute, type Metrics } from './runtime/metrics.js';
import { createHealth, storeCheck, type Health } from './runtime/health.js';
import { startFleet, type Fleet } from './runtime/fleet.js';
import { openStore, type Store } from './runtime/store.js';
import { startSimulator, type Simulator } from './sim/index.js';

export interface App {
  config: Config;
  logger: Logger;
  store: Store;
  service: MjService;
  /** The embedded simulator when MJ_BASE_URL is unset. */
  sim?: Simulator;
  /** Base URL of the MJ proxy in use. */
  mjBaseUrl: string;
  http?: NotifyServer;
  /** Shared tracking when STORE_URL is Redis. */
  fleet?: Fleet;
  /** Prometheus metrics (/metrics); adapters count platform 429s and updates here. */
  metrics: Metrics;
  /** Readiness checks (/healthz); adapters register their platform connection. */
  health: Health;
  /** Derive a named secret from the bot secret (hook path, webhook secret…). */
  secretFor(purpose: string): string;
  close(): Promise<void>;
}

export interface AppOptions {
  /** Options for the embedded simulator (demo timing by default). */
  simStepMs?: number;
}

/** The bot secret signs button payloads; generated once and kept in the store if not configured. */
async function botSecret(config: Config, store: Store): Promise<string> {
  if (config.BOT_SECRET) return config.BOT_SECRET;
  const saved = await store.get<string>('meta', 'bot-secret');
  if (saved) return saved;
  const fresh = randomBytes(32).toString('base64url');
  await store.set('meta', 'bot-secret', fresh);
  return fresh;
}

export async function createApp(config: Config, logger: Logger, opts: AppOptions = {}): Promise<App> {
  const store = await openStore(config.STORE_URL);
  const metrics = createMetrics();
  const health = createHealth();
  health.register('store', storeCheck(store));
  const secret = await botSecret(config, store);
  const secretFor = (purpose: string) => createHmac('sha256', secret).update(purpose).digest('base64url').slice(0, 32);
  const sim = config.MJ_BASE_URL ? undefined : await startSimulator({ stepMs: opts.simStepMs ?? 700 });
  const mjBaseUrl = config.MJ_BASE_URL ?? sim!.url;
  if (sim) logger.info({ url: sim.url }, 'MJ_BASE_URL unset: using the embedded simulator');

  const clients = new Map<string, MjClient>();
  const clientFor = (mode?: SpeedMode): MjClient => {
    const effective = mode ?? config.MJ_MODE;
    const key = effective ?? 'default';
    let client = clients.get(key);
    if (!client) {
      client = new MjClient({
        baseUrl: mjBaseUrl,
        apiKey: config.MJ_API_KEY,
        authHeader: config.MJ_AUTH_HEADER,
        mode: effective,
        flavour: sim ? 'plus' : config.MJ_FLAVOUR,
        timeoutMs: config.MJ_REQUEST_TIMEOUT_MS,
        logger,
        onResponse: (endpoint, status, ms, code) => metrics.observeProxy(endpoint, status, ms / 1000, code),
      });
      clients.set(key, client);
    }
    return client;
  };

  const hookSecret = secretFor('notify-hook');
  const notifyHook = config.PUBLIC_URL ? `${config.PUBLIC_URL.replace(/\/$/, '')}/mj/notify/${hookSecret}` : undefined;
  const codec = createButtonCodec({ secret, store });
  const fleetMode = store.kind === 'redis';
  const gate = createAccessGate({ config, store, logger });
  const service = new MjService({
    gate,
    config,
    store,
    logger,
    clientFor,
    codec,
    notifyHook,
    imageAllowHosts: [new URL(mjBaseUrl).host],
    fleetMode,
  });
  // Several processes on one Redis share the tracking work (one poll per tick for the fleet).
  const fleet = fleetMode
    ? await startFleet({
        redisUrl: config.STORE_URL,
        tracker: service.tracker,
        records: service.records,
        listTasks: (ids) => clientFor().listByCondition(ids),
        intervalMs: config.MJ_POLL_INTERVAL_MS,
        lockMs: config.FLEET_LOCK_MS,
        logger,
        prefix: config.FLEET_PREFIX,
      })
    : undefined;
  if (fleet) service.useFleet(fleet);
  countFinishedTasks(service.tracker, metrics);
  metrics.setGauges({ tracked: () => service.tracker.size, queueDepth: async () => (await gate.stats()).waiting });

  let http: NotifyServer | undefined;
  if (config.HTTP_PORT !== undefined || config.PUBLIC_URL) {
    http = await startNotifyServer({
      port: config.HTTP_PORT ?? 8787,
      secret: hookSecret,
      logger,
      knows: async (id) => (await service.records.get(id)) !== undefined,
      ingest: (task) => service.ingest(task),
      health: () => health.run(),
    });
    http.addRoute(metricsRoute(metrics));
    logger.info({ url: http.url, notify: Boolean(notifyHook) }, 'HTTP server listening');
  }

  return {
    config,
    logger,
    store,
    service,
    sim,
    mjBaseUrl,
    http,
    secretFor,
    fleet,
    metrics,
    health,
    async close() {
      // Stop taking updates from the fleet first, then let in-flight deliveries finish.
      await fleet?.close();
      gate.close();
      await service.stop();
      await http?.close();
      await Promise.all([...clients.values()].map((c) => c.close()));
      await sim?.close();
      await store.close();
    },
  };
}
