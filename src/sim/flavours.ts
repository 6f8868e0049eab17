/**
 * Everything that differs in what each flavour *emits*: task JSON shape, submit envelopes,
 * new-api's string rewrites, and the error bodies (docs/protocol.md#flavour-differences, #error-bodies).
 */
import type { SubmitResultWire, TaskWire } from '../mj/schemas.js';
import type { UrlSigner } from './images.js';
import type { SimFlavour, SimTask } from './types.js';

/** A prepared HTTP answer. `body` is already serialised. */
export interface SimAnswer {
  status: number;
  body: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export const DISCORD_INSTANCE_ID = '1118138338562560102';

export interface WireContext {
  flavour: SimFlavour;
  base: string;
  signer: UrlSigner;
}

const json = (status: number, value: unknown): SimAnswer => ({ status, body: JSON.stringify(value) });

/** Sim paths become signed absolute URLs; external links (describe `link`) stay as they are. */
function absoluteUrl(ctx: WireContext, path: string): string {
  return /^https?:\/\//i.test(path) ? path : ctx.signer.sign(ctx.base, path);
}

/** The task as this flavour's fetch / list / notifyHook shows it. */
export function taskToWire(task: SimTask, ctx: WireContext): TaskWire {
  if (ctx.flavour === 'newapi') return newApiTask(task, ctx);
  const imageUrl = task.imagePath ? absoluteUrl(ctx, task.imagePath) : null;
  const wire: TaskWire & Record<string, unknown> = {
    id: task.id,
    action: task.action,
    status: task.status,
    prompt: task.prompt,
    promptEn: task.promptEn,
    description: task.description,
    state: task.state,
    submitTime: task.submitTime,
    startTime: task.startTime,
    finishTime: task.finishTime,
    imageUrl,
    progress: task.progress,
    failReason: task.failReason,
    properties: { ...task.properties },
    mode: task.mode,
  };
  if (ctx.flavour !== 'oss') wire.buttons = task.buttons.map((b) => ({ ...b }));
  if (task.videoPath) {
    wire.videoUrl = absoluteUrl(ctx, task.videoPath);
    wire.videoUrls = clipPaths(task).map((path) => ({ url: absoluteUrl(ctx, path) }));
  }
  if (ctx.flavour === 'trueai') {
    Object.assign(wire, { botType: task.botType, parentId: task.parentId, jobId: task.properties.messageHash ?? null });
  }
  return wire;
}

/** The separate clips of a video task: four for a video job, the one clip of an upscale. */
function clipPaths(task: SimTask): string[] {
  if (!task.videoPath) return [];
  return task.resultKind === 'video' ? [1, 2, 3, 4].map((n) => `/sim/video/${task.id}/clip-${n}.mp4`) : [task.videoPath];
}

/** new-api's MidjourneyDto: Go zero values, its own action names, gateway image URLs (docs/protocol.md#task-object, #quirks). */
function newApiTask(task: SimTask, ctx: WireContext): TaskWire {
  let imageUrl = '';
  if (task.imagePath) {
    imageUrl = ctx.signer.sign(ctx.base, `/mj/image/${task.id}`);
    if (task.status !== 'SUCCESS') imageUrl += `${imageUrl.includes('?') ? '&' : '?'}rand=${process.hrtime.bigint()}`;
  }
  const failure = task.status === 'FAILURE';
  return {
    id: task.id,
    action: task.relayAction,
    customId: '',
    botType: '',
    prompt: task.prompt,
    promptEn: task.promptEn,
    description: '提交成功',
    state: task.state ?? '',
    submitTime: task.submitTime,
    startTime: task.startTime ?? 0,
    finishTime: task.finishTime ?? 0,
    imageUrl,
    videoUrl: task.videoPath ? ctx.signer.sign(ctx.base, task.videoPath) : '',
    videoUrls: null,
    status: task.status,
    // new-api writes 100% on failures (docs/protocol.md#quirks).
    progress: failure ? '100%' : task.progress,
    failReason: task.failReason ?? '',
    buttons: task.buttons.map((b) => ({ ...b })),
    maskBase64: '',
    properties: { finalPrompt: String(task.properties.finalPrompt ?? ''), finalZhPrompt: '' },
    mode: task.mode,
  } as TaskWire;
}

/** A submit envelope; new-api rewrites 22→1 always and 21→1 unless INPAINT/CUSTOM_ZOOM (docs/protocol.md#quirks). */
export function submitAnswer(flavour: SimFlavour, result: SubmitResultWire, relayAction = ''): SimAnswer {
  let body = JSON.stringify({ ...result, properties: result.properties ?? {} });
  if (flavour === 'newapi') {
    body = body.replace('"code":22', '"code":1');
    if (relayAction !== 'INPAINT' && relayAction !== 'CUSTOM_ZOOM') body = body.replace('"code":21', '"code":1');
  }
  return { status: 200, body };
}

/**
 * A rejected submit (code 3/4/9...). new-api answers its own errors with HTTP 400
 * `{description,type,code}`; trueai answers code 3 of action/modal/seed with HTTP 404.
 */
export function codeError(flavour: SimFlavour, code: number, description: string, httpStatus = 200): SimAnswer {
  if (flavour === 'newapi') return json(400, { description: `${description} `, type: 'upstream_error', code });
  return json(flavour === 'trueai' ? httpStatus : 200, { code, description, result: null, properties: {} });
}

/** Unparseable body or wrong field types (model binding). */
export function bindingError(flavour: SimFlavour, path: string, message: string): SimAnswer {
  switch (flavour) {
    case 'trueai':
      return json(200, { success: false, code: -1, message, timestamp: String(Date.now() * 10_000 + 621_355_968_000_000_000) });
    case 'newapi':
      return json(400, { description: 'bind_request_body_failed ', type: 'upstream_error', code: 4 });
    default:
      return json(400, { timestamp: new Date().toISOString(), status: 400, error: 'Bad Request', path });
  }
}

/** Unknown route. */
export function notFound(flavour: SimFlavour, method: string, path: string): SimAnswer {
  switch (flavour) {
    case 'trueai':
      return { status: 404, body: '' };
    case 'newapi':
      return json(404, { error: { message: `Invalid URL (${method} ${path})`, type: 'invalid_request_error' } });
    default:
      return json(404, { timestamp: new Date().toISOString(), status: 404, error: 'Not Found', path });
  }
}

/** Fetch of an unknown task id (docs/protocol.md#task-endpoints). */
export function unknownTask(flavour: SimFlavour): SimAnswer {
  switch (flavour) {
    case 'trueai':
      return { status: 204, body: '' };
    case 'newapi':
      return json(400, { description: 'task_no_found ', type: 'upstream_error', code: 4 });
    default:
      return { status: 200, body: '' };
  }
}

export function okJson(value: unknown): SimAnswer {
  return json(200, value);
}

/** Base properties of a submit answer for this flavour. */
export function instanceProperties(flavour: SimFlavour): Record<string, unknown> {
  return flavour === 'trueai'
    ? { discordInstanceId: DISCORD_INSTANCE_ID, discordChannelId: DISCORD_INSTANCE_ID }
    : { discordInstanceId: DISCORD_INSTANCE_ID };
}
