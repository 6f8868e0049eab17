/**
 * Child process of benchmark 11: relay one result image from a local "proxy" to the fake
 * Telegram Bot API as the presenter does (download, then sendDocument with an InputFile), and
 * print its peak RSS as JSON. Variants: `idle` (imports only), `warm` (the mjbot relay of a 1 KB
 * image: what the relay costs whatever the size), `mjbot` (downloadImage: one buffer of the
 * declared size), `naive` (the download before: chunks, then Buffer.concat), and the two halves
 * of the mjbot relay alone: `download` (no upload) and `upload` (a buffer filled in process); and
 * `mjbot-gc`, the mjbot relay with a full GC every 2 ms during the download (a diagnostic: how much
 * of the peak is garbage V8 has not collected yet; no production code calls the GC).
 * Args: variant, image URL, its size, small image URL, Bot API root, token, chat id.
 */
import { readFileSync } from 'node:fs';
import { Api } from 'grammy';
import { request } from 'undici';
import { inputFile } from '../src/adapters/telegram/files.js';
import { downloadImage } from '../src/runtime/images/download.js';

const [variant = 'idle', url = '', imageBytes = '0', smallUrl = '', apiRoot = '', token = '', chatId = '0'] = process.argv.slice(2);
const MAX_BYTES = 25 * 1024 * 1024;

/** The download before the fix: every chunk kept, then concatenated into a second copy. */
async function naiveDownload(from: string): Promise<Buffer> {
  const res = await request(from);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body) {
    total += (chunk as Buffer).length;
    if (total > MAX_BYTES) throw new Error('too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, total);
}

async function mjbotDownload(from: string): Promise<Buffer> {
  return (await downloadImage(from, { maxBytes: MAX_BYTES, allowOrigins: [new URL(from).origin] })).bytes;
}

async function upload(bytes: Buffer): Promise<void> {
  const api = new Api(token, { apiRoot });
  const sent = await api.sendDocument(Number(chatId), inputFile({ bytes, mime: 'image/png', fileName: 'mj-relay.png' }));
  if (!sent.document) throw new Error('no document in the answer');
}

/**
 * This process's own peak: VmHWM belongs to the memory map exec'd for this process, while
 * getrusage's maxRSS also keeps the parent's RSS at fork time (the parent holds the image and
 * every document the fake Bot API received).
 */
function peakRssKb(): number {
  try {
    const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (hwm) return Number(hwm);
  } catch {
    // not Linux: fall back to getrusage
  }
  return process.resourceUsage().maxRSS;
}

let size = 0;
if (variant === 'warm') size = await mjbotDownload(smallUrl).then(async (bytes) => (await upload(bytes), bytes.length));
else if (variant === 'download') size = (await mjbotDownload(url)).length;
else if (variant === 'upload') {
  const bytes = Buffer.allocUnsafe(Number(imageBytes)).fill(0x5a);
  await upload(bytes);
  size = bytes.length;
} else if (variant === 'mjbot-gc') {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('mjbot-gc needs --expose-gc');
  const timer = setInterval(gc, 2);
  const bytes = await mjbotDownload(url).finally(() => clearInterval(timer));
  await upload(bytes);
  size = bytes.length;
} else if (variant !== 'idle') {
  const bytes = variant === 'mjbot' ? await mjbotDownload(url) : await naiveDownload(url);
  await upload(bytes);
  size = bytes.length;
}
console.log(JSON.stringify({ maxRssKb: peakRssKb(), size }));
process.exit(0);
