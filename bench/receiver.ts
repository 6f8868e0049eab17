/**
 * Benchmark 9: notifyHook receiver throughput. 1000 open tasks, each sent 8 notify POSTs (full
 * Plus task JSON) as fast as 32 connections allow. mjbot: the real receiver (startHttpServer)
 * in front of MjService on a SQLite file store — validation, the task lookup, and the tracker
 * applying and saving every update. Baseline: a bare node:http receiver that reads each body
 * and answers 200 — the ceiling for this machine and driver.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import { MjClient } from '../src/mj/client.js';
import { createButtonCodec } from '../src/core/domain/buttons/codec.js';
import type { Presenter } from '../src/core/domain/ports.js';
import type { FormView, MessageRef, Origin, TaskView } from '../src/core/domain/types.js';
import { MjService } from '../src/core/service/service.js';
import { downloadImage } from '../src/runtime/images/download.js';
import { startHttpServer } from '../src/runtime/http-server.js';
import { openStore } from '../src/runtime/store.js';
import { startSimulator } from '../src/sim/index.js';
import { CONNECTIONS, drive as driveHere, STATES } from './receiver-driver.js';
import { consoleOrigin, fmt, runChild, waitFor, type BenchResult } from './util.js';

const TASKS = 1000;
const WAIT_LIMIT_MS = 60_000;

/** Shows nothing, at once: the platform is not what this measures. */
class NullPresenter implements Presenter {
  readonly platform = 'console' as const;
  readonly minUpdateIntervalMs = 1500;
  finals = 0;
  private next = 1;
  async open(origin: Origin): Promise<MessageRef> {
    return { chat: origin.chat, messageId: String(this.next++) };
  }
  async update(_ref: MessageRef, view: TaskView): Promise<void> {
    if (view.final) this.finals += 1;
  }
  async offerForm(_ref: MessageRef, _form: FormView): Promise<void> {}
  classifyFailure(): 'transient' {
    return 'transient';
  }
}

/** POSTs/s answered: the driver in this process (`separate`: in a child process of its own, like a real proxy). */
async function drive(hook: string, ids: string[], dir: string, separate: boolean): Promise<{ perSecond: number; failed: number }> {
  if (!separate) return driveHere(hook, ids);
  const file = join(dir, `ids-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(ids));
  return runChild<{ perSecond: number; failed: number }>('bench/receiver-driver.ts', [hook, file], 180_000);
}

interface Run {
  perSecond: number;
  failed: number;
  appliedAfterMs?: number;
  finals?: number;
  statesInOrder?: boolean;
}

/** `apply: false`: the diagnostic variant, every notify read, parsed and checked as usual, then dropped. */
async function runMjbot(dir: string, separate: boolean, apply = true): Promise<Run> {
  const sim = await startSimulator({ stepMs: 3_600_000, concurrency: TASKS + 10, queueLimit: TASKS + 10 });
  const storeUrl = `sqlite://${join(dir, 'receiver.sqlite')}`;
  const store = await openStore(storeUrl);
  const client = new MjClient({ baseUrl: sim.url, flavour: 'plus' });
  const config = parseConfig({ MJ_POLL_INTERVAL_MS: '600000', STORE_URL: storeUrl, MJ_BASE_URL: sim.url });
  const codec = createButtonCodec({ secret: 'bench-secret-0123456789abcdef0123', store });
  const service = new MjService({ config, store, logger: silentLogger(), clientFor: () => client, codec, fetchImage: downloadImage, imageAllowOrigins: [sim.url] });
  const secret = 'bench-notify-secret-0123456789';
  const http = await startHttpServer({ port: 0, host: '127.0.0.1', secret, logger: silentLogger(), knows: (id) => service.knowsTask(id), ingest: (task) => (apply ? service.ingest(task) : Promise.resolve()), health: async () => ({ ok: true }) });
  const presenter = new NullPresenter();
  service.attach(presenter);
  await service.start();
  try {
    const ids: string[] = [];
    for (let i = 0; i < TASKS; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, TASKS - i) }, async (_, j) => {
          const reply = await service.submit(consoleOrigin(`u${i + j}`), { kind: 'imagine', prompt: `receiver bench ${i + j}` }, `receiver bench ${i + j}`);
          if (reply.type === 'task' && reply.taskId) ids.push(reply.taskId);
        }),
      );
    }
    const t0 = performance.now();
    const { perSecond, failed } = await drive(`${http.url}/mj/notify/${secret}`, ids, dir, separate);
    if (!apply) return { perSecond, failed };
    await waitFor(() => presenter.finals >= ids.length, WAIT_LIMIT_MS, 10);
    const appliedAfterMs = performance.now() - t0;
    await service.flush();
    // Every task reached its final state through the notify path alone (polling is off), saved as such.
    const fresh = await openStore(storeUrl);
    const { RecordStore } = await import('../src/core/domain/stores.js');
    const records = new RecordStore(fresh);
    let inOrder = true;
    for (const id of ids) if ((await records.get(id))?.status !== 'SUCCESS') inOrder = false;
    await fresh.close();
    return { perSecond, failed, appliedAfterMs, finals: presenter.finals, statesInOrder: inOrder };
  } finally {
    await service.stop();
    await http.close();
    await client.close();
    await store.close();
    await sim.close();
  }
}

