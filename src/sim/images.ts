/**
 * Real PNG images for simulated tasks: a 2×2 grid of colours derived from prompt + task id,
 * a single image for upscales, and small dark previews while in progress. Bytes are cached.
 * Optional Discord-like URL signing (`?ex=<ms>&hm=<hmac>`) with expiry.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { PNG } from 'pngjs';
import type { Rgb } from './types.js';

export const IMAGE_SIZE = 512;
export const PREVIEW_SIZE = 128;
const CACHE_LIMIT = 200;

/** Four distinct, saturated colours from a seed string. */
export function paletteFrom(seed: string): Rgb[] {
  const digest = createHash('sha256').update(seed).digest();
  return [0, 1, 2, 3].map((i) => {
    // Hue spread over the quadrants keeps neighbours visibly different.
    const hue = ((digest[i] ?? 0) / 255 + i / 4) % 1;
    return hslToRgb(hue, 0.65, 0.5);
  });
}

function hslToRgb(h: number, s: number, l: number): Rgb {
  const f = (n: number): number => {
    const k = (n + h * 12) % 12;
    const a = s * Math.min(l, 1 - l);
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

export type ImageKind = 'grid' | 'single' | 'preview';

/** Render a PNG: `grid` = 4 quadrants, `single` = one colour with a soft gradient, `preview` = small and dark. */
export function renderPng(kind: ImageKind, palette: readonly Rgb[], progress = 0.5): Buffer {
  const size = kind === 'preview' ? PREVIEW_SIZE : IMAGE_SIZE;
  const png = new PNG({ width: size, height: size });
  const half = size / 2;
  const dim = kind === 'preview' ? 0.25 + 0.5 * Math.min(1, Math.max(0, progress)) : 1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const quadrant = kind === 'single' ? 0 : (y < half ? 0 : 2) + (x < half ? 0 : 1);
      const [r, g, b] = palette[quadrant] ?? [128, 128, 128];
      // A vertical gradient makes the image look less flat and still compresses well.
      const shade = dim * (0.8 + 0.2 * ((y % half) / half));
      const idx = (y * size + x) << 2;
      png.data[idx] = Math.round(r * shade);
      png.data[idx + 1] = Math.round(g * shade);
      png.data[idx + 2] = Math.round(b * shade);
      png.data[idx + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

/** Small LRU-ish cache of encoded images by key. */
export class ImageCache {
  private readonly entries = new Map<string, { bytes: Buffer; contentType: string }>();

  get(key: string): { bytes: Buffer; contentType: string } | undefined {
    return this.entries.get(key);
  }

  set(key: string, bytes: Buffer, contentType = 'image/png'): void {
    this.entries.delete(key);
    this.entries.set(key, { bytes, contentType });
    while (this.entries.size > CACHE_LIMIT) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  getOrRender(key: string, render: () => Buffer): Buffer {
    const hit = this.entries.get(key);
    if (hit) return hit.bytes;
    const bytes = render();
    this.set(key, bytes);
    return bytes;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Signs image paths like Discord CDN URLs so they expire; disabled when ttl is 0. */
export class UrlSigner {
  private readonly secret = randomBytes(16);

  constructor(private readonly ttlMs: number, private readonly now: () => number) {}

  /** Absolute URL for `path`, freshly signed if signing is on. */
  sign(base: string, path: string): string {
    if (this.ttlMs <= 0) return base + path;
    const ex = this.now() + this.ttlMs;
    return `${base}${path}?ex=${ex}&hm=${this.mac(path, ex)}`;
  }

  /** True when the query carries a valid, unexpired signature (or signing is off). */
  verify(path: string, query: URLSearchParams): boolean {
    if (this.ttlMs <= 0) return true;
    const ex = Number(query.get('ex'));
    const hm = query.get('hm') ?? '';
    if (!Number.isFinite(ex) || ex <= this.now()) return false;
    const expected = Buffer.from(this.mac(path, ex));
    const given = Buffer.from(hm);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private mac(path: string, ex: number): string {
    return createHmac('sha256', this.secret).update(`${path}|${ex}`).digest('hex').slice(0, 32);
  }
}

/** Parse a `data:<mime>;base64,<b64>` URL; null if malformed or empty. */
export function parseDataUrl(value: string): { mime: string; bytes: Buffer } | null {
  const match = /^data:([\w.+-]+\/[\w.+-]+);base64,([A-Za-z0-9+/=\s]+)$/.exec(value);
  if (!match) return null;
  const bytes = Buffer.from(match[2] ?? '', 'base64');
  return bytes.length > 0 ? { mime: match[1] ?? 'application/octet-stream', bytes } : null;
}

/** Decode a PNG and return its size; null if the bytes are not a PNG. */
export function pngSize(bytes: Buffer): { width: number; height: number } | null {
  try {
    const png = PNG.sync.read(bytes);
    return { width: png.width, height: png.height };
  } catch {
    return null;
  }
}
