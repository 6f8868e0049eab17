/**
 * Benchmark 10: peak memory relaying a 20 MB result image from the proxy to a chat: downloaded
 * from a local server and uploaded to the fake Telegram Bot API with grammY, as the Telegram
 * presenter sends a result too large for a photo. Each variant in its own child process.
 */
import { startFakeTelegram } from '../test/fakes/telegram/index.js';
import { bigPng, serveImage } from './download.js';
import { mb, runChild, type BenchResult } from './util.js';

const RUNS = 2;
const CHAT = 4242;

interface ChildResult {
  maxRssKb: number;
  size: number;
}

export async function runRelay(): Promise<BenchResult> {
  const png = bigPng();
  const { url, close } = await serveImage(png);
  const fake = await startFakeTelegram({ rateLimits: false });
  // The chat exists once its user wrote to the bot.
  fake.sendText({ chatId: CHAT, from: { id: CHAT }, text: '/start' });
  const raw: Record<string, ChildResult[]> = { idle: [], mjbot: [], naive: [] };
  try {
    for (let i = 0; i < RUNS; i++) {
      for (const variant of ['idle', 'mjbot', 'naive']) raw[variant]?.push(await runChild<ChildResult>('bench/relay-child.ts', [variant, url, fake.apiRoot, fake.token, String(CHAT)]));
    }
  } finally {
    await close();
    await fake.close();
  }
  const peak = (variant: string): number => Math.min(...(raw[variant] ?? []).map((r) => r.maxRssKb * 1024));
  const idle = peak('idle');
  const label: Record<string, string> = {
    idle: 'idle child (same imports)',
    mjbot: 'mjbot: downloadImage into one buffer of the declared size → grammY sendDocument',
    naive: 'naive (before): chunks + Buffer.concat → grammY sendDocument',
  };
  return {
    id: 'relay',
    title: `10. Peak memory relaying a ${mb(png.length)} MB result image to Telegram`,
    columns: ['variant', 'peak RSS MB', 'above idle MB', 'above idle ÷ image size'],
    rows: ['idle', 'mjbot', 'naive'].map((variant) => [
      label[variant] ?? variant,
      mb(peak(variant)),
      variant === 'idle' ? '—' : mb(peak(variant) - idle),
      variant === 'idle' ? '—' : `${((peak(variant) - idle) / png.length).toFixed(2)}×`,
    ]),
    notes: [
      `Child processes, maxRSS from process.resourceUsage(); lowest of ${RUNS} interleaved runs per variant. The image is served with Content-Length by a local node:http server; the fake Bot API (in the parent) takes the multipart upload and answers with the document.`,
      'grammY streams a Buffer InputFile into the multipart body without copying it, so the buffer the download fills is the only copy of the image in the process.',
    ],
    raw,
  };
}
