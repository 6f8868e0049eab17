/**
 * What a user can ask the proxy to do, independent of any chat platform. Prompts are already
 * clean here (commands validate input); images are the raw bytes the user sent, checked and
 * encoded by the service when it submits.
 */
import type { BlendDimensions, BotType, SpeedMode } from '../../mj/schemas.js';

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
