/**
 * Child process of benchmark 10: relay one large result image from a local "proxy" to the fake
 * Telegram Bot API as the presenter does (download, then sendDocument with an InputFile), and
 * print peak RSS as JSON. Variants: `idle` (imports only), `mjbot` (downloadImage: one buffer of
 * the declared size), `naive` (the download before the fix: chunks, then Buffer.concat).
 * Args: variant, image URL, Bot API root, token, chat id.
 */
import { Api } from 'grammy';
import { request } from 'undici';
import { inputFile } from '../src/adapters/telegram/files.js';
import { downloadImage } from '../src/runtime/images/download.js';

const [variant = 'idle', url = '', apiRoot = '', token = '', chatId = '0'] = process.argv.slice(2);
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

let size = 0;
if (variant !== 'idle') {
  const bytes = variant === 'mjbot' ? (await downloadImage(url, { maxBytes: MAX_BYTES, allowOrigins: [new URL(url).origin] })).bytes : await naiveDownload(url);
  const api = new Api(token, { apiRoot });
  const sent = await api.sendDocument(Number(chatId), inputFile({ bytes, mime: 'image/png', fileName: 'mj-relay.png' }));
  if (!sent.document) throw new Error('no document in the answer');
  size = bytes.length;
}
console.log(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, size }));
process.exit(0);
