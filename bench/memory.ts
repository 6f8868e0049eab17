/**
 * Benchmark 4: memory for 10,000 tracked tasks (each variant in its own child process, after GC)
 * and store operations per second for a TaskRecord-sized value on SQLite, Redis and memory.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/runtime/store.js';
import { fmt, mb, runChild, sampleRecord, type BenchResult } from './util.js';

const OPS = 1000;
const REDIS_URL = 'redis://127.0.0.1:6379';

interface MemoryDelta {
  rss: number;
  heap: number;
}

/** Sequential set then get of OPS distinct keys (one awaited call at a time, as the bot does per task). */
async function storeOps(url: string): Promise<{ set: number; get: number }> {
  const store = await openStore(url);
  const prefix = `bench-${process.pid}-${Date.now()}:`;
  const value = sampleRecord('1795000000000000', 1);
  try {
    let t0 = performance.now();
    for (let i = 0; i < OPS; i++) await store.set('meta', `${prefix}${i}`, { ...value, taskId: String(i) });
    const set = OPS / ((performance.now() - t0) / 1000);
    t0 = performance.now();
    for (let i = 0; i < OPS; i++) if (!(await store.get('meta', `${prefix}${i}`))) throw new Error(`store ${url}: key ${i} missing`);
    const get = OPS / ((performance.now() - t0) / 1000);
    return { set, get };
  } finally {
    for (let i = 0; i < OPS; i++) await store.delete('meta', `${prefix}${i}`).catch(() => false);
    await store.close();
  }
}

export async function runMemory(): Promise<BenchResult> {
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'mjbot-bench-'));
  const diskDir = mkdtempSync(join(tmpdir(), 'mjbot-bench-'));
  const rows: (string | number)[][] = [];
  const notes: string[] = [];
  const raw: Record<string, unknown> = {};
  try {
    const variants: [string, string[]][] = [
      ['mjbot: Tracker + memory://', ['mjbot', 'memory://']],
      ['mjbot: Tracker + sqlite', ['mjbot', `sqlite://${join(dir, 'mem.sqlite')}`]],
      ['naive: 8 JSON snapshots per task', ['naive']],
    ];
    for (const [label, args] of variants) {
      const m = await runChild<MemoryDelta>('bench/memory-child.ts', args, 120_000);
      raw[label] = m;
      rows.push([label, '10,000 tasks', mb(m.rss), mb(m.heap), fmt(m.heap / 10_000 / 1024, 2)]);
    }
    const backends: [string, string][] = [['memory://', 'memory://'], ['sqlite (file)', `sqlite://${join(diskDir, 'ops.sqlite')}`], ['redis 127.0.0.1', REDIS_URL]];
    for (const [label, url] of backends) {
      try {
        const ops = await storeOps(url);
        raw[`ops ${label}`] = ops;
        rows.push([`store ops: ${label}`, `${OPS} sequential`, `set ${fmt(ops.set, 0)}/s`, `get ${fmt(ops.get, 0)}/s`, '']);
      } catch (err) {
        rows.push([`store ops: ${label}`, 'not run', '', '', '']);
        notes.push(`${label}: not run (${err instanceof Error ? err.message.split('\n')[0] : String(err)}).`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(diskDir, { recursive: true, force: true });
  }
  notes.unshift(
    'Memory: RSS and heapUsed growth (after global.gc) in a fresh child process per variant. mjbot keeps each open TaskRecord (with the latest task snapshot, ~2.3 KB as JSON) in the Tracker and saves it to the store; the memory:// store keeps a serialized copy in the heap, SQLite keeps it on disk (the measurement uses a file on /dev/shm, so no fsync). The naive bot keeps every notify body (8 per task) as parsed objects.',
    `Store ops: one awaited call at a time, value = one TaskRecord, unique key prefix, keys deleted afterwards; SQLite file on ${tmpdir()}.`,
  );
  return { id: 'memory', title: '4. Memory with 10,000 tracked tasks, and store operations', columns: ['variant', 'load', 'RSS Δ MB / set', 'heapUsed Δ MB / get', 'heap KiB per task'], rows, notes, raw };
}
