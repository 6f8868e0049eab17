/**
 * Benchmark 11: peak memory relaying a 20 MB result image from the proxy to a chat: downloaded
 * from a local server and uploaded to the fake Telegram Bot API with grammY, as the Telegram
 * presenter sends a result too large for a photo. Each variant in its own child process.
 */
import { startFakeTelegram } from '../test/fakes/telegram/index.js';
import { bigPng, serveImage } from './download.js';
import { mb, runChild, type BenchResult } from './util.js';

const RUNS = 5;
const CHAT = 4242;
const VARIANTS = ['idle', 'warm', 'mjbot', 'naive', 'download', 'upload', 'mjbot-gc'] as const;

interface ChildResult {
  maxRssKb: number;
  size: number;
}

const LABEL: Record<string, string> = {
  idle: 'idle child (same imports)',
  warm: 'warm: the mjbot relay of a 1 KB image',
  mjbot: 'mjbot: downloadImage (socket reads into one reused 64 KB buffer, copied into one buffer of the declared size) → grammY sendDocument',
  naive: 'naive: undici chunks + Buffer.concat → grammY sendDocument',
  download: 'mjbot download alone (no upload)',
  upload: 'upload alone (a buffer filled in process → grammY sendDocument)',
  'mjbot-gc': 'diagnostic: mjbot with a full GC every 2 ms during the download (--expose-gc)',
};

export async function runRelay(): Promise<BenchResult> {
  const png = bigPng();
  const big = await serveImage(png);
  // A PNG's first KB sniffs as the same image: the relay path without the image's size.
  const small = await serveImage(png.subarray(0, 1024));
  const fake = await startFakeTelegram({ rateLimits: false });
  // The chat exists once its user wrote to the bot.
  fake.sendText({ chatId: CHAT, from: { id: CHAT }, text: '/start' });
  const raw: Record<string, ChildResult[]> = Object.fromEntries(VARIANTS.map((v) => [v, []]));
  try {
    for (let i = 0; i < RUNS; i++) {
      for (const variant of VARIANTS) {
        raw[variant]?.push(await runChild<ChildResult>('bench/relay-child.ts', [variant, big.url, String(png.length), small.url, fake.apiRoot, fake.token, String(CHAT)]));
      }
    }
  } finally {
    await big.close();
    await small.close();
    await fake.close();
  }
  const peak = (variant: string): number => Math.min(...(raw[variant] ?? []).map((r) => r.maxRssKb * 1024));
  const ratio = (variant: string, base: string): string => (variant === base || variant === 'idle' ? '—' : `${((peak(variant) - peak(base)) / png.length).toFixed(2)}×`);
  return {
    id: 'relay',
    title: `11. Peak memory relaying a ${mb(png.length)} MB result image to Telegram`,
    columns: ['variant', 'peak RSS MB', 'above idle MB', 'above idle ÷ image size', 'above warm ÷ image size'],
    rows: VARIANTS.map((variant) => [
      LABEL[variant] ?? variant,
      mb(peak(variant)),
      variant === 'idle' ? '—' : mb(peak(variant) - peak('idle')),
      ratio(variant, 'idle'),
      variant === 'warm' ? '—' : ratio(variant, 'warm'),
    ]),
    notes: [
      `Child processes; peak RSS is the child's own VmHWM (getrusage's maxRSS also keeps the parent's RSS at fork, and the parent holds every document the fake Bot API received); lowest of ${RUNS} interleaved runs per variant. The images are served with Content-Length by local node:http servers; the fake Bot API (in the parent) takes the multipart upload and answers with the document.`,
      '"warm" relays a 1 KB image the same way: what relaying anything costs whatever the image size (grammY\'s upload path, lazily loaded modules). The naive download goes through undici, whose WebAssembly HTTP parser adds a few MB of its own.',
    ],
    raw,
  };
}
