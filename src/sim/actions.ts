/**
 * Button presses and follow-ups: /submit/action, /submit/modal, /submit/change, /submit/simple-change
 * (docs/protocol.md#button-presses, #modal-flow).
 */
import { newApiKnowsCustomId, planAction, type ActionPlan } from './buttons.js';
import { codeError, submitAnswer, type SimAnswer } from './flavours.js';
import { IMAGE_SIZE, paletteFrom, parseDataUrl, pngSize } from './images.js';
import { queueFullAnswer, acceptedAnswer, submitTask, taskDefaults, type SimContext, type SimRequest } from './context.js';
import { bannedCheck, describeResult, type BodyParser } from './submit.js';
import { finalPromptOf, shortenMarkdown, zoomValue } from './texts.js';
import type { SimTask } from './types.js';
import { ActionBody, ChangeBody, ModalBody, SimpleChangeBody, text } from './validate.js';

const CHANGEABLE = new Set(['IMAGINE', 'VARIATION', 'REROLL', 'BLEND']);
/** trueai reroll keeps the parent's action; these parents cannot be rerolled. */
const REROLLABLE = new Set(['IMAGINE', 'VARIATION', 'BLEND', 'ZOOM', 'PAN', 'UPSCALE', 'EDIT', 'DESCRIBE', 'SHORTEN']);

function missingParent(ctx: SimContext): SimAnswer {
  if (ctx.flavour === 'newapi') return codeError(ctx.flavour, 4, 'task_not_found');
  return codeError(ctx.flavour, 3, '关联任务不存在或已失效', 404);
}

function parentNotReady(ctx: SimContext): SimAnswer {
  return codeError(ctx.flavour, 4, ctx.flavour === 'newapi' ? 'task_status_not_success' : '关联任务状态错误');
}

function unknownAction(ctx: SimContext): SimAnswer {
  return codeError(ctx.flavour, 4, ctx.flavour === 'trueai' ? '未知的 Action 类型' : '参数错误');
}

export function action(ctx: SimContext, req: SimRequest, parse: BodyParser): SimAnswer {
  const parsed = parse(ActionBody);
  if (!parsed.ok) return parsed.answer;
  const body = parsed.value;
  const taskId = body.taskId == null ? '' : String(body.taskId).trim();
  const customId = text(body.customId);
  if (!taskId || !customId) return codeError(ctx.flavour, 4, '参数错误');
  // new-api classifies the customId before anything else (docs/protocol.md#flavour-differences).
  if (ctx.flavour === 'newapi' && !newApiKnowsCustomId(customId)) return codeError(ctx.flavour, 4, 'unknown_action');
  const parent = ctx.store.get(taskId);
  if (!parent) return missingParent(ctx);
  if (parent.status !== 'SUCCESS') return parentNotReady(ctx);
  const plan = planAction(customId);
  if (!plan || !parent.buttons.some((b) => b.customId === customId)) return unknownAction(ctx);
  // Plus does not support BOOKMARK; trueai HEAD rejects BOOKMARK and PromptAnalyzer (docs/protocol.md#flavour-differences).
  if (plan.action === 'BOOKMARK') return unknownAction(ctx);
  if (ctx.flavour === 'trueai' && customId.startsWith('MJ::Job::PromptAnalyzer::')) return unknownAction(ctx);
  const forcedRemix = ctx.flavour === 'trueai' && body.enableRemix === true;
  const modal = plan.modal === 'always' || (plan.modal === 'remix' && (ctx.remix || forcedRemix));
  return startChild(ctx, req, body, parent, plan, modal);
}

