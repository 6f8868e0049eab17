/**
 * The contract between the core and the adapters (console, Telegram, Discord): every adapter is
 * `create<Name>Adapter(deps: AdapterDeps, config)` and returns an `Adapter`. The deps are all an
 * adapter may use of the bot; the composition root (src/app.ts) builds them.
 */
import type { Logger } from '../../log.js';
import type { HealthCheck, ImageFetcher, KeyValue, RouteHandler } from '../domain/ports.js';
import type { Locale, Platform } from '../domain/types.js';
import type { MjService } from './service.js';

/** What an adapter counts (Prometheus). */
export interface AdapterMetrics {
  /** The platform answered 429. */
  rateLimited(platform: Platform): void;
  /** An update (message, callback, interaction…) arrived. */
  platformUpdate(platform: Platform, kind: string): void;
}

export interface AdapterDeps {
  service: MjService;
  logger: Logger;
  /** Language when the platform does not say. */
  locale: Locale;
  metrics: AdapterMetrics;
  /** Readiness: an adapter registers its check before it starts, so /healthz is red until it is up. */
  health: { register(name: string, check: HealthCheck): void };
  /** Routes on the bot's HTTP server (webhooks); undefined when no server runs. */
  routes?: { add(route: RouteHandler): void };
  /** This adapter's own persistent key-value space. */
  state: KeyValue;
  /**
   * Other bot processes use the same store at the same time (a fleet on Redis). Then what one
   * process stored about its own view of a chat (e.g. which message is its session board) may be
   * another live process's, and is not taken over after a restart.
   */
  peers: boolean;
  /** A secret derived from the bot secret for `purpose` (scrubbed from logs like configured ones). */
  secretFor(purpose: string): string;
  /** Size-capped, SSRF-guarded downloads of images users link or attach. */
  fetchImage: ImageFetcher;
  /** Largest image accepted from a chat. */
  maxImageBytes: number;
}

/** A running adapter. */
export interface Adapter {
  readonly platform: Platform;
  /** Connect to the platform, within a bound; throws a StartupError (src/startup.ts) naming the setting when it cannot. */
  start(): Promise<void>;
  /** Let answers in flight finish, then disconnect. */
  close(): Promise<void>;
  /** Resolves when the adapter ends by itself (the console's input closed). */
  readonly done?: Promise<void>;
}

/** Metrics that count nothing (tests, tools). */
export const noMetrics: AdapterMetrics = { rateLimited: () => undefined, platformUpdate: () => undefined };