async function runBare(dir: string, separate: boolean): Promise<Run> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      Buffer.concat(chunks);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const ids = Array.from({ length: TASKS }, (_, i) => `1795${String(i).padStart(12, '0')}`);
    return await drive(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, ids, dir, separate);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Interleaved rounds (bare, mjbot, diagnostic) per driver placement, after one warm-up pair that is not counted. */
const PAIRS = 5;

const pct = (ratio: number): string => `${(ratio * 100).toFixed(0)} %`;

export async function runReceiver(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'mjbot-bench-receiver-'));
  const rows: (string | number)[][] = [];
  const raw: Record<string, unknown> = {};
  try {
    for (const separate of [false, true]) {
      // Warm-up: both variants' code is compiled and the machine settled before anything counts.
      await runBare(dir, separate);
      await runMjbot(mkdtempSync(join(dir, 'warm-')), separate);
      const pairs: { bare: Run; mjbot: Run; ratio: number; readOnly: Run }[] = [];
      for (let i = 0; i < PAIRS; i++) {
        const bare = await runBare(dir, separate);
        const mjbot = await runMjbot(mkdtempSync(join(dir, 'run-')), separate);
        const readOnly = await runMjbot(mkdtempSync(join(dir, 'read-')), separate, false);
        pairs.push({ bare, mjbot, ratio: mjbot.perSecond / bare.perSecond, readOnly });
      }
      // Each pair ran back to back, so its ratio cancels most of the machine's drift; the row
      // shows the pair with the median ratio, and the range of all pairs.
      const sorted = [...pairs].sort((a, b) => a.ratio - b.ratio);
      const median = sorted[Math.floor(sorted.length / 2)]!;
      const readOnlyRatio = (p: (typeof pairs)[number]): number => p.readOnly.perSecond / p.bare.perSecond;
      const readOnlySorted = [...pairs].sort((a, b) => readOnlyRatio(a) - readOnlyRatio(b));
      const readOnlyMedian = readOnlySorted[Math.floor(readOnlySorted.length / 2)]!;
      const failed = (pick: (p: (typeof pairs)[number]) => Run): number => pairs.reduce((sum, p) => sum + pick(p).failed, 0);
      const where = separate ? 'driver in its own process' : 'driver in the same process';
      raw[where] = pairs;
      rows.push(
        [
          where,
          'mjbot receiver + tracker (SQLite file store)',
          fmt(median.mjbot.perSecond, 0),
          `${pct(median.ratio)} (${pct(sorted[0]!.ratio)}–${pct(sorted[sorted.length - 1]!.ratio)})`,
          failed((p) => p.mjbot),
          fmt((median.mjbot.appliedAfterMs ?? 0) / 1000, 2),
          `${Math.min(...pairs.map((p) => p.mjbot.finals ?? 0))}/${TASKS}`,
          pairs.every((p) => p.mjbot.statesInOrder) ? 'yes' : 'NO',
        ],
        [where, 'bare node:http receiver (reads the body, answers 200)', fmt(median.bare.perSecond, 0), '100 %', failed((p) => p.bare), '—', '—', '—'],
        [where, 'diagnostic: mjbot receiver, every notify read and checked but not applied', fmt(readOnlyMedian.readOnly.perSecond, 0), `${pct(readOnlyRatio(readOnlyMedian))} (${pct(readOnlyRatio(readOnlySorted[0]!))}–${pct(readOnlyRatio(readOnlySorted[readOnlySorted.length - 1]!))})`, failed((p) => p.readOnly), '—', '—', '—'],
      );
    }
    return {
      id: 'receiver',
      title: '9. notifyHook receiver throughput (1000 tasks)',
      columns: ['driver', 'variant', 'POSTs/s answered', `÷ bare: median (range) of ${PAIRS} rounds`, 'failed POSTs (all runs)', 'all applied after s', 'finals shown (every run)', 'all saved as SUCCESS (every run)'],
      rows,
      notes: [
        `${TASKS} open tasks, ${STATES.length} POSTs each (full Plus task JSON, ~1.5 KB), sent state by state (all tasks' first state, then the second, …) over ${CONNECTIONS} keep-alive connections (undici fetch) as fast as they are answered; polling off, so every update arrives through the receiver only.`,
        'Driver in the same process: the method of the earlier figures (benchmark 2), where the driver\'s own work is part of every POST. Driver in its own process: the receiver has the process to itself, as behind a real proxy; the bare receiver is then limited only by the driver.',
        `POSTs/s: all POSTs over the time until the last was answered. Per driver placement one warm-up pair (not counted), then ${PAIRS} rounds, each a bare run followed by an mjbot run (and the diagnostic run); the ratio is taken within each round, and the row shows the round with the median ratio (its POSTs/s) and the range over all rounds. "all applied after": from the first POST until every task's final view reached the presenter; "all saved as SUCCESS": read back from the store file afterwards.`,
        'The diagnostic row bounds what any receiver that reads the JSON can reach here: the same server, body limit, JSON.parse, task check and lookup as mjbot, with the update dropped instead of applied.',
      ],
      raw,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
