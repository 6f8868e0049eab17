/**
 * Button presses and form answers. `planPress` is network-free so an adapter can open a modal
 * within Discord's 3 seconds; `press` does the work. Payloads are verified by the codec before
 * anything else, so a forged payload never reaches the proxy.
 */
import { BotError, UserInputError } from '../../errors.js';
import { describeButton } from '../domain/buttons/catalogue.js';
import { formView, newFormId, type FormNeed, type FormRecord } from '../domain/forms.js';
import { t } from '../domain/i18n/index.js';
import { sniffImage } from '../domain/images/sniff.js';
import { buildRegionMask, maskToDataUrl, normalizeMask, regionLabel } from '../domain/images/mask.js';
import { submitModal } from './modal-step.js';
import { checkZoomPrompt, cleanPrompt, splitNumberedPrompts } from '../domain/prompt.js';
import type { TaskRecord } from '../domain/records.js';
import type { ServiceContext } from './context.js';
import { submit } from './submit.js';
import type { FormAnswer, FormView, Origin, PressPlan, Reply } from '../domain/types.js';

export async function planPress(ctx: ServiceContext, payload: string, origin: Origin): Promise<PressPlan> {
  const locale = await ctx.localeOf(origin);
  try {
    const decoded = await ctx.codec.decode(payload);
    if (decoded.type === 'internal') {
      if (decoded.kind !== 'fo') return { type: 'run' };
      const form = await loadForm(ctx, decoded.args[0] ?? '', origin);
      return { type: 'form', form: view(ctx, form, locale) };
    }
    const parent = await loadParent(ctx, decoded.taskId, origin);
    const info = describeButton({ customId: decoded.customId });
    if (!info.form) return { type: 'run' };
    const form = await createForm(ctx, parent, decoded.customId, info.form, info.label || info.emoji || '', origin);
    return { type: 'form', form: view(ctx, form, locale) };
  } catch (err) {
    const reply = ctx.errorReply(locale, err);
    return reply.type === 'error' ? reply : { type: 'error', code: 'INTERNAL', text: t(locale, 'error.INTERNAL') };
  }
}

export async function press(ctx: ServiceContext, payload: string, origin: Origin): Promise<Reply> {
  const locale = await ctx.localeOf(origin);
  try {
    const decoded = await ctx.codec.decode(payload);
    if (decoded.type === 'internal') {
      const [first = '', second = ''] = decoded.args;
      if (decoded.kind === 'fo') return { type: 'form', form: view(ctx, await loadForm(ctx, first, origin), locale) };
      if (decoded.kind === 'fc') return cancelForm(ctx, first, origin);
      if (decoded.kind === 'fr') return answerForm(ctx, first, { region: second }, origin);
      return await ctx.internal(decoded.kind, decoded.args, origin);
    }
    const parent = await loadParent(ctx, decoded.taskId, origin);
    const info = describeButton({ customId: decoded.customId });
    if (info.form) {
      const form = await createForm(ctx, parent, decoded.customId, info.form, info.label || info.emoji || '', origin);
      return { type: 'form', form: view(ctx, form, locale) };
    }
    const label = info.label || info.emoji || info.kind;
    return await submit(ctx, origin, { kind: 'action', parentTaskId: parent.taskId, customId: decoded.customId }, `${label} · ${parent.prompt}`);
  } catch (err) {
    return ctx.errorReply(locale, err);
  }
}

export async function answerForm(ctx: ServiceContext, formId: string, answer: FormAnswer, origin: Origin): Promise<Reply> {
  const locale = await ctx.localeOf(origin);
  try {
    const form = await loadForm(ctx, formId, origin);
    const prompt = answer.prompt !== undefined ? cleanOrThrow(answer.prompt, form.need === 'region', locale) : form.prefill;
    if (form.need === 'zoom') {
      const zoom = checkZoomPrompt(prompt);
      if (!zoom.ok) throw new UserInputError('BAD_INPUT', 'bad --zoom', { detail: t(locale, zoom.reason === 'missing' ? 'input.zoomMissing' : 'input.zoomRange') });
    }
    let maskBase64: string | undefined;
    if (form.need === 'region') maskBase64 = await buildMask(ctx, form, answer);
    form.answered = true;
    await ctx.forms.save(form);
    if (form.need === 'remix') {
      const record = await ctx.records.get(form.modalTaskId ?? '');
      if (!record || record.finished) throw new BotError('FORM_EXPIRED', 'remix task gone');
      const live = ctx.tracker.get(record.taskId) ?? record;
      await submitModal(ctx, live, { prompt });
      return { type: 'task', taskId: record.taskId, ref: record.ref };
    }
    const parent = await loadParent(ctx, form.parentTaskId, origin);
    const display = `${form.buttonLabel} · ${form.need === 'prompt' ? prompt : parent.prompt}`;
    return await submit(ctx, origin, { kind: 'action', parentTaskId: parent.taskId, customId: form.customId ?? '', pendingModal: { prompt: prompt || undefined, maskBase64 } }, display);
  } catch (err) {
    return ctx.errorReply(locale, err);
  }
}

