/**
 * Shared helpers for the benchmarks: result tables, percentiles, a byte-counting TCP relay,
 * child-process runs and a realistic task snapshot.
 */
import { execFile } from 'node:child_process';
import { createServer, connect, type Server } from 'node:net';
import { cpus } from 'node:os';
import type { AddressInfo } from 'node:net';
import { TaskSchema, type Task } from '../src/mj/schemas.js';
import type { Origin, TaskView } from '../src/core/domain/types.js';
import type { TaskRecord } from '../src/core/domain/records.js';

/** One benchmark's outcome: a table for the README plus notes (caveats, "not run" lines). */
export interface BenchResult {
  id: string;
  title: string;
  columns: string[];
  rows: (string | number)[][];
  notes: string[];
  /** Raw numbers for latest.json. */
  raw?: unknown;
}

export function machine(): { cpu: string; cores: number; node: string; date: string } {
  return { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, date: new Date().toISOString() };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? NaN;
}

/** Round for display: integers stay, others keep `digits` decimals. */
export function fmt(n: number, digits = 1): string {
  if (!Number.isFinite(n)) return 'n/a';
  return Number.isInteger(n) ? String(n) : n.toFixed(digits);
}

export const MB = 1024 * 1024;
export const mb = (bytes: number): string => (bytes / MB).toFixed(1);

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Poll `pred` every `everyMs` until true or `timeoutMs` passed; returns whether it became true. */
export async function waitFor(pred: () => boolean, timeoutMs: number, everyMs = 10): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (pred()) return true;
    await sleep(everyMs);
  }
  return pred();
}

/** A plain TCP relay in front of `target` that counts bytes each way (HTTP bytes on the wire). */
export interface ByteCounter {
  url: string;
  sent: number;
  received: number;
  close(): Promise<void>;
}

export async function startByteCounter(targetUrl: string): Promise<ByteCounter> {
  const target = new URL(targetUrl);
  const sockets = new Set<import('node:net').Socket>();
  const counter = { url: '', sent: 0, received: 0, close: async () => undefined } as ByteCounter;
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    client.on('data', (chunk: Buffer) => (counter.sent += chunk.length));
    upstream.on('data', (chunk: Buffer) => (counter.received += chunk.length));
    client.pipe(upstream).pipe(client);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  counter.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  counter.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return counter;
}

/** Run `npx tsx <script> <args>` and parse the last stdout line as JSON. */
export function runChild<T>(script: string, args: string[], timeoutMs = 60_000, prefix: string[] = []): Promise<T> {
  // `prefix`: a command the child runs under (e.g. taskset -c 1).
  const [command, ...commandArgs] = [...prefix, process.execPath, '--expose-gc', '--import', 'tsx', script, ...args];
  return new Promise((resolve, reject) => {
    execFile(command!, commandArgs, { timeout: timeoutMs, maxBuffer: 4 * MB }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${script} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`${script}: no JSON result in output:\n${stdout}\n${stderr}`));
      }
    });
  });
}

/** A finished imagine task as a Plus proxy reports it (grid buttons), ~1.5 KB of JSON. */
export function sampleTask(id: string, progress = '100%', status = 'SUCCESS'): Task {
  const button = (customId: string, label: string, emoji = '') => ({ customId, emoji, label, type: 2, style: 2 });
  const hash = 'f6b34a9b-2a8c-4f40-9a44-3a8d1f0e4c21';
  return TaskSchema.parse({
    id,
    action: 'IMAGINE',
    status,
    prompt: 'a lighthouse on a cliff at dusk, volumetric light --ar 16:9 --v 6',
    promptEn: 'a lighthouse on a cliff at dusk, volumetric light --ar 16:9 --v 6',
    description: '/imagine a lighthouse on a cliff at dusk, volumetric light --ar 16:9 --v 6',
    submitTime: 1_700_000_000_000,
    startTime: 1_700_000_003_000,
    finishTime: 1_700_000_060_000,
    progress,
    imageUrl: `https://cdn.discordapp.com/attachments/1100000000000000000/1200000000000000000/user_${id}.png?ex=65f0&is=65e0&hm=0123456789abcdef`,
    failReason: null,
    properties: { finalPrompt: 'a lighthouse on a cliff at dusk, volumetric light --ar 16:9 --v 6', messageId: '1200000000000000001', messageHash: hash, nonce: '1300000000000000002' },
    buttons: [
      ...[1, 2, 3, 4].map((i) => button(`MJ::JOB::upsample::${i}::${hash}`, `U${i}`)),
      button(`MJ::JOB::reroll::0::${hash}::SOLO`, '', '🔄'),
      ...[1, 2, 3, 4].map((i) => button(`MJ::JOB::variation::${i}::${hash}`, `V${i}`)),
    ],
  });
}

/** A TaskRecord as the service stores it for an open imagine task. */
export function sampleRecord(taskId: string, i: number): TaskRecord {
  const now = Date.now();
  return {
    taskId,
    kind: 'imagine',
    prompt: 'a lighthouse on a cliff at dusk, volumetric light --ar 16:9 --v 6',
    chat: { platform: 'telegram', chatId: String(-100_000 - (i % 50)), isGroup: true },
    owner: { userId: String(10_000 + i), name: `User ${i}`, locale: 'en' },
    ref: { chat: { platform: 'telegram', chatId: String(-100_000 - (i % 50)), isGroup: true }, messageId: String(500 + i), platformData: { kind: 'text', replyTo: 400 + i } },
    status: 'IN_PROGRESS',
    percent: 54,
    rank: 3.54,
    submittedAt: now,
    deadline: now + 600_000,
    finished: false,
    stage: 'progress',
    task: sampleTask(taskId, '54%', 'IN_PROGRESS'),
  };
}

export function consoleOrigin(userId: string): Origin {
  return { chat: { platform: 'console', chatId: `dm-${userId}`, isGroup: false }, actor: { userId, name: `User ${userId}`, locale: 'en' } };
}

/** Key of a task state as both a notify body and a view can name it. */
export function stateKey(taskId: string, final: boolean, percent: number | undefined): string {
  return `${taskId}|${final ? 'final' : (percent ?? 0)}`;
}

export type { TaskView };
