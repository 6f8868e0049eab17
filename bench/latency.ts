/**
 * Benchmark 2: latency from a notifyHook POST arriving to the platform edit (presenter.update
 * called). mjbot: notify server → tracker.ingest → delivery (coalescing) → presenter. Naive: an
 * HTTP receiver that edits the message on every POST. Both use the same timestamping presenter,
 * whose edits take a simulated platform round trip and which asks for a 1 s gap between edits.
 * Tasks are submitted to the simulator (kept idle); the notify POSTs come from a driver at a fixed
 * pace, because at 1000 tasks the in-process simulator's own notifier drops posts under CPU load.
 */
import { createServer } from 'node:http';
import { Agent, fetch } from 'undici';
import type { AddressInfo } from 'node:net';
import { parseConfig } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import { MjClient } from '../src/mj/client.js';
import type { Task } from '../src/mj/schemas.js';
import { createButtonCodec } from '../src/core/domain/buttons/codec.js';
import { startHttpServer } from '../src/runtime/http-server.js';
import { isTerminal, parsePercent } from '../src/core/domain/records.js';
import { MjService } from '../src/core/service/service.js';
import { downloadImage } from '../src/runtime/images/download.js';
import { openStore } from '../src/runtime/store.js';
import type { FormView, MessageRef, Origin, TaskView } from '../src/core/domain/types.js';
import type { Presenter } from '../src/core/domain/ports.js';
import { startSimulator, type Simulator } from '../src/sim/index.js';
import { consoleOrigin, fmt, percentile, sampleTask, sleep, stateKey, waitFor, type BenchResult } from './util.js';

const SIZES = [10, 1000];
/** Progress states each task reports, one step apart; tasks are spread evenly across a step. */
const STATES: [string, string][] = [['SUBMITTED', '0%'], ['IN_PROGRESS', '15%'], ['IN_PROGRESS', '30%'], ['IN_PROGRESS', '46%'], ['IN_PROGRESS', '62%'], ['IN_PROGRESS', '78%'], ['IN_PROGRESS', '93%'], ['SUCCESS', '100%']];
const STEP_MS = 500;
const NOTIFY_CONNECTIONS = 32;
let failedPosts = 0;
const EDIT_MS = 30;
const MIN_GAP_MS = 1500;
const WAIT_LIMIT_MS = 20_000;

/** Records when each update was asked for; each edit then takes EDIT_MS like a platform call. */
class TimingPresenter implements Presenter {
  readonly platform = 'console' as const;
  readonly minUpdateIntervalMs = MIN_GAP_MS;
  readonly updates: { key: string; at: number; final: boolean }[] = [];
  finals = 0;
  private next = 1;

  async open(origin: Origin): Promise<MessageRef> {
    return { chat: origin.chat, messageId: String(this.next++) };
  }

  async update(_ref: MessageRef, view: TaskView): Promise<void> {
    this.updates.push({ key: stateKey(view.taskId ?? '', view.final, view.percent), at: performance.now(), final: view.final });
    if (view.final) this.finals += 1;
    await sleep(EDIT_MS);
  }

  async offerForm(_ref: MessageRef, _form: FormView): Promise<void> {}

  classifyFailure(): 'transient' {
    return 'transient';
  }
}

const keyOfTask = (task: Task): string => stateKey(task.id, isTerminal(task.status ?? ''), parsePercent(task.progress));

interface Run {
  all: number[];
  finals: number[];
  editsPerTask: number;
  delivered: number;
  postsPerSecond: number;
}

function summarize(presenter: TimingPresenter, arrivals: Map<string, number>, n: number, postsPerSecond: number): Run {
  const all: number[] = [];
  const finals: number[] = [];
  for (const u of presenter.updates) {
    const arrived = arrivals.get(u.key);
    if (arrived === undefined || arrived > u.at) continue; // the view shown at submit time, before any POST
    all.push(u.at - arrived);
    if (u.final) finals.push(u.at - arrived);
  }
  return { all, finals, editsPerTask: presenter.updates.length / n, delivered: presenter.finals, postsPerSecond };
}

const note = (arrivals: Map<string, number>, task: Task): void => {
  const key = keyOfTask(task);
  if (!arrivals.has(key)) arrivals.set(key, performance.now());
};

/** POST every state of every task to `hook`, STEP_MS apart per task; resolves when all posts answered. */
/** Returns the POST rate achieved (posts per second). */
async function drive(hook: string, ids: string[]): Promise<number> {
  // Like a proxy's notify thread pool: a bounded number of connections, the rest wait in line.
  const dispatcher = new Agent({ connections: NOTIFY_CONNECTIONS });
  const posts: Promise<unknown>[] = [];
  const t0 = performance.now();
  for (const [step, [status, progress]] of STATES.entries()) {
    for (const [i, id] of ids.entries()) {
      const due = t0 + step * STEP_MS + (i / ids.length) * STEP_MS;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      const body = JSON.stringify(sampleTask(id, progress, status));
      posts.push(fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json' }, body, dispatcher }).then((r) => r.arrayBuffer(), () => (failedPosts += 1)));
    }
  }
  await Promise.all(posts);
  await dispatcher.close();
  return posts.length / ((performance.now() - t0) / 1000);
}

async function submitAll(n: number, submit: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < n; i += 50) await Promise.all(Array.from({ length: Math.min(50, n - i) }, (_, j) => submit(i + j)));
}

