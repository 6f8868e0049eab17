/**
 * Images out to Discord: an upload must fit the interaction's `attachment_size_limit` (default
 * 10 MiB per file). A PNG that is too large is halved (box filter, pngjs) until it fits; anything
 * else that does not fit is sent as a link instead.
 */
import { PNG } from 'pngjs';
import type { LoadedImage } from '../../core/domain/types.js';

export const DEFAULT_ATTACHMENT_LIMIT = 10 * 1024 * 1024;
const MAX_HALVINGS = 4;

/** A file to attach (bytes fit the limit), or undefined when it cannot be made to fit. */
export function fitAttachment(image: LoadedImage, limit: number): LoadedImage | undefined {
  if (image.bytes.length <= limit) return image;
  if (image.mime !== 'image/png') return undefined;
  let png: PNG;
  try {
    png = PNG.sync.read(image.bytes);
  } catch {
    return undefined;
  }
  for (let i = 0; i < MAX_HALVINGS && png.width > 1 && png.height > 1; i++) {
    png = halve(png);
    const bytes = PNG.sync.write(png);
    if (bytes.length <= limit) return { ...image, bytes, width: png.width, height: png.height };
  }
  return undefined;
}

/** Half the width and height, each pixel the average of a 2×2 block. */
function halve(src: PNG): PNG {
  const width = Math.max(1, Math.floor(src.width / 2));
  const height = Math.max(1, Math.floor(src.height / 2));
  const out = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 4; c++) {
        let sum = 0;
        for (let dy = 0; dy < 2; dy++) for (let dx = 0; dx < 2; dx++) sum += src.data[((2 * y + dy) * src.width + (2 * x + dx)) * 4 + c] ?? 0;
        out.data[(y * width + x) * 4 + c] = Math.round(sum / 4);
      }
    }
  }
  return out;
}