export async function cancelForm(ctx: ServiceContext, formId: string, origin: Origin): Promise<Reply> {
  const locale = await ctx.localeOf(origin);
  try {
    const form = await loadForm(ctx, formId, origin);
    form.answered = true;
    await ctx.forms.save(form);
    if (form.need === 'remix' && form.modalTaskId) {
      const record = ctx.tracker.get(form.modalTaskId);
      if (record) await ctx.tracker.failRecord(record, 'MJ_TASK_FAILED', t(locale, 'form.cancelled'));
    }
    return { type: 'message', text: t(locale, 'form.cancelled'), ephemeral: true, replace: true };
  } catch (err) {
    return ctx.errorReply(locale, err);
  }
}

function view(ctx: ServiceContext, form: FormRecord, locale: Origin['actor']['locale']): FormView {
  return formView(form, locale, (kind, args) => ctx.codec.encodeInternal(kind, args), regionLabel);
}

function cleanOrThrow(raw: string, allowEmpty: boolean, locale: Origin['actor']['locale']): string {
  const cleaned = cleanPrompt(raw, { allowEmpty });
  if (cleaned.ok) return cleaned.prompt;
  const detail = t(locale, cleaned.reason === 'empty' ? 'input.promptEmpty' : 'input.promptTooLong', { max: cleaned.max });
  throw new UserInputError('BAD_INPUT', `prompt ${cleaned.reason}`, { detail });
}

/** Refuse a press the visibility rule does not allow: by name where the task is visible, as gone where it is not. */
async function mustPress(ctx: ServiceContext, item: TaskRecord | FormRecord, origin: Origin): Promise<void> {
  if (await ctx.mayPress(item, origin)) return;
  if (!ctx.maySee(item, origin)) throw new BotError('BUTTON_EXPIRED', 'pressed from a chat that may not see the task');
  throw new BotError('NOT_OWNER', 'not the owner', { owner: item.owner.name });
}

async function loadParent(ctx: ServiceContext, taskId: string, origin: Origin): Promise<TaskRecord> {
  const parent = await ctx.records.get(taskId);
  if (!parent) throw new BotError('BUTTON_EXPIRED', 'parent task record gone');
  await mustPress(ctx, parent, origin);
  return parent;
}

async function loadForm(ctx: ServiceContext, formId: string, origin: Origin): Promise<FormRecord> {
  const form = await ctx.forms.get(formId);
  if (!form || form.answered) throw new BotError('FORM_EXPIRED', 'form gone or answered');
  await mustPress(ctx, form, origin);
  return form;
}

async function createForm(ctx: ServiceContext, parent: TaskRecord, customId: string, need: Exclude<FormNeed, 'remix'>, label: string, origin: Origin): Promise<FormRecord> {
  const form: FormRecord = {
    formId: newFormId(),
    need,
    chat: origin.chat,
    owner: parent.owner,
    parentTaskId: parent.taskId,
    customId,
    prefill: prefillFor(parent, customId, need),
    buttonLabel: label,
    createdAt: ctx.now(),
  };
  await ctx.forms.save(form);
  return form;
}

/** Prompt shown for editing: the parent's final prompt, the chosen described/shortened prompt, + --zoom. */
function prefillFor(parent: TaskRecord, customId: string, need: Exclude<FormNeed, 'remix'>): string {
  const task = parent.task;
  const finalPrompt = typeof task?.properties.finalPrompt === 'string' ? task.properties.finalPrompt : '';
  const base = (finalPrompt || task?.prompt || parent.prompt).trim();
  if (need === 'prompt') {
    const n = Number(/::(\d)$/.exec(customId)?.[1] ?? '1');
    const options = splitNumberedPrompts(finalPrompt || task?.promptEn || task?.description || '');
    return options[n - 1] ?? options[0] ?? base;
  }
  if (need === 'zoom') return /--zoom\s/.test(base) ? base : `${base} --zoom 1.5`;
  return base;
}

async function buildMask(ctx: ServiceContext, form: FormRecord, answer: FormAnswer): Promise<string> {
  const parent = await ctx.records.get(form.parentTaskId);
  const url = parent?.task?.imageUrl;
  if (!url) throw new BotError('BUTTON_EXPIRED', 'parent image unknown');
  const image = await ctx.loadImage({ url, taskId: form.parentTaskId });
  const size = sniffImage(image.bytes);
  const width = size?.width ?? image.width;
  const height = size?.height ?? image.height;
  if (!width || !height) throw new BotError('IMAGE_INVALID', 'parent image size unknown');
  if (answer.mask) return maskToDataUrl(normalizeMask(answer.mask, width, height, form.owner.locale));
  if (!answer.region) throw new UserInputError('BAD_INPUT', 'no region', { detail: t(form.owner.locale, 'form.regionHint') });
  return maskToDataUrl(buildRegionMask(width, height, answer.region, form.owner.locale));
}

