/**
 * What a user can ask the proxy to do, independent of any chat platform, and how each request
 * maps onto the MJ client. Prompts are already clean here (commands validate input).
 */
import type { MjClient, Submitted } from '../../mj/client.js';
import type { BlendDimensions, BotType, BaseSubmit } from '../../mj/schemas.js';

export type JobSpec =
  | { kind: 'imagine'; prompt: string; base64Array?: string[]; botType?: BotType }
  | { kind: 'blend'; base64Array: string[]; dimensions?: BlendDimensions; botType?: BotType }
  | { kind: 'describe'; base64: string; botType?: BotType }
  | { kind: 'shorten'; prompt: string; botType?: BotType }
  | { kind: 'faceswap'; sourceBase64: string; targetBase64: string }
  | {
      kind: 'action';
      parentTaskId: string;
      customId: string;
      /** Answer for the modal step that follows (Custom Zoom, Vary Region, describe → imagine). */
      pendingModal?: { prompt?: string; maskBase64?: string };
    };


/** Send the request. `extra` carries notifyHook/state. */
export function submitJob(client: MjClient, spec: JobSpec, extra: BaseSubmit): Promise<Submitted> {
  switch (spec.kind) {
    case 'imagine':
      return client.imagine({ ...extra, prompt: spec.prompt, base64Array: spec.base64Array?.length ? spec.base64Array : undefined, botType: spec.botType });
    case 'blend':
      return client.blend({ ...extra, base64Array: spec.base64Array, dimensions: spec.dimensions ?? 'SQUARE', botType: spec.botType });
    case 'describe':
      return client.describe({ ...extra, base64: spec.base64, botType: spec.botType });
    case 'shorten':
      return client.shorten({ ...extra, prompt: spec.prompt, botType: spec.botType });
    case 'faceswap':
      return client.faceSwap({ ...extra, sourceBase64: spec.sourceBase64, targetBase64: spec.targetBase64 });
    case 'action':
      return client.action({ ...extra, taskId: spec.parentTaskId, customId: spec.customId });
  }
}
