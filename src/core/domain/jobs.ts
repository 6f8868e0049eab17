/**
 * What a user can ask the proxy to do, independent of any chat platform. Prompts are already
 * clean here (commands validate input); images are the raw bytes the user sent, checked and
 * encoded by the service when it submits.
 */
import type { BlendDimensions, BotType } from '../../mj/schemas.js';

/** Answer for the modal step that follows an action (Custom Zoom, Vary Region, describe → imagine). */
export interface ModalAnswer {
  prompt?: string;
  maskBase64?: string;
}

export type JobSpec =
  | { kind: 'imagine'; prompt: string; images?: Uint8Array[]; botType?: BotType }
  | { kind: 'blend'; images: Uint8Array[]; dimensions?: BlendDimensions; botType?: BotType }
  | { kind: 'describe'; image: Uint8Array; botType?: BotType }
  | { kind: 'shorten'; prompt: string; botType?: BotType }
  | { kind: 'faceswap'; source: Uint8Array; target: Uint8Array }
  | { kind: 'action'; parentTaskId: string; customId: string; pendingModal?: ModalAnswer };
