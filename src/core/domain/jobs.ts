/**
 * What a user can ask the proxy to do, independent of any chat platform. Prompts are already
 * clean here (commands validate input); images are the raw bytes the user sent, checked and
 * encoded by the service when it submits.
 */
import type { BlendDimensions, BotType, SpeedMode } from '../../mj/schemas.js';
import type { Actor, MessageRef, Origin } from './types.js';

/** Answer for the modal step that follows an action (Custom Zoom, Vary Region, describe → imagine). */
export interface ModalAnswer {
  prompt?: string;
  maskBase64?: string;
}

/** How much a clip moves (Midjourney's Animate High/Low motion). */
export type Motion = 'low' | 'high';

export type JobSpec = (
  | { kind: 'imagine'; prompt: string; images?: Uint8Array[]; botType?: BotType }
  /** Redraw an image as the prompt says; a mask (white = change) limits where. */
  | { kind: 'edit'; image: Uint8Array; prompt: string; mask?: Uint8Array }
  /** Animate an image into a short clip. */
  | { kind: 'video'; image: Uint8Array; prompt: string; motion: Motion }
  | { kind: 'blend'; images: Uint8Array[]; dimensions?: BlendDimensions; botType?: BotType }
  | { kind: 'describe'; image: Uint8Array; botType?: BotType }
  | { kind: 'shorten'; prompt: string; botType?: BotType }
  | { kind: 'faceswap'; source: Uint8Array; target: Uint8Array }
  | { kind: 'action'; parentTaskId: string; customId: string; pendingModal?: ModalAnswer }
) & {
  /** Speed mode for this job only (default: the user's setting). */
  mode?: SpeedMode;
};

/** A JobSpec as JSON (image bytes as base64), for a job kept in the store while it waits. */
export type StoredJobSpec = (
  | { kind: 'imagine'; prompt: string; images?: string[]; botType?: BotType }
  | { kind: 'edit'; image: string; prompt: string; mask?: string }
  | { kind: 'video'; image: string; prompt: string; motion: Motion }
  | { kind: 'blend'; images: string[]; dimensions?: BlendDimensions; botType?: BotType }
  | { kind: 'describe'; image: string; botType?: BotType }
  | { kind: 'shorten'; prompt: string; botType?: BotType }
  | { kind: 'faceswap'; source: string; target: string }
  | { kind: 'action'; parentTaskId: string; customId: string; pendingModal?: ModalAnswer }
) & { mode?: SpeedMode };

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const bytesOf = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));

export function storeSpec(spec: JobSpec): StoredJobSpec {
  switch (spec.kind) {
    case 'imagine':
      return { ...spec, images: spec.images?.map(b64) };
    case 'blend':
      return { ...spec, images: spec.images.map(b64) };
    case 'describe':
      return { ...spec, image: b64(spec.image) };
    case 'edit':
      return { ...spec, image: b64(spec.image), mask: spec.mask && b64(spec.mask) };
    case 'video':
      return { ...spec, image: b64(spec.image) };
    case 'faceswap':
      return { kind: 'faceswap', source: b64(spec.source), target: b64(spec.target), mode: spec.mode };
    default:
      return spec;
  }
}

export function loadSpec(stored: StoredJobSpec): JobSpec {
  switch (stored.kind) {
    case 'imagine':
      return { ...stored, images: stored.images?.map(bytesOf) };
    case 'blend':
      return { ...stored, images: stored.images.map(bytesOf) };
    case 'describe':
      return { ...stored, image: bytesOf(stored.image) };
    case 'edit':
      return { ...stored, image: bytesOf(stored.image), mask: stored.mask === undefined ? undefined : bytesOf(stored.mask) };
    case 'video':
      return { ...stored, image: bytesOf(stored.image) };
    case 'faceswap':
      return { kind: 'faceswap', source: bytesOf(stored.source), target: bytesOf(stored.target), mode: stored.mode };
    default:
      return stored;
  }
}

/**
 * A job kept in the store while it waits for a slot: enough to show its place in line and to
 * submit it from another process or after a restart.
 */
export interface ParkedJob {
  origin: Origin;
  /** The requester, with the language their messages use. */
  owner: Actor;
  /** The message that shows the job. */
  ref: MessageRef;
  /** What the message shows as the prompt. */
  display: string;
  /** Absent once the job was admitted: then only its message matters (to say the submit was cut off). */
  spec?: StoredJobSpec;
}
