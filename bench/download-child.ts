/**
 * Child process of benchmark 5: fetch one large image one way and print peak RSS as JSON.
 * Variants: `idle` (imports only), `mjbot` (downloadImage: streamed, size-capped), `naive`
 * (fetch → arrayBuffer → Buffer.from → base64).
 */
import { downloadImage } from '../src/runtime/images/download.js';

const [variant = 'idle', url = ''] = process.argv.slice(2);
let size = 0;
if (variant === 'mjbot') {
  const image = await downloadImage(url, { maxBytes: 25 * 1024 * 1024, allowOrigins: [new URL(url).origin] });
  size = image.bytes.length;
} else if (variant === 'naive') {
  const buffer = Buffer.from(await (await fetch(url)).arrayBuffer());
  const base64 = buffer.toString('base64'); // e.g. for a JSON API that takes base64Array
  if (base64.length === 0) throw new Error('empty image');
  size = buffer.length;
}
console.log(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, size }));
process.exit(0);
