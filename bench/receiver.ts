/**
 * Benchmark 9: notifyHook receiver throughput. 1000 open tasks, each sent 8 notify POSTs (full
 * Plus task JSON) as fast as 32 connections allow. mjbot: the real receiver (startHttpServer)
 * in front of MjService on a SQLite file store — validation, the task lookup, and the tracker
 * applying and saving every update. Baseline: a bare node:http receiver that reads each body
 * and answers 200 — the ceiling for this machine and driver.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
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

/**
 * Where the driver runs: in this process (`same`), in a child process sharing both cores with this
 * one (`own`), or in a child process on a core of its own while this process (every thread) keeps
 * the other (`isolated`: the proxy on another machine, as deployed, with no CPU shared).
 */
type Placement = 'same' | 'own' | 'isolated';

const PLACEMENT_LABEL: Record<Placement, string> = {
  same: 'driver in the same process',
  own: 'driver in its own process',
  isolated: 'driver in its own process on its own core',
};

/** POSTs/s answered, with the driver placed as asked. */
async function drive(hook: string, ids: string[], dir: string, placement: Placement): Promise<{ perSecond: number; failed: number }> {
  if (placement === 'same') return driveHere(hook, ids);
  const file = join(dir, `ids-${Date.now()}.json`);
  writeFileSync(file, JSON.stringify(ids));
  const prefix = placement === 'isolated' ? ['taskset', '-c', '1'] : [];
  return runChild<{ perSecond: number; failed: number }>('bench/receiver-driver.ts', [hook, file], 180_000, prefix);
}

/** Pin every thread of this process to core 0 (true), or give it all cores again (false). */
function pinToFirstCore(pin: boolean): void {
  execFileSync('taskset', ['-a', '-p', '-c', pin ? '0' : `0-${availableParallelism() - 1}`, String(process.pid)], { stdio: 'ignore' });
}