/** Create the task a button press produces (or its MODAL placeholder) and answer. */
function startChild(
  ctx: SimContext,
  req: SimRequest,
  body: { state?: string | null; notifyHook?: string | null; accountFilter?: { modes?: string[] | null } | null },
  parent: SimTask,
  plan: ActionPlan,
  modal: boolean,
  description = `/up ${parent.id} ${plan.shortName}`,
): SimAnswer {
  let actionName = plan.action;
  if (plan.action === 'REROLL' && ctx.flavour === 'trueai') {
    if (!REROLLABLE.has(parent.action)) return codeError(ctx.flavour, 4, '该任务不支持重新生成');
    actionName = parent.action === 'UPSCALE' ? 'IMAGINE' : parent.action;
  }
  let finalPrompt = parent.finalPrompt;
  if (plan.modalKind === 'prompt' && plan.index > 0 && parent.numberedPrompts.length > 0) {
    finalPrompt = parent.numberedPrompts[plan.index - 1] ?? '';
  }
  if (plan.modalKind === 'inpaint' && ctx.flavour === 'trueai') finalPrompt = '';
  const upscaleColour = plan.action.startsWith('UPSCALE') ? parent.palette[Math.max(0, plan.index - 1)] ?? parent.palette[0] : undefined;
  const init = {
    ...taskDefaults(ctx, req, body, parent.prompt, body.accountFilter?.modes),
    action: actionName,
    relayAction: plan.relayAction,
    prompt: parent.prompt,
    promptEn: parent.promptEn,
    description,
    finalPrompt,
    parentId: parent.id,
    botType: parent.botType,
    resultKind: plan.resultKind,
    modalKind: modal ? plan.modalKind ?? 'prompt' : null,
    parentSize: { width: IMAGE_SIZE, height: IMAGE_SIZE },
    palette: upscaleColour ? [upscaleColour, upscaleColour, upscaleColour, upscaleColour] : [],
  };
  if (modal) return openModal(ctx, init);
  return submitTask(ctx, init, (task) => {
    if (plan.resultKind === 'describe') describeResult(ctx, task, `${parent.id}|retry`);
    if (plan.resultKind === 'shorten-details') task.finalPrompt = shortenMarkdown(parent.prompt, true);
    if (plan.resultKind === 'shorten-details') task.numberedPrompts = parent.numberedPrompts;
  });
}

/** Code 21 + a new task in status MODAL waiting for /submit/modal (docs/protocol.md#modal-flow). */
function openModal(ctx: SimContext, init: Parameters<SimContext['store']['create']>[0]): SimAnswer {
  const waiting = ctx.flavour === 'trueai' ? 'Waiting for window confirm' : '窗口等待';
  const task = ctx.store.create({
    ...init,
    status: 'MODAL',
    prompt: '',
    promptEn: '',
    description: waiting,
    afterModalDescription: init.description,
    properties: { ...init.properties, finalPrompt: init.finalPrompt ?? '', remix: true },
  });
  if (task.palette.length === 0) task.palette = paletteFrom(`${init.finalPrompt}|${task.id}`);
  return submitAnswer(
    ctx.flavour,
    { code: 21, description: waiting, result: task.id, properties: { finalPrompt: init.finalPrompt ?? '', remix: true } },
    task.relayAction,
  );
}

export function modal(ctx: SimContext, _req: SimRequest, parse: BodyParser): SimAnswer {
  const parsed = parse(ModalBody);
  if (!parsed.ok) return parsed.answer;
  const body = parsed.value;
  const taskId = body.taskId == null ? '' : String(body.taskId).trim();
  if (!taskId) return codeError(ctx.flavour, 4, '参数错误');
  const task = ctx.store.get(taskId);
  if (!task) return missingParent(ctx);
  if (task.status !== 'MODAL') return codeError(ctx.flavour, 4, '关联任务状态错误');
  // Empty prompt: Plus uses the original prompt, trueai the parent's (docs/protocol.md#modal-flow).
  const parentPrompt = task.parentId ? ctx.store.get(task.parentId)?.finalPrompt ?? '' : '';
  const prompt = text(body.prompt) || task.finalPrompt || parentPrompt;
  if (!prompt) return codeError(ctx.flavour, 4, 'prompt不能为空');
  if (task.modalKind === 'custom-zoom') {
    const zoom = zoomValue(prompt);
    if (zoom === undefined || !(zoom >= 1 && zoom <= 2)) return codeError(ctx.flavour, 4, 'Invalid --zoom value, it must be between 1 and 2');
  }
  if (task.modalKind === 'inpaint') {
    const mask = text(body.maskBase64);
    const image = mask.startsWith('data:image/png;base64,') ? parseDataUrl(mask) : null;
    const size = image ? pngSize(image.bytes) : null;
    const expected = task.parentSize ?? { width: IMAGE_SIZE, height: IMAGE_SIZE };
    if (!size || size.width !== expected.width || size.height !== expected.height) return codeError(ctx.flavour, 4, 'mask参数错误');
  }
  const banned = bannedCheck(ctx, prompt);
  if ('answer' in banned) return banned.answer;
  if (ctx.store.admission().kind === 'full') return queueFullAnswer(ctx);
  Object.assign(task, banned.patch);
  task.prompt = prompt;
  task.promptEn = prompt;
  task.finalPrompt = finalPromptOf(prompt);
  task.description = task.action === 'IMAGINE' ? `/imagine ${prompt}` : task.afterModalDescription ?? `/up ${task.parentId ?? ''}`;
  delete task.properties.remix;
  const admission = ctx.store.enqueue(task);
  return acceptedAnswer(ctx, task, admission.kind === 'queued' ? admission.position : null);
}

