/**
 * Embedded MJ proxy simulator: a real node:http server speaking the MJ proxy protocol
 * (docs/protocol.md#simulator) in four flavours. Used by the demo, `npm run sim` and the tests.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TaskWire } from '../mj/schemas.js';
import { wireOf, type SimContext } from './context.js';
import { ImageCache, UrlSigner } from './images.js';
import { Notifier } from './notify.js';
import { createListener, type CannedRule } from './server.js';
import { StaleView } from './task-routes.js';
import { TaskStore } from './tasks.js';
import type { ResolvedSimOptions, SimCannedAnswer, SimOptions, SimRequestLogEntry, SimTask, Simulator } from './types.js';

export type { ResolvedSimOptions, SimCannedAnswer, SimFlavour, SimOptions, SimRequestLogEntry, Simulator } from './types.js';
export { SIM_FLAVOURS } from './types.js';

const DEFAULT_WAIT_STATUSES = ['SUCCESS', 'FAILURE', 'MODAL'];

function resolveOptions(opts: SimOptions): ResolvedSimOptions {
  return {
    flavour: opts.flavour ?? 'plus',
    host: opts.host ?? '127.0.0.1',
    port: opts.port ?? 0,
    apiKey: opts.apiKey,
    stepMs: Math.max(0, opts.stepMs ?? 50),
    progressSteps: Math.max(0, Math.floor(opts.progressSteps ?? 3)),
    remix: opts.remix ?? false,
    bannedWords: opts.bannedWords ?? ['gore', 'nsfwword'],
    concurrency: Math.max(1, Math.floor(opts.concurrency ?? 3)),
    queueLimit: Math.max(0, Math.floor(opts.queueLimit ?? 10)),
    imageUrlTtlMs: Math.max(0, opts.imageUrlTtlMs ?? 0),
    staleFetchMs: Math.max(0, opts.staleFetchMs ?? 0),
    notifyChaos: opts.notifyChaos ?? false,
    now: opts.now ?? Date.now,
  };
}

interface Waiter { statuses: string[]; resolve: (task: TaskWire) => void; reject: (err: Error) => void }

/** Start a simulator on `host:port` (default 127.0.0.1, a free port). */
export async function startSimulator(opts: SimOptions = {}): Promise<Simulator> {
  const options = resolveOptions(opts);
  let baseUrl = '';
  const waiters = new Map<string, Set<Waiter>>();
  const notifier = new Notifier(options.notifyChaos, options.stepMs);
  const requests: SimRequestLogEntry[] = [];
  const rules: CannedRule[] = [];

  const onChange = (task: SimTask): void => {
    if (task.notifyHook) notifier.send(task.notifyHook, wireOf(ctx, task));
    const pending = waiters.get(task.id);
    if (!pending) return;
    for (const waiter of [...pending]) {
      if (!waiter.statuses.includes(task.status)) continue;
      pending.delete(waiter);
      waiter.resolve(wireOf(ctx, task));
    }
    if (pending.size === 0) waiters.delete(task.id);
  };

  const store = new TaskStore(options, onChange);
  const ctx: SimContext = {
    opts: options,
    flavour: options.flavour,
    store,
    signer: new UrlSigner(options.imageUrlTtlMs, options.now),
    images: new ImageCache(),
    uploads: new Map(),
    remix: options.remix,
    base: () => baseUrl,
  };
  const view = new StaleView(ctx);
  const server = createServer(createListener({ ctx, view, log: requests, rules }));
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}`;

  const rejectAllWaiters = (reason: string): void => {
    for (const set of waiters.values()) for (const waiter of set) waiter.reject(new Error(reason));
    waiters.clear();
  };

  const sim: Simulator = {
    get url() {
      return baseUrl;
    },
    options,
    requests,
    tasks: () => store.list().map((t) => wireOf(ctx, t)),
    task: (id) => {
      const task = store.get(id);
      return task ? wireOf(ctx, task) : undefined;
    },
    failNext(match, answer: SimCannedAnswer, times = 1) {
      const space = match.indexOf(' ');
      const method = space > 0 ? match.slice(0, space).toUpperCase() : undefined;
      const prefix = space > 0 ? match.slice(space + 1).trim() : match.trim();
      rules.push({ method, prefix, answer, remaining: Math.max(1, times) });
    },
    failTask: (idOrNext, reason = '[Invalid parameter] Simulated failure') => store.failTask(idOrNext, reason),
    stickTask: (idOrNext) => store.stickTask(idOrNext),
    setRemix(on) {
      ctx.remix = on;
    },
    pause: () => store.pause(),
    resume: () => store.resume(),
    waitFor(id, statuses = DEFAULT_WAIT_STATUSES) {
      const task = store.get(id);
      if (!task) return Promise.reject(new Error(`simulator: unknown task ${id}`));
      if (statuses.includes(task.status)) return Promise.resolve(wireOf(ctx, task));
      return new Promise<TaskWire>((resolve, reject) => {
        const set = waiters.get(id) ?? new Set<Waiter>();
        set.add({ statuses, resolve, reject });
        waiters.set(id, set);
      });
    },
    reset() {
      store.reset();
      notifier.clear();
      view.clear();
      ctx.images.clear();
      ctx.uploads.clear();
      ctx.remix = options.remix;
      requests.length = 0;
      rules.length = 0;
      rejectAllWaiters('simulator reset');
    },
    async close() {
      store.reset();
      notifier.close();
      rejectAllWaiters('simulator closed');
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return sim;
}
