/**
 * Clip type detection from the bytes (Midjourney video results): MP4/MOV (an ISO base media file
 * starts with its `ftyp` box), WebM (EBML header) and GIF animations.
 */

export type VideoMime = 'video/mp4' | 'video/webm' | 'image/gif';

export interface SniffedVideo {
  mime: VideoMime;
  /** File extension without the dot: mp4, webm, gif. */
  ext: string;
}

const ascii = (bytes: Uint8Array, start: number, length: number): string => String.fromCharCode(...bytes.subarray(start, start + length));

/** The clip's type, or undefined for anything that is not a clip. */
export function sniffVideo(bytes: Uint8Array): SniffedVideo | undefined {
  if (bytes.length >= 12 && ascii(bytes, 4, 4) === 'ftyp') return { mime: 'video/mp4', ext: 'mp4' };
  if (bytes.length >= 4 && bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return { mime: 'video/webm', ext: 'webm' };
  if (bytes.length >= 6 && (ascii(bytes, 0, 6) === 'GIF89a' || ascii(bytes, 0, 6) === 'GIF87a')) return { mime: 'image/gif', ext: 'gif' };
  return undefined;
}
