/**
 * Composition root: builds the runtime (store, metrics, health, HTTP server, fleet), the MJ
 * clients, the service and the adapters the config asks for, from one parsed Config. Nothing
 * else wires parts together; adapters get only their AdapterDeps.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { allCommands, internalButtonsOf } from '../commands/index.js';
import { configWarnings, type Config } from './config.js';
import { addSecret, secretValues, type Logger } from './log.js';
import { MjClient } from './mj/client.js';
import type { SpeedMode } from './mj/schemas.js';
import { createAccessGate } from './core/access/index.js';
import { createButtonCodec } from './core/domain/buttons/codec.js';
import type { Platform } from './core/domain/types.js';
import type { RouteHandler } from './core/domain/ports.js';
import type { Adapter, AdapterDeps } from './core/service/adapter.js';
import { MjService } from './core/service/service.js';
import type { Fleet } from './runtime/fleet.js';
import { createHealth, storeCheck, type Health } from './runtime/health.js';
import { startHttpServer, type HttpServer } from './runtime/http-server.js';
import { downloadImage } from './runtime/images/download.js';
import { createMetrics, metricsObserver, metricsRoute, type Metrics } from './runtime/metrics.js';
import { createProxyHealth } from './runtime/proxy-health.js';
import { adapterState, openWorkingStore, type Store } from './runtime/store.js';
import { startSimulator, type Simulator } from './sim/index.js';
import { hostOf, portFailure, STARTUP_TIMEOUTS } from './startup.js';

export interface App {
  config: Config;
  logger: Logger;
  service: MjService;
  /** The store (tests read records from it; nothing in the bot reaches it through the service). */
  store: Store;
  /** The embedded simulator when MJ_BASE_URL is unset. */
  sim?: Simulator;
  /** Base URL of the MJ proxy in use. */
  mjBaseUrl: string;
  http?: HttpServer;
  /** Shared tracking when STORE_URL is Redis. */
  fleet?: Fleet;
  metrics: Metrics;
  health: Health;
  /** The adapters the config asks for (created, not yet started). */
  adapters: Adapter[];
  /** What an adapter of `platform` is built from (tests build adapters with options of their own). */
  adapterDeps(platform: Platform): AdapterDeps;
  /**
   * Check the MJ proxy while starting every adapter, then start the service (resumed tasks need
   * their adapters). Resolves once all are up; throws a StartupError naming the setting when a
   * platform or the proxy refuses us. A proxy that merely cannot be reached is logged and retried.
   */
  start(): Promise<void>;
  /** Stop the service (letting results in flight reach their chats), then the adapters and the runtime. */
  close(): Promise<void>;
}

export interface AppOptions {
  /** Options for the embedded simulator (demo timing by default). */
  simStepMs?: number;
  /** Build the adapters the config asks for (default true); tests build their own. */
  adapters?: boolean;
  /** The terminal of a console session (no chat token set). */
  console?: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream };
}

/**
 * The bot secret signs button payloads; if not configured it is generated once and kept in the
 * store — set only if absent, so processes starting together on an empty store agree on one.
 */
async function botSecret(config: Config, store: Store): Promise<string> {
  if (config.BOT_SECRET) return config.BOT_SECRET;
  const fresh = randomBytes(32).toString('base64url');
  return store.transact([['meta', 'bot-secret']], (tx) => {
    const saved = tx.get<string>('meta', 'bot-secret');
    if (saved) return saved;
    tx.set('meta', 'bot-secret', fresh);
    return fresh;
  });
}

