/**
 * A full bot stack for tests: the embedded MJ simulator over real HTTP on 127.0.0.1, a real
 * MjClient, an in-memory store, the signed button codec and the real MjService (started).
 * No presenter is attached: attach the adapter under test (or a recording one) yourself.
 */
import { allCommands, internalButtonsOf } from '../../commands/index.js';
import { parseConfig, type Config } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { MjClient } from '../../src/mj/client.js';
import type { RetryPolicy } from '../../src/mj/retry.js';
import type { Flavour } from '../../src/mj/capabilities.js';
import { createButtonCodec, type ButtonCodec } from '../../src/core/domain/buttons/codec.js';
import type { AccessControl, ServiceObserver } from '../../src/core/domain/ports.js';
import { RecordStore } from '../../src/core/domain/stores.js';
import { MjService } from '../../src/core/service/service.js';
import { downloadImage } from '../../src/runtime/images/download.js';
import { adapterState, openStore, type Store } from '../../src/runtime/store.js';
import type { Locale, Origin, Platform } from '../../src/core/domain/types.js';
import { noMetrics, type AdapterDeps } from '../../src/core/service/adapter.js';
import { startSimulator, type SimOptions, type Simulator } from '../../src/sim/index.js';

export interface StackOptions {
  /** Proxy flavour the simulator imitates and the client speaks (default 'plus'). */
  flavour?: Flavour;
  /** Account remix mode in the simulator. */
  remix?: boolean;
  /** More simulator options (stepMs defaults to 20). */
  simOptions?: SimOptions;
  /** Extra config variables (strings, as in the environment). */
  config?: Record<string, string>;
  /** Access control / fair scheduling under test (or a factory given the stack's config and store). */
  gate?: AccessControl | ((deps: { config: Config; store: Store }) => AccessControl);
  /** Told when a task ends (metrics). */
  observer?: ServiceObserver;
  /** Store to use (default memory://). */
  storeUrl?: string;
  /** Reuse a running simulator (not closed by `close()`). */
  sim?: Simulator;
  /** Don't start the service yet: call `stack.start()` after attaching a presenter. */
  deferStart?: boolean;
  /** How refused final results are tried again (default: the service's). */
  finalRetry?: RetryPolicy;
}

export interface Stack {
  sim: Simulator;
  client: MjClient;
  store: Store;
  codec: ButtonCodec;
  service: MjService;
  /** The task records in the store (what tests check behind the façade). */
  records: RecordStore;
  /** Start the service (only needed with `deferStart`). */
  start(): Promise<void>;
  /** Stops the service, then closes the client, the store and the simulator. */
  close(): Promise<void>;
}

/** Build and start the stack. Always `await stack.close()` (afterEach/afterAll). */
export async function createStack(opts: StackOptions = {}): Promise<Stack> {
  const flavour = opts.flavour ?? 'plus';
  const sim = opts.sim ?? (await startSimulator({ stepMs: 20, flavour, remix: opts.remix ?? false, ...opts.simOptions }));
  const client = new MjClient({ baseUrl: sim.url, flavour, retry: { retries: 2, baseDelayMs: 10, maxDelayMs: 50 } });
  const store = await openStore(opts.storeUrl ?? 'memory://');
  const codec = createButtonCodec({ secret: 'x'.repeat(32), store });
  const config = parseConfig({ MJ_POLL_INTERVAL_MS: '50', STORE_URL: 'memory://', MJ_BASE_URL: sim.url, ...opts.config });
  const gate = typeof opts.gate === 'function' ? opts.gate({ config, store }) : opts.gate;
  const service = new MjService({ config, store, logger: silentLogger(), clientFor: () => client, codec, fetchImage: downloadImage, imageAllowOrigins: [sim.url], access: gate, internalButtons: internalButtonsOf(allCommands), observer: opts.observer, finalRetry: opts.finalRetry });
  // Attach presenters before start(): resumed tasks deliver through them.
  const started = { done: false };
  const start = async () => {
    if (!started.done) await service.start();
    started.done = true;
  };
  if (!opts.deferStart) await start();
  return {
    sim,
    client,
    store,
    codec,
    service,
    records: new RecordStore(store),
    start,
    async close() {
      await service.stop();
      await client.close();
      await store.close();
      if (!opts.sim) await sim.close();
    },
  };
}

/** A console-platform origin: a private chat per user, or the shared "group-1" with `group: true`. */
export function testOrigin(userId = 'u1', opts: { group?: boolean; locale?: Locale } = {}): Origin {
  return {
    chat: { platform: 'console', chatId: opts.group ? 'group-1' : `dm-${userId}`, isGroup: Boolean(opts.group) },
    actor: { userId, name: `User ${userId}`, locale: opts.locale ?? 'en' },
  };
}

/** What an adapter of `platform` is built from, on a test stack (no metrics, health always up, no HTTP server). */
export function adapterDepsOf(stack: Pick<Stack, 'service' | 'store'>, platform: Platform, locale: Locale = 'en'): AdapterDeps {
  return {
    service: stack.service,
    logger: silentLogger(),
    locale,
    metrics: noMetrics,
    health: { register: () => undefined },
    state: adapterState(stack.store, platform),
    peers: false,
    secretFor: (purpose) => `test-secret-${purpose}`,
    fetchImage: downloadImage,
    maxImageBytes: 20 * 1024 * 1024,
  };
}