async function runMjbot(sim: Simulator, n: number): Promise<Run> {
  const arrivals = new Map<string, number>();
  const store = await openStore('memory://');
  const client = new MjClient({ baseUrl: sim.url, flavour: 'plus' });
  const ids: string[] = [];
  const config = parseConfig({ MJ_POLL_INTERVAL_MS: '600000', STORE_URL: 'memory://', MJ_BASE_URL: sim.url });
  const codec = createButtonCodec({ secret: 'bench-secret-0123456789abcdef0123', store });
  const service = new MjService({ config, store, logger: silentLogger(), clientFor: () => client, codec, fetchImage: downloadImage, imageAllowOrigins: [sim.url] });
  const secret = 'bench-notify-secret-0123456789';
  const http = await startHttpServer({
    port: 0, host: '127.0.0.1', secret, logger: silentLogger(),
    knows: (id) => service.knowsTask(id),
    ingest: (task) => {
      note(arrivals, task);
      return service.ingest(task);
    },
    health: async () => ({ ok: true }),
  });
  const presenter = new TimingPresenter();
  service.attach(presenter);
  await service.start();
  try {
    await submitAll(n, async (i) => {
      const reply = await service.submit(consoleOrigin(`u${i}`), { kind: 'imagine', prompt: `latency bench ${i}` }, `latency bench ${i}`);
      if (reply.type === 'task' && reply.taskId) ids.push(reply.taskId);
    });
    const rate = await drive(`${http.url}/mj/notify/${secret}`, ids);
    await waitFor(() => presenter.finals >= n, WAIT_LIMIT_MS, 20);
    return summarize(presenter, arrivals, n, rate);
  } finally {
    await service.stop();
    await http.close();
    await client.close();
    await store.close();
  }
}

async function runNaive(sim: Simulator, n: number): Promise<Run> {
  const arrivals = new Map<string, number>();
  const presenter = new TimingPresenter();
  const refs = new Map<string, MessageRef>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.end('{}');
      const task = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Task;
      note(arrivals, task);
      const ref = refs.get(task.id);
      const final = isTerminal(task.status ?? '');
      // Every POST becomes an edit: no ordering, no dedup, no coalescing.
      if (ref) void presenter.update(ref, { taskId: task.id, final, percent: parsePercent(task.progress), phase: final ? 'result' : 'progress', locale: 'en', headline: String(task.progress), prompt: '', requester: '', rows: [] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const hook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const client = new MjClient({ baseUrl: sim.url, flavour: 'plus' });
  try {
    await submitAll(n, async (i) => {
      const ref = await presenter.open(consoleOrigin(`u${i}`));
      const { taskId } = await client.imagine({ prompt: `latency bench ${i}` });
      refs.set(taskId, ref);
    });
    const rate = await drive(hook, [...refs.keys()]);
    await waitFor(() => presenter.finals >= n, WAIT_LIMIT_MS, 20);
    return summarize(presenter, arrivals, n, rate);
  } finally {
    await client.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export async function runLatency(): Promise<BenchResult> {
  const rows: (string | number)[][] = [];
  const raw: Record<string, unknown> = {};
  for (const n of SIZES) {
    for (const [name, run] of [['mjbot', runMjbot], ['naive', runNaive]] as const) {
      const sim = await startSimulator({ stepMs: 3_600_000, concurrency: n + 10, queueLimit: n + 10 });
      try {
        const r = await run(sim, n);
        const row = [n, name, fmt(percentile(r.all, 50)), fmt(percentile(r.all, 99)), fmt(percentile(r.finals, 50)), fmt(percentile(r.finals, 99)), fmt(r.editsPerTask, 2), `${r.delivered}/${n}`, fmt(r.postsPerSecond, 0)];
        rows.push(row);
        raw[`${name}-${n}`] = { editsPerTask: r.editsPerTask, delivered: r.delivered, p50: percentile(r.all, 50), p99: percentile(r.all, 99), finalP50: percentile(r.finals, 50), finalP99: percentile(r.finals, 99), postsPerSecond: r.postsPerSecond, failedPosts };
      } finally {
        await sim.close();
      }
    }
  }
  return {
    id: 'latency',
    title: '2. notifyHook POST → platform edit latency',
    columns: ['tasks', 'variant', 'all edits p50 ms', 'all edits p99 ms', 'final p50 ms', 'final p99 ms', 'edits/task', 'finals delivered', 'POSTs/s achieved'],
    rows,
    notes: [
      `Each task gets ${STATES.length} notify POSTs (full Plus task JSON), ${STEP_MS} ms apart, tasks spread evenly over each step; polling off (notify only). Each edit takes ${EDIT_MS} ms; the presenter asks for ${MIN_GAP_MS} ms between progress edits of one message (mjbot honours it, naive ignores it).`,
      `Planned POST rate is ${STATES.length} per task per ${STATES.length * STEP_MS / 1000} s; when the receiver cannot keep up, the driver's ${NOTIFY_CONNECTIONS} connections queue the rest (like a proxy's notify pool) and the achieved rate is shown.`,
      'Arrival is stamped when the receiver has the parsed POST; a state skipped by coalescing has no edit and no latency sample. Edits/task counts every presenter.update (the submit-time view included for mjbot).',
    ],
    raw,
  };
}