export function change(ctx: SimContext, req: SimRequest, parse: BodyParser): SimAnswer {
  const parsed = parse(ChangeBody);
  if (!parsed.ok) return parsed.answer;
  const body = parsed.value;
  const taskId = body.taskId == null ? '' : String(body.taskId).trim();
  if (!taskId) return codeError(ctx.flavour, 4, 'taskId不能为空');
  const kind = body.action ?? '';
  if (kind !== 'UPSCALE' && kind !== 'VARIATION' && kind !== 'REROLL') return codeError(ctx.flavour, 4, 'action参数错误');
  const index = body.index ?? 0;
  if (kind !== 'REROLL' && !(index >= 1 && index <= 4)) return codeError(ctx.flavour, 4, 'index参数错误');
  return changeParent(ctx, req, body, taskId, kind, index);
}

export function simpleChange(ctx: SimContext, req: SimRequest, parse: BodyParser): SimAnswer {
  const parsed = parse(SimpleChangeBody);
  if (!parsed.ok) return parsed.answer;
  const match = /^(\S+) ([UuVv])([1-4])$|^(\S+) ([Rr])$/.exec(text(parsed.value.content));
  if (!match) return codeError(ctx.flavour, 4, 'content参数错误');
  const taskId = match[1] ?? match[4] ?? '';
  const letter = (match[2] ?? match[5] ?? '').toUpperCase();
  const kind = letter === 'U' ? 'UPSCALE' : letter === 'V' ? 'VARIATION' : 'REROLL';
  return changeParent(ctx, req, parsed.value, taskId, kind, Number(match[3] ?? 0));
}

/** Legacy change: build the same customId OSS would send and run it like a button (docs/protocol.md#button-presses). */
function changeParent(
  ctx: SimContext,
  req: SimRequest,
  body: { state?: string | null; notifyHook?: string | null },
  taskId: string,
  kind: 'UPSCALE' | 'VARIATION' | 'REROLL',
  index: number,
): SimAnswer {
  const parent = ctx.store.get(taskId);
  if (!parent) return codeError(ctx.flavour, 3, '关联任务不存在或已失效');
  if (parent.status !== 'SUCCESS') return codeError(ctx.flavour, 4, '关联任务状态错误');
  if (!CHANGEABLE.has(parent.action)) return codeError(ctx.flavour, 4, '关联任务不允许执行变化');
  const uuid = String(parent.properties.messageHash ?? '');
  const customId = kind === 'UPSCALE' ? `MJ::JOB::upsample::${index}::${uuid}` : kind === 'VARIATION' ? `MJ::JOB::variation::${index}::${uuid}` : `MJ::JOB::reroll::0::${uuid}::SOLO`;
  const plan = planAction(customId);
  if (!plan) return codeError(ctx.flavour, 4, 'action参数错误');
  const short = kind === 'REROLL' ? 'R' : `${kind === 'UPSCALE' ? 'U' : 'V'}${index}`;
  return startChild(ctx, req, body, parent, plan, false, `/up ${parent.id} ${short}`);
}
