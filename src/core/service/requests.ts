/**
 * A job as the proxy request that runs it: images checked and encoded as data URLs first (so a
 * bad image is refused before anything is shown), then sent with the right client call.
 */
import type { Submitted } from '../../mj/client.js';
import type { BaseSubmit } from '../../mj/schemas.js';
import { imageToDataUrl } from '../domain/images/data-url.js';
import type { JobSpec } from '../domain/jobs.js';
import type { MjPort } from '../domain/ports.js';

export type ProxyRequest = (client: MjPort, extra: BaseSubmit) => Promise<Submitted>;

/** Check the job's images and build its request; throws IMAGE_INVALID / IMAGE_TOO_LARGE. */
export function toRequest(spec: JobSpec, maxBytes: number): ProxyRequest {
  const dataUrl = (bytes: Uint8Array) => imageToDataUrl(bytes, { maxBytes });
  switch (spec.kind) {
    case 'imagine': {
      const base64Array = spec.images?.map(dataUrl);
      return (client, extra) => client.imagine({ ...extra, prompt: spec.prompt, base64Array: base64Array?.length ? base64Array : undefined, botType: spec.botType });
    }
    case 'blend': {
      const base64Array = spec.images.map(dataUrl);
      return (client, extra) => client.blend({ ...extra, base64Array, dimensions: spec.dimensions ?? 'SQUARE', botType: spec.botType });
    }
    case 'describe': {
      const base64 = dataUrl(spec.image);
      return (client, extra) => client.describe({ ...extra, base64, botType: spec.botType });
    }
    case 'shorten':
      return (client, extra) => client.shorten({ ...extra, prompt: spec.prompt, botType: spec.botType });
    case 'faceswap': {
      const sourceBase64 = dataUrl(spec.source);
      const targetBase64 = dataUrl(spec.target);
      return (client, extra) => client.faceSwap({ ...extra, sourceBase64, targetBase64 });
    }
    case 'action':
      return (client, extra) => client.action({ ...extra, taskId: spec.parentTaskId, customId: spec.customId });
  }
}
