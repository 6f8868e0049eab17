/**
 * Image type and size detection from the bytes themselves. File names and Content-Type headers
 * lie (Telegram documents, CDN proxies, relays); the magic bytes do not.
 */

export type ImageMime = 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif';

export interface SniffedImage {
  mime: ImageMime;
  /** File extension without the dot: png, jpg, webp, gif. */
  ext: string;
  /** Pixel size when the header carries it (absent for truncated or exotic files). */
  width?: number;
  height?: number;
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(start, start + length));
}

function u16be(b: Uint8Array, i: number): number {
  return ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
}

function u16le(b: Uint8Array, i: number): number {
  return (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8);
}

function u24le(b: Uint8Array, i: number): number {
  return (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8) | ((b[i + 2] ?? 0) << 16);
}

function u32be(b: Uint8Array, i: number): number {
  return (((b[i] ?? 0) << 24) >>> 0) + ((b[i + 1] ?? 0) << 16) + ((b[i + 2] ?? 0) << 8) + (b[i + 3] ?? 0);
}

/** Only report a size that is plausible; a zero means the header was cut off or is bogus. */
function sized(base: SniffedImage, width: number, height: number): SniffedImage {
  return width > 0 && height > 0 ? { ...base, width, height } : base;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function sniffPng(b: Uint8Array): SniffedImage | undefined {
  if (!PNG_SIGNATURE.every((v, i) => b[i] === v)) return undefined;
  const base: SniffedImage = { mime: 'image/png', ext: 'png' };
  // The first chunk must be IHDR: length(4) "IHDR"(4) width(4) height(4).
  if (b.length < 24 || ascii(b, 12, 4) !== 'IHDR') return base;
  return sized(base, u32be(b, 16), u32be(b, 20));
}

/** SOFn markers carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function sniffJpeg(b: Uint8Array): SniffedImage | undefined {
  if (b[0] !== 0xff || b[1] !== 0xd8 || b[2] !== 0xff) return undefined;
  const base: SniffedImage = { mime: 'image/jpeg', ext: 'jpg' };
  let i = 2;
  while (i + 3 < b.length) {
    if (b[i] !== 0xff) return base; // lost sync: keep the type, drop the size
    while (b[i] === 0xff && i < b.length) i++; // fill bytes
    const marker = b[i] ?? 0;
    i++;
    // Stand-alone markers have no length field.
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
    if (marker === 0xd9 || marker === 0xda) return base; // end of image / start of scan before any frame
    const length = u16be(b, i);
    if (length < 2) return base;
    if (isStartOfFrame(marker)) {
      if (i + 7 > b.length) return base;
      // length(2) precision(1) height(2) width(2)
      return sized(base, u16be(b, i + 5), u16be(b, i + 3));
    }
    i += length;
  }
  return base;
}

function sniffWebp(b: Uint8Array): SniffedImage | undefined {
  if (b.length < 12 || ascii(b, 0, 4) !== 'RIFF' || ascii(b, 8, 4) !== 'WEBP') return undefined;
  const base: SniffedImage = { mime: 'image/webp', ext: 'webp' };
  const chunk = ascii(b, 12, 4);
  const data = 20; // chunk header: fourcc(4) size(4)
  if (chunk === 'VP8 ' && b.length >= data + 10) {
    // Lossy: frame tag(3) start code 9d 01 2a, then 14-bit width/height (2 bits of scale).
    if (b[data + 3] !== 0x9d || b[data + 4] !== 0x01 || b[data + 5] !== 0x2a) return base;
    return sized(base, u16le(b, data + 6) & 0x3fff, u16le(b, data + 8) & 0x3fff);
  }
  if (chunk === 'VP8L' && b.length >= data + 5) {
    // Lossless: signature 0x2f, then width-1 (14 bits) and height-1 (14 bits), little-endian.
    if (b[data] !== 0x2f) return base;
    const bits = (b[data + 1] ?? 0) | ((b[data + 2] ?? 0) << 8) | ((b[data + 3] ?? 0) << 16) | ((b[data + 4] ?? 0) << 24);
    return sized(base, (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8X' && b.length >= data + 10) {
    // Extended: flags(1) reserved(3) canvas width-1 (24 bits) canvas height-1 (24 bits).
    return sized(base, u24le(b, data + 4) + 1, u24le(b, data + 7) + 1);
  }
  return base;
}

function sniffGif(b: Uint8Array): SniffedImage | undefined {
  const magic = ascii(b, 0, 6);
  if (magic !== 'GIF87a' && magic !== 'GIF89a') return undefined;
  const base: SniffedImage = { mime: 'image/gif', ext: 'gif' };
  return b.length >= 10 ? sized(base, u16le(b, 6), u16le(b, 8)) : base;
}

/** Detect PNG, JPEG, WebP or GIF by magic bytes and read the pixel size from the header. */
export function sniffImage(bytes: Uint8Array): SniffedImage | undefined {
  return sniffPng(bytes) ?? sniffJpeg(bytes) ?? sniffWebp(bytes) ?? sniffGif(bytes);
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** `data:<mime>;base64,<…>` — the form every MJ proxy accepts in `base64Array` / `maskBase64`. */
export function toDataUrl(bytes: Uint8Array, mime: string): string {
  return `data:${mime};base64,${asBuffer(bytes).toString('base64')}`;
}

const DATA_URL = /^data:([a-z]+\/[a-z0-9.+-]+)((?:;[a-z0-9-]+=[^;,]*)*);base64,([a-z0-9+/\s]*={0,2})\s*$/i;

/** Parse a base64 data URL; undefined when it is not one (or not valid base64). */
export function parseDataUrl(s: string): { mime: string; bytes: Buffer } | undefined {
  const match = DATA_URL.exec(s.trim());
  if (!match) return undefined;
  const payload = (match[3] ?? '').replace(/\s+/g, '');
  if (payload.length % 4 === 1) return undefined; // no valid base64 has this length
  return { mime: (match[1] ?? '').toLowerCase(), bytes: Buffer.from(payload, 'base64') };
}
