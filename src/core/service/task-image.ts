/**
 * Download a task's image (or clip) for upload to a chat. Signed CDN links expire; an expired one
 * is repaired by the relay's refresh endpoint where it has one, else by fetching the task again.
 */
import { toBotError } from '../../errors.js';
import type { Task } from '../../mj/schemas.js';
import type { FetchedImage, ImageFetcher } from '../domain/ports.js';
import type { ImageRef, LoadedImage } from '../domain/types.js';

export interface TaskImageOptions {
  fetchImage: ImageFetcher;
  maxBytes: number;
  allowOrigins: string[];
  /** The task with re-signed links, where the relay can (undefined: it cannot, or does not know the task). */
  refresh: (taskId: string) => Promise<Task | undefined>;
  /** Fetch the task again (for a fresh signed URL). */
  refetch: (taskId: string) => Promise<Task | undefined>;
  logger?: { debug(obj: object, msg?: string): void };
}

/** Answers that mean "this signed link expired" (Discord's CDN says 403/404; some relays 410). */
const EXPIRED = new Set([403, 404, 410]);

/** Which link of a task a ref names: its image, or its video clip. */
export type LinkOf = (task: Task) => string | undefined;

export async function loadTaskImage(ref: ImageRef, opts: TaskImageOptions, linkOf: LinkOf = (task) => task.imageUrl, kind: 'image' | 'video' = 'image'): Promise<LoadedImage> {
  const download = { maxBytes: opts.maxBytes, allowOrigins: opts.allowOrigins, ...(kind === 'video' ? { kind } : {}) };
  const named = (img: FetchedImage): LoadedImage => ({ ...img, fileName: `${ref.preview ? 'preview' : 'mj'}-${ref.taskId}.${img.ext}` });
  try {
    return named(await opts.fetchImage(ref.url, download));
  } catch (err) {
    const status = toBotError(err).context.status;
    if (typeof status !== 'number' || !EXPIRED.has(status)) throw err;
    for (const source of [opts.refresh, opts.refetch]) {
      const fresh = await source(ref.taskId).catch((e: unknown) => {
        opts.logger?.debug({ err: e, taskId: ref.taskId }, 'could not renew an expired link');
        return undefined;
      });
      const url = fresh ? linkOf(fresh) : undefined;
      if (url && url !== ref.url) return named(await opts.fetchImage(url, download));
    }
    throw err;
  }
}
