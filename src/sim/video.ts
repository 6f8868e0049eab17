/**
 * Clips for simulated video tasks: MP4 files (an ISO base media file: `ftyp` box, then `mdat`)
 * whose media data is derived from the task's palette, so each clip has its own bytes.
 * **Code note:** there is no encoded track in them — players will not play them; the bot only
 * needs them to be MP4 files of a realistic size and shape (docs/protocol.md#video).
 */
import type { Rgb } from './types.js';

/** A few KB, like a very short, very small clip. */
const MEDIA_BYTES = 24 * 1024;

function box(type: string, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + payload.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, payload]);
}

/** An MP4 clip for `palette`; `variant` tells the grid clip and the four single clips apart. */
export function renderClip(palette: readonly Rgb[], variant: number): Buffer {
  // ftyp: major brand isom, minor version 0x200, compatible brands isom iso2 avc1 mp41.
  const ftyp = box('ftyp', Buffer.from('isom\u0000\u0000\u0002\u0000isomiso2avc1mp41', 'latin1'));
  const media = Buffer.alloc(MEDIA_BYTES);
  for (let i = 0; i < media.length; i += 4) {
    const [r, g, b] = palette[(i / 4 + variant) % Math.max(1, palette.length)] ?? [0, 0, 0];
    media[i] = r;
    media[i + 1] = g;
    media[i + 2] = b;
    media[i + 3] = variant;
  }
  return Buffer.concat([ftyp, box('mdat', media)]);
}
