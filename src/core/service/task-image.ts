/** Download a task's image for upload, refreshing an expired signed link by fetching the task again. */
import { toBotError } from '../../errors.js';
import type { Task } from '../../mj/schemas.js';
import type { FetchedImage, ImageFetcher } from '../domain/ports.js';
import type { ImageRef, LoadedImage } from '../domain/types.js';

export interface TaskImageOptions {
  fetchImage: ImageFetcher;
  maxBytes: number;
  allowOrigins: string[];
  /** Fetch the task again (for a fresh signed URL). */
  refetch: (taskId: string) => Promise<Task | undefined>;
}

export async function loadTaskImage(ref: ImageRef, opts: TaskImageOptions): Promise<LoadedImage> {
  const download = { maxBytes: opts.maxBytes, allowOrigins: opts.allowOrigins };
  const named = (img: FetchedImage): LoadedImage => ({ ...img, fileName: `${ref.preview ? 'preview' : 'mj'}-${ref.taskId}.${img.ext}` });
  try {
    return named(await opts.fetchImage(ref.url, download));
  } catch (err) {
    // Signed CDN links expire (403/404/410): the task has a fresh one.
    const status = toBotError(err).context.status;
    if (status !== 403 && status !== 404 && status !== 410) throw err;
    const fresh = await opts.refetch(ref.taskId);
    if (!fresh?.imageUrl || fresh.imageUrl === ref.url) throw err;
    return named(await opts.fetchImage(fresh.imageUrl, download));
  }
}
