/**
 * /mj/task/... endpoints: fetch, list-by-condition (+ trueai list-by-ids), list, image-seed, cancel
 * (docs/protocol.md#task-endpoints). new-api answers fetch/list from a possibly stale snapshot (docs/protocol.md#quirks).
 */
import type { TaskWire } from '../mj/schemas.js';
import { wireOf, type SimContext } from './context.js';
import { bindingError, codeError, okJson, unknownTask, type SimAnswer } from './flavours.js';
import { seedOf } from './texts.js';
import type { SimTask } from './types.js';
import { ListBody, parseBody } from './validate.js';

/** Per-task snapshots for `staleFetchMs`: a snapshot is refreshed at most every N ms. */
export class StaleView {
  private readonly snapshots = new Map<string, { wire: TaskWire; at: number }>();

  constructor(private readonly ctx: SimContext) {}

  view(task: SimTask): TaskWire {
    const lag = this.ctx.flavour === 'newapi' ? this.ctx.opts.staleFetchMs : 0;
    if (lag <= 0) return wireOf(this.ctx, task);
    const now = this.ctx.opts.now();
    const cached = this.snapshots.get(task.id);
    if (cached && now - cached.at < lag) return cached.wire;
    const wire = wireOf(this.ctx, task);
    this.snapshots.set(task.id, { wire, at: now });
    return wire;
  }

  clear(): void {
    this.snapshots.clear();
  }
}

export function fetchTask(ctx: SimContext, view: StaleView, id: string): SimAnswer {
  const task = ctx.store.get(id);
  return task ? okJson(view.view(task)) : unknownTask(ctx.flavour);
}

/**
 * The relay's refresh endpoint (docs/protocol.md#refreshing-links): the task, live rather than from
 * the stale copy, with its links signed afresh.
 */
export function refreshTask(ctx: SimContext, id: string): SimAnswer {
  const task = ctx.store.get(id);
  return task ? okJson(wireOf(ctx, task)) : unknownTask(ctx.flavour);
}

export function listByCondition(ctx: SimContext, view: StaleView, body: unknown, path: string): SimAnswer {
  const parsed = parseBody(ListBody, body ?? {});
  if (!parsed.ok) return bindingError(ctx.flavour, path, parsed.message);
  const tasks = (parsed.value.ids ?? []).flatMap((id) => {
    const task = ctx.store.get(String(id));
    return task ? [view.view(task)] : [];
  });
  return okJson(tasks);
}

/** GET /mj/task/list: newest first (OSS all, trueai latest 100). */
export function listAll(ctx: SimContext, view: StaleView): SimAnswer {
  const tasks = ctx.store.list().sort((a, b) => b.submitTime - a.submitTime || b.id.localeCompare(a.id));
  return okJson((ctx.flavour === 'trueai' ? tasks.slice(0, 100) : tasks).map((t) => view.view(t)));
}

export function imageSeed(ctx: SimContext, id: string): SimAnswer {
  const task = ctx.store.get(id);
  if (!task) return codeError(ctx.flavour, 3, '任务不存在', 404);
  if (task.status !== 'SUCCESS') return codeError(ctx.flavour, 4, '关联任务状态错误', 400);
  return okJson({ code: 1, description: '成功', result: seedOf(task.id) });
}

/** Cancel: FAILURE "取消任务", HTTP 200 with an empty body. */
export function cancelTask(ctx: SimContext, id: string): SimAnswer {
  const task = ctx.store.get(id);
  if (!task) return codeError(ctx.flavour, 3, '任务不存在', 404);
  ctx.store.cancel(task);
  return { status: 200, body: '' };
}
