/** Images from a chat as the data URLs the proxy takes (`base64Array`, `base64`). */
import { UserInputError } from '../../../errors.js';
import { sniffImage, toDataUrl } from './sniff.js';

/** Megabytes for messages, one decimal. */
export function maxMb(maxBytes: number): number {
  return Math.round((maxBytes / 1024 / 1024) * 10) / 10;
}

export function imageTooLarge(maxBytes: number, where: string): UserInputError {
  return new UserInputError('IMAGE_TOO_LARGE', `image larger than ${maxBytes} bytes: ${where}`, { maxMb: maxMb(maxBytes) });
}

/**
 * A reference image from a chat (bytes already in hand) as a data URL. Checks the real type by
 * content (PNG/JPEG/WebP/GIF) and the size.
 */
export function imageToDataUrl(bytes: Uint8Array, opts: { maxBytes: number }): string {
  if (bytes.byteLength > opts.maxBytes) throw imageTooLarge(opts.maxBytes, 'chat attachment');
  const sniffed = sniffImage(bytes);
  // A header without a readable size (e.g. a bare PNG signature) is not an image the proxy can use.
  if (!sniffed || sniffed.width === undefined) throw new UserInputError('IMAGE_INVALID', 'attachment is not a PNG/JPEG/WebP/GIF image');
  return toDataUrl(bytes, sniffed.mime);
}