export async function createApp(config: Config, logger: Logger, opts: AppOptions = {}): Promise<App> {
  for (const warning of configWarnings(config)) logger.warn(warning);
  const store = await openWorkingStore(config.STORE_URL, { prefix: config.REDIS_PREFIX, logger });
  const metrics = createMetrics();
  const health = createHealth();
  health.register('store', storeCheck(store));
  const secret = await botSecret(config, store);
  // Never shown to users or written to logs: the configured secrets and every one derived from them.
  const secrets = secretValues(config);
  // Proxies echo keys of any length; the client scrubbed even short ones before.
  if (config.MJ_API_KEY && !secrets.includes(config.MJ_API_KEY)) secrets.push(config.MJ_API_KEY);
  const secretFor = (purpose: string) => {
    const derived = createHmac('sha256', secret).update(purpose).digest('base64url').slice(0, 32);
    addSecret(logger, derived);
    if (!secrets.includes(derived)) secrets.push(derived);
    return derived;
  };
  const sim = config.MJ_BASE_URL ? undefined : await startSimulator({ stepMs: opts.simStepMs ?? 700 });
  const mjBaseUrl = config.MJ_BASE_URL ?? sim!.url;
  if (sim) logger.info({ url: sim.url }, 'MJ_BASE_URL unset: using the embedded simulator');
  const flavour = sim ? 'plus' : config.MJ_FLAVOUR;
  // Probes get a client of their own: no retries, a short timeout, nothing logged per request.
  const probeClient = new MjClient({
    baseUrl: mjBaseUrl,
    apiKey: config.MJ_API_KEY,
    authHeader: config.MJ_AUTH_HEADER,
    flavour,
    timeoutMs: STARTUP_TIMEOUTS.proxyMs,
    retry: { retries: 0, baseDelayMs: 0, maxDelayMs: 0 },
  });
  const proxy = createProxyHealth({
    client: probeClient,
    detecting: flavour === 'auto',
    where: hostOf(mjBaseUrl),
    retryMs: config.MJ_POLL_INTERVAL_MS,
    logger,
  });
  health.register('proxy', proxy.check);

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
        route: config.MJ_IMAGE_ROUTE,
        flavour,
        timeoutMs: config.MJ_REQUEST_TIMEOUT_MS,
        maxResponseBytes: config.MJ_MAX_RESPONSE_BYTES,
        logger,
        // The key and every derived secret (the notify-hook path goes out with each submit).
        secrets,
        onResponse: (endpoint, status, ms, code) => {
          metrics.observeProxy(endpoint, status, ms / 1000, code);
          proxy.observe(status, code);
        },
      });
      clients.set(key, client);
    }
    return client;
  };

  const hookSecret = secretFor('notify-hook');
  const notifyHook = config.PUBLIC_URL ? `${config.PUBLIC_URL.replace(/\/$/, '')}/mj/notify/${hookSecret}` : undefined;
  const access = createAccessGate({ config, store, logger });
  // Several processes on one Redis share the tracking work (one poll per tick for the fleet).
  const fleet =
    store.kind === 'redis'
      ? (await import('./runtime/fleet.js')).createFleet({
          redisUrl: config.STORE_URL,
          listTasks: (ids) => clientFor().listByCondition(ids),
          intervalMs: config.MJ_POLL_INTERVAL_MS,
          lockMs: config.FLEET_LOCK_MS,
          logger,
          prefix: config.REDIS_PREFIX,
        })
      : undefined;
  const service = new MjService({
    config,
    store,
    logger,
    clientFor,
    codec: createButtonCodec({ secret, store }),
    fetchImage: downloadImage,
    imageAllowOrigins: [new URL(mjBaseUrl).origin],
    notifyHook,
    access,
    fleet,
    internalButtons: internalButtonsOf(allCommands),
    observer: metricsObserver(metrics),
    secrets,
  });
  metrics.setGauges({ tracked: () => service.diagnostics().tracked, queueDepth: async () => (await access.stats()).waiting });

  // Adapters are built before the HTTP server answers, so /healthz lists their checks (red) from the first request.
  const serveHttp = config.HTTP_PORT !== undefined || Boolean(config.PUBLIC_URL);
  let http: HttpServer | undefined;
  const earlyRoutes: RouteHandler[] = [];
  const adapterDeps = (platform: Platform): AdapterDeps => ({
    service,
    logger,
    locale: config.DEFAULT_LOCALE,
    metrics,
    health,
    routes: serveHttp ? { add: (route) => (http ? http.addRoute(route) : earlyRoutes.push(route)) } : undefined,
    state: adapterState(store, platform),
    peers: fleet !== undefined,
    secretFor,
    fetchImage: downloadImage,
    maxImageBytes: config.MAX_IMAGE_BYTES,
  });
  const adapters = opts.adapters === false ? [] : await createAdapters(config, adapterDeps, opts.console);

  if (serveHttp) {
    const port = config.HTTP_PORT ?? 8787;
    http = await startHttpServer({
      port,
      secret: hookSecret,
      logger,
      knows: (id) => service.knowsTask(id),
      ingest: (task) => service.ingest(task),
      health: () => health.run(),
    }).catch(async (err: unknown) => {
      await fleet?.close();
      access.close();
      proxy.close();
      await probeClient.close();
      await sim?.close();
      await store.close();
      throw portFailure(port, err);
    });
    http.addRoute(metricsRoute(metrics));
    for (const route of earlyRoutes) http.addRoute(route);
    logger.info({ url: http.url, notify: Boolean(notifyHook) }, 'HTTP server listening');
  }
  const checkProxy = () =>
    proxy.checkAtStart({
      baseUrl: mjBaseUrl,
      hasKey: Boolean(config.MJ_API_KEY),
      authHeader: config.MJ_AUTH_HEADER,
      detecting: flavour === 'auto',
    });

  return {
    config,
    logger,
    service,
    store,
    sim,
    mjBaseUrl,
    http,
    fleet,
    metrics,
    health,
    adapters,
    adapterDeps,
    async start() {
      const startAdapters = async () => {
        for (const adapter of adapters) await adapter.start();
      };
      await Promise.all([checkProxy(), startAdapters()]);
      await service.start();
    },
    async close() {
      // Stop taking updates from the fleet first, then let in-flight deliveries finish.
      await fleet?.close();
      proxy.close();
      await service.stop();
      for (const adapter of [...adapters].reverse()) await adapter.close();
      await http?.close();
      await Promise.all([...clients.values(), probeClient].map((c) => c.close()));
      await sim?.close();
      await store.close();
    },
  };
}

