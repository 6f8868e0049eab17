/**
 * Benchmark 1: proxy requests per polling tick. mjbot's real Tracker (one list-by-condition per
 * ≤100 open tasks) against a naive poller (one GET /fetch per task per tick), both talking to the
 * simulator through a byte-counting relay. Tasks are kept open by very slow simulator steps.
 */
import { silentLogger } from '../src/log.js';
import { MjClient } from '../src/mj/client.js';
import { RecordStore } from '../src/core/domain/stores.js';
import { openStore } from '../src/runtime/store.js';
import { Tracker } from '../src/core/service/tracker.js';
import { startSimulator, type Simulator } from '../src/sim/index.js';
import { fmt, sampleRecord, startByteCounter, type BenchResult, type ByteCounter } from './util.js';

const SIZES = [1, 10, 100, 1000];
const TICKS = 3;

/** Wire bytes from the relay plus HTTP exchanges seen by the client (retries included). */
interface Counted {
  sent: number;
  received: number;
  requests: number;
}

/** A client through a byte-counting relay that also counts its exchanges. */
async function countedClient(sim: Simulator): Promise<{ client: MjClient; counter: Counted; close: () => Promise<void> }> {
  const relay = await startByteCounter(sim.url);
  const counter: Counted = relay as ByteCounter & { requests: number };
  counter.requests = 0;
  const client = new MjClient({ baseUrl: relay.url, flavour: 'plus', onResponse: () => (counter.requests += 1) });
  return { client, counter, close: async () => { await client.close(); await relay.close(); } };
}

interface TickStats {
  requests: number;
  bytes: number;
  ms: number;
}

async function submitOpenTasks(sim: Simulator, n: number): Promise<string[]> {
  const client = new MjClient({ baseUrl: sim.url, flavour: 'plus' });
  const ids: string[] = [];
  try {
    for (let i = 0; i < n; i += 50) {
      const batch = Array.from({ length: Math.min(50, n - i) }, (_, j) => client.imagine({ prompt: `bench task ${i + j}` }));
      for (const s of await Promise.all(batch)) ids.push(s.taskId);
    }
  } finally {
    await client.close();
  }
  return ids;
}

/** Average requests/bytes/ms per tick over TICKS ticks of `tick`. */
async function measure(counter: Counted, tick: () => Promise<void>): Promise<TickStats> {
  await tick(); // warm-up: connections, first state change
  const r0 = counter.requests;
  const b0 = counter.sent + counter.received;
  const t0 = performance.now();
  for (let i = 0; i < TICKS; i++) await tick();
  return { requests: (counter.requests - r0) / TICKS, bytes: (counter.sent + counter.received - b0) / TICKS, ms: (performance.now() - t0) / TICKS };
}

async function mjbotTicks(sim: Simulator, ids: string[]): Promise<TickStats> {
  const { client, counter, close } = await countedClient(sim);
  const store = await openStore('memory://');
  const records = new RecordStore(store);
  const tracker = new Tracker({
    client: { listByCondition: (x) => client.listByCondition(x), fetch: (id) => client.fetch(id), supportsList: async () => (await client.capabilities()).listByCondition },
    records,
    intervalMs: 3_600_000,
    logger: silentLogger(),
    onUpdate: async () => undefined,
  });
  try {
    for (const [i, id] of ids.entries()) {
      const record = sampleRecord(id, i);
      Object.assign(record, { status: 'NOT_START', percent: 0, rank: 0, task: undefined });
      await records.save(record);
      tracker.add(record);
    }
    return await measure(counter, () => tracker.tick());
  } finally {
    tracker.stop();
    await close();
    await store.close();
  }
}

async function naiveTicks(sim: Simulator, ids: string[]): Promise<TickStats> {
  const { client, counter, close } = await countedClient(sim);
  try {
    // The usual hand-written loop: fetch every open task, all at once.
    return await measure(counter, async () => {
      await Promise.all(ids.map((id) => client.fetch(id)));
    });
  } finally {
    await close();
  }
}

export async function runPolling(): Promise<BenchResult> {
  const rows: (string | number)[][] = [];
  const raw: Record<string, unknown> = {};
  for (const n of SIZES) {
    const sim = await startSimulator({ stepMs: 600_000, progressSteps: 3, concurrency: n + 10, queueLimit: n + 10 });
    try {
      const ids = await submitOpenTasks(sim, n);
      const mjbot = await mjbotTicks(sim, ids);
      const naive = await naiveTicks(sim, ids);
      raw[n] = { mjbot, naive };
      rows.push([n, fmt(mjbot.requests), fmt(naive.requests), `${fmt(naive.requests / mjbot.requests)}×`, fmt(mjbot.bytes / 1024), fmt(naive.bytes / 1024), fmt(mjbot.ms), fmt(naive.ms)]);
    } finally {
      await sim.close();
    }
  }
  return {
    id: 'polling',
    title: '1. Proxy requests per polling tick',
    columns: ['open tasks', 'mjbot req/tick', 'naive req/tick', 'naive ÷ mjbot', 'mjbot KiB/tick', 'naive KiB/tick', 'mjbot ms/tick', 'naive ms/tick'],
    rows,
    notes: [`Average of ${TICKS} ticks after one warm-up tick; bytes are both directions on the wire (HTTP headers included), counted by a TCP relay.`],
    raw,
  };
}
