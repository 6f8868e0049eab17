/**
 * Benchmark 5: peak memory while relaying a 20 MB result image from a local server. Each variant
 * runs in its own child process and reports process.resourceUsage().maxRSS; an idle child that
 * loads the same modules gives the baseline.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MB, mb, runChild, type BenchResult } from './util.js';

const IMAGE_BYTES = 20 * MB;
const RUNS = 2;

/** A PNG header (signature + IHDR) followed by one big IDAT of noise: sniffs as a 4096×4096 PNG. */
export function bigPng(): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    return Buffer.concat([head, data, Buffer.alloc(4)]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(4096, 0);
  ihdr.writeUInt32BE(4096, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const header = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)]);
  return Buffer.concat([header, chunk('IDAT', randomBytes(IMAGE_BYTES - header.length - 12))]);
}

/** Serve `png` (with its Content-Length) from a local server, as a proxy serves a result. */
export async function serveImage(png: Buffer): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length });
    res.end(png);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/result.png`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface ChildResult {
  maxRssKb: number;
  size: number;
}

export async function runDownload(): Promise<BenchResult> {
  const png = bigPng();
  const { url, close } = await serveImage(png);
  const raw: Record<string, ChildResult[]> = { idle: [], mjbot: [], naive: [] };
  try {
    // Interleaved runs; the lowest peak of each variant is kept (least disturbed by the machine).
    for (let i = 0; i < RUNS; i++) for (const variant of ['idle', 'mjbot', 'naive']) raw[variant]?.push(await runChild<ChildResult>('bench/download-child.ts', [variant, url]));
  } finally {
    await close();
  }
  const peak = (variant: string): number => Math.min(...(raw[variant] ?? []).map((r) => r.maxRssKb * 1024));
  const idle = peak('idle');
  const rows = ['idle', 'mjbot', 'naive'].map((variant) => [
    variant === 'idle' ? 'idle child (same imports)' : variant === 'mjbot' ? 'mjbot downloadImage (streamed, 25 MB cap)' : 'naive fetch → arrayBuffer → Buffer.from → base64',
    mb(peak(variant)),
    variant === 'idle' ? '—' : mb(peak(variant) - idle),
    variant === 'idle' ? '—' : `${((peak(variant) - idle) / png.length).toFixed(2)}×`,
  ]);
  return {
    id: 'download',
    title: `5. Peak memory relaying a ${mb(png.length)} MB result image`,
    columns: ['variant', 'peak RSS MB', 'above idle MB', 'above idle ÷ image size'],
    rows,
    notes: [`Child processes, maxRSS from process.resourceUsage(); lowest of ${RUNS} interleaved runs per variant. The image is served by a local node:http server with Content-Length.`],
    raw,
  };
}
