/**
 * Serves the simulator's images: task images under `/sim/img/<taskId>/<name>.png`, uploads under
 * `/sim/upload/<token>.<ext>`, and new-api's gateway path `/mj/image/<taskId>` (docs/protocol.md#quirks).
 * Signed URLs answer 403 once expired.
 */
import type { SimContext } from './context.js';
import type { SimAnswer } from './flavours.js';
import { renderPng } from './images.js';
import { renderClip } from './video.js';

export interface BinaryAnswer { status: number; bytes: Buffer; contentType: string; headers?: Record<string, string> }

const notFound = (): SimAnswer => ({ status: 404, body: '' });
const forbidden = (): SimAnswer => ({ status: 403, body: 'This content is no longer available.', contentType: 'text/plain' });

/** Resolve a media path of this sim (`/sim/img/...`, `/sim/video/...` or `/sim/upload/...`) to bytes. */
function imageBytes(ctx: SimContext, path: string): { bytes: Buffer; contentType: string } | null {
  const upload = /^\/sim\/upload\/([0-9a-f-]{36})\.\w+$/.exec(path);
  if (upload) return ctx.uploads.get(upload[1] ?? '') ?? null;
  const clip = /^\/sim\/video\/(\d+)\/(grid|single|clip-([1-4]))\.mp4$/.exec(path);
  if (clip) {
    const task = ctx.store.get(clip[1] ?? '');
    if (!task?.videoPath) return null;
    const variant = clip[3] ? Number(clip[3]) : 0;
    return { bytes: ctx.images.getOrRender(`${task.id}/${clip[2]}.mp4`, () => renderClip(task.palette, variant)), contentType: 'video/mp4' };
  }
  const match = /^\/sim\/img\/(\d+)\/(grid|single|video|preview-(\d+))\.png$/.exec(path);
  if (!match) return null;
  const [, id = '', name = ''] = match;
  const task = ctx.store.get(id);
  if (!task) return null;
  const bytes = ctx.images.getOrRender(`${id}/${name}`, () => {
    if (name === 'grid') return renderPng('grid', task.palette);
    if (name === 'single' || name === 'video') return renderPng('single', task.palette);
    return renderPng('preview', task.palette, Number(match[3]) / (ctx.opts.progressSteps + 1));
  });
  return { bytes, contentType: 'image/png' };
}

/** Answer a GET for an image path, or null if the path is not an image route. */
export function serveImage(ctx: SimContext, method: string, pathname: string, query: URLSearchParams): SimAnswer | BinaryAnswer | null {
  const isSimPath = pathname.startsWith('/sim/img/') || pathname.startsWith('/sim/video/') || pathname.startsWith('/sim/upload/');
  const gateway = ctx.flavour === 'newapi' ? /^\/mj\/image\/(\d+)$/.exec(pathname) : null;
  if (!isSimPath && !gateway) return null;
  if (method !== 'GET' && method !== 'HEAD') return notFound();
  // Uploads mimic Discord attachment URLs handed back to the client; they are not signed.
  if (!pathname.startsWith('/sim/upload/') && !ctx.signer.verify(pathname, query)) return forbidden();
  if (gateway) {
    const task = ctx.store.get(gateway[1] ?? '');
    if (!task?.imagePath) return { status: 404, body: JSON.stringify({ error: 'midjourney_task_not_found' }) };
    if (/^https?:\/\//.test(task.imagePath)) return { status: 302, body: '', headers: { location: task.imagePath } };
    const found = imageBytes(ctx, task.imagePath);
    return found ? { status: 200, ...found } : notFound();
  }
  const found = imageBytes(ctx, pathname);
  return found ? { status: 200, ...found, headers: { 'cache-control': 'no-store' } } : notFound();
}
