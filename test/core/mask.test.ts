import { thrownBotError } from '../helpers/errors.js';
import fc from 'fast-check';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { buildRegionMask, maskToDataUrl, normalizeMask, REGION_PRESETS, regionLabel } from '../../src/core/domain/images/mask.js';
import { parseDataUrl } from '../../src/core/domain/images/sniff.js';

/** Decode a mask into a grid of booleans (true = white), checking every pixel is pure black or white and opaque. */
function decode(png: Buffer): { width: number; height: number; white: boolean[][] } {
  const img = PNG.sync.read(png);
  const white: boolean[][] = [];
  let impure = 0;
  for (let y = 0; y < img.height; y++) {
    const row: boolean[] = [];
    for (let x = 0; x < img.width; x++) {
      const i = (y * img.width + x) * 4;
      const [r, g, b, a] = [img.data[i], img.data[i + 1], img.data[i + 2], img.data[i + 3]];
      if (a !== 255 || r !== g || g !== b || (r !== 0 && r !== 255)) impure++;
      row.push(r === 255);
    }
    white.push(row);
  }
  expect(impure).toBe(0);
  return { width: img.width, height: img.height, white };
}

/** A PNG from rows of [r, g, b, a] pixels. */
function pngOf(rows: [number, number, number, number][][]): Buffer {
  const png = new PNG({ width: rows[0]?.length ?? 0, height: rows.length });
  rows.forEach((row, y) => row.forEach((px, x) => px.forEach((v, c) => (png.data[(y * png.width + x) * 4 + c] = v))));
  return PNG.sync.write(png);
}


// 120×72 divides evenly by 2, 3 and 4, so each preset's rectangle is exact: [x0, x1, y0, y1) in pixels.
const EXPECTED: Record<string, [number, number, number, number]> = {
  'left-half': [0, 60, 0, 72],
  'right-half': [60, 120, 0, 72],
  'top-half': [0, 120, 0, 36],
  'bottom-half': [0, 120, 36, 72],
  center: [30, 90, 18, 54],
  'left-third': [0, 40, 0, 72],
  'middle-third': [40, 80, 0, 72],
  'right-third': [80, 120, 0, 72],
  'top-third': [0, 120, 0, 24],
  'bottom-third': [0, 120, 48, 72],
  'top-left': [0, 60, 0, 36],
  'top-right': [60, 120, 0, 36],
  'bottom-left': [0, 60, 36, 72],
  'bottom-right': [60, 120, 36, 72],
};

describe('region presets', () => {
  it('offers every documented area', () => {
    expect(REGION_PRESETS.map((p) => p.id).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('paints exactly the %s white on black at the image size', (id, [x0, x1, y0, y1]) => {
    const mask = decode(buildRegionMask(120, 72, id));
    expect([mask.width, mask.height]).toEqual([120, 72]);
    let whites = 0;
    let misplaced = 0;
    mask.white.forEach((row, y) =>
      row.forEach((isWhite, x) => {
        if (isWhite !== (x >= x0 && x < x1 && y >= y0 && y < y1)) misplaced++;
        if (isWhite) whites++;
      }),
    );
    expect(misplaced).toBe(0);
    expect(whites).toBe((x1 - x0) * (y1 - y0));
  });

  it('tiles any image size exactly with complementary presets (halves, thirds, quarters)', () => {
    const families = [
      ['left-half', 'right-half'],
      ['top-half', 'bottom-half'],
      ['left-third', 'middle-third', 'right-third'],
      ['top-third', 'bottom-third'],
      ['top-left', 'top-right', 'bottom-left', 'bottom-right'],
    ];
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 41 }), fc.integer({ min: 3, max: 41 }), fc.constantFrom(...families), (w, h, family) => {
        const masks = family.map((id) => decode(buildRegionMask(w, h, id)).white);
        const isThirdsTopBottom = family[0] === 'top-third';
        let wrong = 0;
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            const covering = masks.filter((m) => m[y]?.[x]).length;
            // top + bottom third leave the middle third black; the other families cover everything once.
            const inMiddleThird = y >= Math.round(h / 3) && y < Math.round((2 * h) / 3);
            if (covering !== (isThirdsTopBottom && inMiddleThird ? 0 : 1)) wrong++;
          }
        }
        expect(wrong).toBe(0);
      }),
      { numRuns: 25 },
    );
  });

  it('names areas in the user language', () => {
    expect(regionLabel('left-half', 'en')).toBe('Left half');
    expect(regionLabel('left-half', 'zh')).toBe('左半部分');
    for (const { id } of REGION_PRESETS) {
      expect(regionLabel(id, 'en')).not.toBe(id);
      expect(regionLabel(id, 'zh')).not.toBe(regionLabel(id, 'en'));
    }
    expect(regionLabel('nowhere', 'zh')).toBe('nowhere');
  });

  it('rejects an unknown area as bad input', () => {
    expect(thrownBotError(() => buildRegionMask(10, 10, 'nowhere')).code).toBe('BAD_INPUT');
  });

  it('wraps the mask as a PNG data URL the proxies accept', () => {
    const png = buildRegionMask(8, 8, 'center');
    const url = maskToDataUrl(png);
    expect(url.startsWith('data:image/png;base64,')).toBe(true);
    expect(parseDataUrl(url)?.bytes.equals(png)).toBe(true);
  });
});

