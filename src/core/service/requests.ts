/**
 * A job as the proxy request that runs it: images checked and encoded as data URLs first (so a
 * bad image is refused before anything is shown), then sent with the right client call — as an
 * uploaded link where the flavour uploads, inline where it does not (uploads.ts).
 */
import { MjError } from '../../errors.js';
import type { Capabilities } from '../../mj/capabilities.js';
import type { Submitted } from '../../mj/client.js';
import type { BaseSubmit } from '../../mj/schemas.js';
import { imageToDataUrl } from '../domain/images/data-url.js';
import { maskToDataUrl, normalizeMask } from '../domain/images/mask.js';
import { sniffImage } from '../domain/images/sniff.js';
import type { JobSpec } from '../domain/jobs.js';
import type { MjPort } from '../domain/ports.js';
import type { Locale } from '../domain/types.js';
import { isInline } from './uploads.js';

/** Turns a data URL into what the job sends: an uploaded link, or the data URL itself. */
export type ImageSource = (client: MjPort, dataUrl: string) => Promise<string>;

export type ProxyRequest = (client: MjPort, extra: BaseSubmit, source: ImageSource) => Promise<Submitted>;

/** The endpoint a job needs beyond the ones every flavour has; undefined for those. */
function featureOf(spec: JobSpec): 'shorten' | 'faceSwap' | 'edits' | 'video' | undefined {
  switch (spec.kind) {
    case 'shorten': return 'shorten';
    case 'faceswap': return 'faceSwap';
    case 'edit': return 'edits';
    case 'video': return 'video';
    default: return undefined;
  }
}

/** Refuse, before anything is shown or spent, a job this proxy flavour has no endpoint for (jobs every flavour runs ask nothing). */
export async function checkSupported(spec: JobSpec, capabilities: () => Promise<Capabilities>): Promise<void> {
  const feature = featureOf(spec);
  if (!feature) return;
  const caps = await capabilities();
  if (!caps[feature]) throw new MjError('MJ_UNSUPPORTED', `${spec.kind} is not available on ${caps.flavour}`);
}

/** Check the job's images and build its request; throws IMAGE_INVALID / IMAGE_TOO_LARGE / BAD_INPUT. */
export function toRequest(spec: JobSpec, opts: { maxBytes: number; locale: Locale }): ProxyRequest {
  const dataUrl = (bytes: Uint8Array) => imageToDataUrl(bytes, { maxBytes: opts.maxBytes });
  switch (spec.kind) {
    case 'imagine': {
      const images = spec.images?.map(dataUrl) ?? [];
      return async (client, extra, source) => {
        // Uploaded links lead the prompt (that is how Midjourney takes image prompts); inline ones go as base64Array.
        const sources = await Promise.all(images.map((image) => source(client, image)));
        const links = sources.filter((s) => !isInline(s));
        const inline = sources.filter(isInline);
        const prompt = [...links, spec.prompt].join(' ');
        return client.imagine({ ...extra, prompt, base64Array: inline.length ? inline : undefined, botType: spec.botType });
      };
    }
    case 'blend': {
      const base64Array = spec.images.map(dataUrl);
      return (client, extra) => client.blend({ ...extra, base64Array, dimensions: spec.dimensions ?? 'SQUARE', botType: spec.botType });
    }
    case 'describe': {
      const image = dataUrl(spec.image);
      return async (client, extra, source) => {
        const sent = await source(client, image);
        return client.describe({ ...extra, ...(isInline(sent) ? { base64: sent } : { link: sent }), botType: spec.botType });
      };
    }
    case 'shorten':
      return (client, extra) => client.shorten({ ...extra, prompt: spec.prompt, botType: spec.botType });
    case 'faceswap': {
      const sourceBase64 = dataUrl(spec.source);
      const targetBase64 = dataUrl(spec.target);
      return (client, extra) => client.faceSwap({ ...extra, sourceBase64, targetBase64 });
    }
    case 'edit': {
      const image = dataUrl(spec.image);
      const maskBase64 = spec.mask ? editMask(spec.image, spec.mask, opts.locale) : undefined;
      return async (client, extra, source) => client.edits({ ...extra, prompt: spec.prompt, image: await source(client, image), maskBase64 });
    }
    case 'video': {
      const image = dataUrl(spec.image);
      return async (client, extra, source) => client.video({ ...extra, prompt: spec.prompt, image: await source(client, image), motion: spec.motion });
    }
    case 'action':
      return (client, extra) => client.action({ ...extra, taskId: spec.parentTaskId, customId: spec.customId });
  }
}

/** A user's black-and-white mask, cleaned up to the image's own size (white = change). */
function editMask(image: Uint8Array, mask: Uint8Array, locale: Locale): string {
  const size = sniffImage(image);
  // imageToDataUrl already refused images without a readable size.
  return maskToDataUrl(normalizeMask(mask, size?.width ?? 1, size?.height ?? 1, locale));
}
