/**
 * Child process for tests that need a process-wide setting (e.g. NODE_EXTRA_CA_CERTS): download
 * one image with downloadImage and print its size and type as JSON, or the error's code and reason.
 * Args: URL, allowed origin.
 */
import { downloadImage } from '../../src/runtime/images/download.js';
import { BotError } from '../../src/errors.js';

const [url = '', origin = ''] = process.argv.slice(2);
try {
  const image = await downloadImage(url, { maxBytes: 1024 * 1024, timeoutMs: 5000, allowOrigins: [origin] });
  console.log(JSON.stringify({ size: image.bytes.length, mime: image.mime }));
} catch (err) {
  console.log(JSON.stringify(err instanceof BotError ? { code: err.code, reason: err.context.reason } : { error: String(err) }));
}