/** The isolated placement needs two cores and taskset (util-linux). */
function canIsolate(): boolean {
  if (availableParallelism() < 2) return false;
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface Run {
  perSecond: number;
  failed: number;
  appliedAfterMs?: number;
  finals?: number;
  statesInOrder?: boolean;
}

/** `apply: false`: the diagnostic variant, every notify read, parsed and checked as usual, then dropped. */
async function runMjbot(dir: string, placement: Placement, apply = true): Promise<Run> {
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
    const { perSecond, failed } = await drive(`${http.url}/mj/notify/${secret}`, ids, dir, placement);
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

async function runBare(dir: string, placement: Placement): Promise<Run> {
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
    return await drive(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, ids, dir, placement);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Interleaved rounds (bare, mjbot, diagnostic) per driver placement, after one warm-up pair that is not counted. */
const PAIRS = 5;

const pct = (ratio: number): string => `${(ratio * 100).toFixed(0)} %`;

interface Round {
  bare: Run;
  mjbot: Run;
  readOnly: Run;
}

/** The round with the median ratio, and the range of all rounds' ratios, as "90 % (85 %–97 %)". */
function medianOf(rounds: Round[], ratio: (r: Round) => number): { round: Round; text: string } {
  const sorted = [...rounds].sort((a, b) => ratio(a) - ratio(b));
  const round = sorted[Math.floor(sorted.length / 2)]!;
  return { round, text: `${pct(ratio(round))} (${pct(ratio(sorted[0]!))}–${pct(ratio(sorted[sorted.length - 1]!))})` };
}

/** The three rows of one placement. Each round runs its variants back to back, so ratios taken within a round cancel most of the machine's drift. */
async function measure(dir: string, placement: Placement): Promise<{ rows: (string | number)[][]; rounds: Round[] }> {
  // Warm-up: both variants' code is compiled and the machine settled before anything counts.
  await runBare(dir, placement);
  await runMjbot(mkdtempSync(join(dir, 'warm-')), placement);
  const rounds: Round[] = [];
  for (let i = 0; i < PAIRS; i++) {
    const bare = await runBare(dir, placement);
    const mjbot = await runMjbot(mkdtempSync(join(dir, 'run-')), placement);
    const readOnly = await runMjbot(mkdtempSync(join(dir, 'read-')), placement, false);
    rounds.push({ bare, mjbot, readOnly });
  }
  const full = medianOf(rounds, (r) => r.mjbot.perSecond / r.bare.perSecond);
  const read = medianOf(rounds, (r) => r.readOnly.perSecond / r.bare.perSecond);
  const failed = (pick: (r: Round) => Run): number => rounds.reduce((sum, r) => sum + pick(r).failed, 0);
  const where = PLACEMENT_LABEL[placement];
  const m = full.round.mjbot;
  return {
    rounds,
    rows: [
      [where, 'mjbot receiver + tracker (SQLite file store)', fmt(m.perSecond, 0), full.text, failed((r) => r.mjbot), fmt((m.appliedAfterMs ?? 0) / 1000, 2), `${Math.min(...rounds.map((r) => r.mjbot.finals ?? 0))}/${TASKS}`, rounds.every((r) => r.mjbot.statesInOrder) ? 'yes' : 'NO'],
      [where, 'bare node:http receiver (reads the body, answers 200)', fmt(full.round.bare.perSecond, 0), '100 %', failed((r) => r.bare), '—', '—', '—'],
      [where, 'diagnostic: mjbot receiver, every notify read and checked but not applied', fmt(read.round.readOnly.perSecond, 0), read.text, failed((r) => r.readOnly), '—', '—', '—'],
    ],
  };
}

export async function runReceiver(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'mjbot-bench-receiver-'));
  const rows: (string | number)[][] = [];
  const raw: Record<string, Round[]> = {};
  try {
    for (const placement of ['same', 'own', 'isolated'] as const) {
      if (placement === 'isolated' && !canIsolate()) {
        rows.push([PLACEMENT_LABEL[placement], 'not run (needs 2 cores and taskset)', '—', '—', '—', '—', '—', '—']);
        continue;
      }
      if (placement === 'isolated') pinToFirstCore(true);
      try {
        const result = await measure(dir, placement);
        rows.push(...result.rows);
        raw[PLACEMENT_LABEL[placement]] = result.rounds;
      } finally {
        if (placement === 'isolated') pinToFirstCore(false);
      }
    }
    return {
      id: 'receiver',
      title: '9. notifyHook receiver throughput (1000 tasks)',
      columns: ['driver', 'variant', 'POSTs/s answered', `÷ bare: median (range) of ${PAIRS} rounds`, 'failed POSTs (all runs)', 'all applied after s', 'finals shown (every run)', 'all saved as SUCCESS (every run)'],
      rows,
      notes: [
        `${TASKS} open tasks, ${STATES.length} POSTs each (full Plus task JSON, ~1.5 KB), sent state by state (all tasks' first state, then the second, …) over ${CONNECTIONS} keep-alive connections (undici fetch) as fast as they are answered; polling off, so every update arrives through the receiver only.`,
        'Driver in the same process: the method of the earlier figures (benchmark 2), where the driver\'s own work is part of every POST. Driver in its own process: a child process; both processes share the 2 cores, so the receiver\'s work (and its store and GC threads) slows the driver. On its own core: the driver\'s process is pinned to core 1 and every thread of the receiver\'s process to core 0 (taskset), as with a proxy on another machine; the rate is then the driver\'s, unless the receiver cannot keep up on its one core.',
        `POSTs/s: all POSTs over the time until the last was answered. Per placement one warm-up pair (not counted), then ${PAIRS} rounds, each a bare run, an mjbot run and the diagnostic run; the ratio is taken within each round, and the row shows the round with the median ratio (its POSTs/s) and the range over all rounds. "all applied after": from the first POST until every task's final view reached the presenter; "all saved as SUCCESS": read back from the store file afterwards.`,
        'The diagnostic row is the same server, body limit, JSON.parse, task check and lookup as mjbot, with the update dropped instead of applied: what reading the JSON alone costs against the bare receiver.',
      ],
      raw,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