/** Telegram and/or Discord when their tokens are set; otherwise a console session on the terminal. */
async function createAdapters(config: Config, deps: (platform: Platform) => AdapterDeps, terminal: AppOptions['console']): Promise<Adapter[]> {
  // Each platform's library is loaded only when it is used: discord.js alone takes seconds to load.
  const adapters: Adapter[] = [];
  if (config.TELEGRAM_BOT_TOKEN) {
    const { createTelegramAdapter } = await import('./adapters/telegram/index.js');
    adapters.push(
      createTelegramAdapter(deps('telegram'), {
        token: config.TELEGRAM_BOT_TOKEN,
        apiRoot: config.TELEGRAM_API_ROOT,
        webhookUrl: config.TELEGRAM_WEBHOOK_URL,
        webhookSecret: config.TELEGRAM_WEBHOOK_SECRET,
      }),
    );
  }
  if (config.DISCORD_TOKEN) {
    const { createDiscordAdapter } = await import('./adapters/discord/index.js');
    adapters.push(createDiscordAdapter(deps('discord'), { token: config.DISCORD_TOKEN, apiBase: config.DISCORD_API_BASE, guildId: config.DISCORD_GUILD_ID }));
  }
  if (adapters.length === 0 && terminal) {
    const { createConsoleAdapter } = await import('./adapters/console/index.js');
    adapters.push(createConsoleAdapter(deps('console'), { input: terminal.input, output: terminal.output, outputDir: config.OUTPUT_DIR, prompt: true }));
  }
  return adapters;
}