describe('normalizeMask', () => {
  const K: [number, number, number, number] = [0, 0, 0, 255];
  const W: [number, number, number, number] = [255, 255, 255, 255];
  const LIGHT: [number, number, number, number] = [200, 210, 190, 255];
  const DARK: [number, number, number, number] = [100, 90, 110, 255];
  const CLEAR_WHITE: [number, number, number, number] = [255, 255, 255, 0];

  it('turns greys into pure black or white and treats transparent pixels as black', () => {
    const mask = decode(normalizeMask(pngOf([[LIGHT, DARK, CLEAR_WHITE, W]]), 4, 1));
    expect(mask.white).toEqual([[true, false, false, true]]);
  });

  it('scales the mask to the image size with nearest-neighbour sampling', () => {
    const up = decode(normalizeMask(pngOf([[W, K], [K, K]]), 6, 4));
    expect([up.width, up.height]).toEqual([6, 4]);
    expect(up.white.map((row) => row.map((v) => (v ? 'W' : '.')).join(''))).toEqual(['WWW...', 'WWW...', '......', '......']);
    const rows: [number, number, number, number][][] = Array.from({ length: 8 }, (_, y) => Array.from({ length: 8 }, (_, x) => (x >= 4 && y < 4 ? W : K)));
    const down = decode(normalizeMask(pngOf(rows), 2, 2));
    expect(down.white).toEqual([[false, true], [false, false]]);
  });

  it('rejects a mask with nothing to repaint, in the user language', () => {
    const err = thrownBotError(() => normalizeMask(pngOf([[K, DARK], [CLEAR_WHITE, K]]), 10, 10, 'zh'));
    expect(err.code).toBe('BAD_INPUT');
    expect(err.context.detail).toContain('蒙版为空');
    expect(thrownBotError(() => normalizeMask(pngOf([[K]]), 3, 3)).context.detail).toMatch(/empty/i);
  });

  it('rejects a mask that repaints everything', () => {
    const err = thrownBotError(() => normalizeMask(pngOf([[W, LIGHT]]), 5, 5));
    expect(err.code).toBe('BAD_INPUT');
    expect(err.context.detail).toMatch(/covers everything/i);
  });

  it('asks for a PNG when the mask is a JPEG photo or broken', () => {
    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0xff, 0xd9]);
    const err = thrownBotError(() => normalizeMask(jpeg, 10, 10));
    expect(err.code).toBe('IMAGE_INVALID');
    expect(err.context.detail).toContain('PNG');
    const broken = Buffer.concat([pngOf([[W, K]]).subarray(0, 40), Buffer.from('garbage')]);
    expect(thrownBotError(() => normalizeMask(broken, 10, 10)).code).toBe('IMAGE_INVALID');
  });
});
