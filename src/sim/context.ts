/**
 * State shared by the route handlers, and the common "create a task and answer 1/22/23" path.
 */
import { randomUUID } from 'node:crypto';
import type { TaskWire } from '../mj/schemas.js';
import { DISCORD_INSTANCE_ID, codeError, instanceProperties, submitAnswer, taskToWire, type SimAnswer } from './flavours.js';
import { paletteFrom, type ImageCache, type UrlSigner } from './images.js';
import type { TaskStore } from './tasks.js';
import { promptMode } from './texts.js';
import type { ResolvedSimOptions, SimFlavour, SimTask, SpeedMode } from './types.js';

/** A parsed request as the handlers see it. */
export interface SimRequest {
  method: string;
  /** Path after the last `/mj`, e.g. `/submit/imagine`. */
  route: string;
  /** Mode from a `/mj-fast|relax|turbo` prefix. */
  mode: SpeedMode | undefined;
  body: unknown;
  rawPath: string;
}

export interface Upload { bytes: Buffer; contentType: string }

export interface SimContext {
  readonly opts: ResolvedSimOptions;
  readonly flavour: SimFlavour;
  readonly store: TaskStore;
  readonly signer: UrlSigner;
  readonly images: ImageCache;
  readonly uploads: Map<string, Upload>;
  /** Account remix mode (mutable via setRemix). */
  remix: boolean;
  base(): string;
}

const UPLOAD_LIMIT = 200;

export function wireOf(ctx: SimContext, task: SimTask): TaskWire {
  return taskToWire(task, { flavour: ctx.flavour, base: ctx.base(), signer: ctx.signer });
}

/** Store uploaded bytes and return their path under the sim (served by the image routes). */
export function storeUpload(ctx: SimContext, bytes: Buffer, contentType: string): string {
  const ext = contentType.split('/')[1]?.replace(/[^a-z0-9]/gi, '') || 'bin';
  const token = randomUUID();
  ctx.uploads.set(token, { bytes, contentType });
  while (ctx.uploads.size > UPLOAD_LIMIT) {
    const oldest = ctx.uploads.keys().next().value;
    if (oldest === undefined) break;
    ctx.uploads.delete(oldest);
  }
  return `/sim/upload/${token}.${ext}`;
}

/** Mode of a new task: URL prefix first, then `--fast/--relax/--turbo`, then accountFilter.modes. */
export function modeOf(req: SimRequest, prompt: string, modes?: readonly string[] | null): SpeedMode {
  const fromFilter = modes?.map((m) => m.toUpperCase()).find((m): m is SpeedMode => m === 'FAST' || m === 'RELAX' || m === 'TURBO');
  return req.mode ?? promptMode(prompt) ?? fromFilter ?? 'FAST';
}

/** The answer when the queue is full: 23 (trueai: 9). */
export function queueFullAnswer(ctx: SimContext): SimAnswer {
  if (ctx.flavour === 'trueai') return submitAnswer(ctx.flavour, { code: 9, description: '提交失败，队列已满，请稍后重试', result: null, properties: {} });
  return submitAnswer(ctx.flavour, { code: 23, description: '队列已满，请稍后尝试', result: null, properties: { discordInstanceId: DISCORD_INSTANCE_ID } });
}

/** Answer for a task that just entered the queue or a slot: 1 or 22 with `numberOfQueues`. */
export function acceptedAnswer(ctx: SimContext, task: SimTask, queuedPosition: number | null): SimAnswer {
  const properties = instanceProperties(ctx.flavour);
  if (queuedPosition === null) {
    return submitAnswer(ctx.flavour, { code: 1, description: '提交成功', result: task.id, properties }, task.relayAction);
  }
  return submitAnswer(
    ctx.flavour,
    { code: 22, description: `排队中，前面还有${queuedPosition}个任务`, result: task.id, properties: { ...properties, numberOfQueues: queuedPosition } },
    task.relayAction,
  );
}

/** Init fields of a new task that come from the flavour and the request. */
export function taskDefaults(ctx: SimContext, req: SimRequest, body: { state?: string | null; notifyHook?: string | null }, prompt: string, modes?: readonly string[] | null): Partial<SimTask> {
  return {
    state: body.state ?? null,
    // new-api strips notifyHook before forwarding (docs/protocol.md#notifyhook).
    notifyHook: ctx.flavour === 'newapi' ? null : body.notifyHook?.trim() || null,
    mode: modeOf(req, prompt, modes),
    properties: { ...instanceProperties(ctx.flavour) },
  };
}

/** trueai's length limits on `state` and `notifyHook` (docs/protocol.md#submit-endpoints). */
export function checkLimits(ctx: SimContext, body: { state?: string | null; notifyHook?: string | null }): SimAnswer | null {
  if (ctx.flavour !== 'trueai') return null;
  if ((body.state ?? '').length > 255) return codeError(ctx.flavour, 4, 'State参数过长，最大255字符');
  if ((body.notifyHook ?? '').length > 2000) return codeError(ctx.flavour, 4, 'NotifyHook参数过长，最大2000字符');
  return null;
}

/**
 * Create a task and queue it, answering 1 / 22 / 23 (9). `init.palette` defaults to colours from
 * the prompt and the new id; `after` can patch the task once its id is known.
 */
export function submitTask(
  ctx: SimContext,
  init: Omit<Parameters<TaskStore['create']>[0], 'palette'> & { palette?: SimTask['palette'] },
  after?: (task: SimTask) => void,
): SimAnswer {
  if (ctx.store.admission().kind === 'full') return queueFullAnswer(ctx);
  const task = ctx.store.create({ palette: [], ...init });
  if (task.palette.length === 0) task.palette = paletteFrom(`${task.prompt}|${task.id}`);
  after?.(task);
  const admission = ctx.store.enqueue(task);
  return acceptedAnswer(ctx, task, admission.kind === 'queued' ? admission.position : null);
}
