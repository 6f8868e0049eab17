/**
 * Vary (Region) masks. The proxies want a PNG data URL the size of the image: black background,
 * white = the area to repaint (Plus docs "底色纯黑，选中区域纯白"). Chat users cannot paint, so
 * they pick a preset area, or upload their own black-and-white PNG, which is cleaned up here.
 */
import { PNG } from 'pngjs';
import { UserInputError } from '../../../errors.js';
import { t } from '../i18n/index.js';
import type { Locale } from '../types.js';
import { sniffImage, toDataUrl } from './sniff.js';

export interface RegionPreset {
  id: string;
  /** Fractions of the width/height, 0..1; x1/y1 exclusive. */
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const third = 1 / 3;

/** Preset areas offered instead of painting. */
export const REGION_PRESETS: readonly RegionPreset[] = Object.freeze([
  { id: 'left-half', x0: 0, y0: 0, x1: 0.5, y1: 1 },
  { id: 'right-half', x0: 0.5, y0: 0, x1: 1, y1: 1 },
  { id: 'top-half', x0: 0, y0: 0, x1: 1, y1: 0.5 },
  { id: 'bottom-half', x0: 0, y0: 0.5, x1: 1, y1: 1 },
  { id: 'center', x0: 0.25, y0: 0.25, x1: 0.75, y1: 0.75 },
  { id: 'left-third', x0: 0, y0: 0, x1: third, y1: 1 },
  { id: 'middle-third', x0: third, y0: 0, x1: 2 * third, y1: 1 },
  { id: 'right-third', x0: 2 * third, y0: 0, x1: 1, y1: 1 },
  { id: 'top-third', x0: 0, y0: 0, x1: 1, y1: third },
  { id: 'bottom-third', x0: 0, y0: 2 * third, x1: 1, y1: 1 },
  { id: 'top-left', x0: 0, y0: 0, x1: 0.5, y1: 0.5 },
  { id: 'top-right', x0: 0.5, y0: 0, x1: 1, y1: 0.5 },
  { id: 'bottom-left', x0: 0, y0: 0.5, x1: 0.5, y1: 1 },
  { id: 'bottom-right', x0: 0.5, y0: 0.5, x1: 1, y1: 1 },
]);

/** Bigger than any Midjourney output; also caps memory when decoding an uploaded mask. */
export const MAX_MASK_PIXELS = 6144 * 6144;

/** Localized name of a preset ("Left half" / "左半部分"); the id itself when unknown. */
export function regionLabel(id: string, locale: Locale): string {
  const key = `region.${id}`;
  const text = t(locale, key);
  return text === key ? id : text;
}

function checkSize(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width * height > MAX_MASK_PIXELS) {
    throw new RangeError(`invalid mask size ${width}x${height}`);
  }
}

/** A black, opaque RGBA canvas. */
function blackCanvas(width: number, height: number): PNG {
  const png = new PNG({ width, height });
  for (let i = 0; i < png.data.length; i += 4) {
    png.data[i] = 0;
    png.data[i + 1] = 0;
    png.data[i + 2] = 0;
    png.data[i + 3] = 255;
  }
  return png;
}

function setWhite(png: PNG, x: number, y: number): void {
  const i = (y * png.width + x) * 4;
  png.data[i] = 255;
  png.data[i + 1] = 255;
  png.data[i + 2] = 255;
}

/** PNG mask `width`×`height`: black, with the preset's rectangle white. Unknown preset → BAD_INPUT. */
export function buildRegionMask(width: number, height: number, presetId: string, locale: Locale = 'en'): Buffer {
  checkSize(width, height);
  const preset = REGION_PRESETS.find((p) => p.id === presetId);
  if (!preset) throw new UserInputError('BAD_INPUT', `unknown region preset ${presetId}`, { detail: t(locale, 'input.regionUnknown') });
  const png = blackCanvas(width, height);
  // Rounding both edges the same way makes complementary presets tile the image exactly.
  const [xs, xe] = [Math.round(preset.x0 * width), Math.round(preset.x1 * width)];
  const [ys, ye] = [Math.round(preset.y0 * height), Math.round(preset.y1 * height)];
  for (let y = ys; y < ye; y++) for (let x = xs; x < xe; x++) setWhite(png, x, y);
  return PNG.sync.write(png);
}

function decodePng(bytes: Uint8Array, locale: Locale): PNG {
  const sniffed = sniffImage(bytes);
  const notPng = () => new UserInputError('IMAGE_INVALID', `mask is ${sniffed?.mime ?? 'not an image'}, need PNG`, { detail: t(locale, 'input.maskNotPng') });
  if (sniffed?.mime !== 'image/png') throw notPng();
  if (sniffed.width && sniffed.height && sniffed.width * sniffed.height > MAX_MASK_PIXELS) {
    const max = Math.floor(MAX_MASK_PIXELS / 1_000_000);
    throw new UserInputError('BAD_INPUT', `mask ${sniffed.width}x${sniffed.height} too large`, { detail: t(locale, 'input.maskTooBig', { max }) });
  }
  try {
    return PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (err) {
    throw new UserInputError('IMAGE_INVALID', 'mask PNG could not be decoded', { detail: t(locale, 'input.maskNotPng') }, { cause: err });
  }
}

/** White when bright after compositing over black: painted strokes on a transparent layer count. */
function isWhite(data: Buffer, i: number): boolean {
  const luma = 0.299 * (data[i] ?? 0) + 0.587 * (data[i + 1] ?? 0) + 0.114 * (data[i + 2] ?? 0);
  return (luma * (data[i + 3] ?? 0)) / 255 >= 128;
}

/**
 * A user-uploaded mask → pure black/white PNG of exactly `width`×`height` (nearest-neighbour
 * resize). Non-PNG → IMAGE_INVALID (hint: send PNG); all black or all white → BAD_INPUT.
 */
export function normalizeMask(bytes: Uint8Array, width: number, height: number, locale: Locale = 'en'): Buffer {
  checkSize(width, height);
  const source = decodePng(bytes, locale);
  const out = blackCanvas(width, height);
  let white = 0;
  for (let y = 0; y < height; y++) {
    const sy = Math.min(source.height - 1, Math.floor(((y + 0.5) * source.height) / height));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(source.width - 1, Math.floor(((x + 0.5) * source.width) / width));
      if (isWhite(source.data, (sy * source.width + sx) * 4)) {
        setWhite(out, x, y);
        white++;
      }
    }
  }
  if (white === 0) throw new UserInputError('BAD_INPUT', 'mask has no white area', { detail: t(locale, 'input.maskEmpty') });
  if (white === width * height) throw new UserInputError('BAD_INPUT', 'mask is all white', { detail: t(locale, 'input.maskFull') });
  return PNG.sync.write(out);
}

/** `data:image/png;base64,…` — trueai strips exactly this prefix, so masks must be PNG. */
export function maskToDataUrl(png: Buffer): string {
  return toDataUrl(png, 'image/png');
}
