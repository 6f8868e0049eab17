/**
 * Form steps: the questions the bot asks (Custom Zoom, Vary (Region), describe/shorten → imagine,
 * remix) and their answers. A form is open for a day; an answer after that is told so, with the
 * user's text echoed back and a way to start again, so nothing typed is lost.
 */
import { BotError, UserInputError } from '../../errors.js';
import { formView, isExpired, newFormId, type FormNeed, type FormRecord } from '../domain/forms.js';
import { t } from '../domain/i18n/index.js';
import { buildRegionMask, maskToDataUrl, normalizeMask, regionLabel } from '../domain/images/mask.js';
import { sniffImage } from '../domain/images/sniff.js';
import { checkZoomPrompt, cleanPrompt, splitNumberedPrompts } from '../domain/prompt.js';
import type { TaskRecord } from '../domain/records.js';
import type { FormAnswer, FormView, Locale, Origin, Reply } from '../domain/types.js';
import type { ServiceContext } from './context.js';
import { submitModal } from './modal-step.js';
import { loadParent, mustPress } from './ownership.js';
import { submit } from './submit.js';

export function view(ctx: ServiceContext, form: FormRecord, locale: Locale): FormView {
  return formView(form, locale, (kind, args) => ctx.codec.encodeInternal(kind, args), regionLabel);
}

/** A form still open (not answered, not expired) that `origin` may answer. */
export async function loadForm(ctx: ServiceContext, formId: string, origin: Origin): Promise<FormRecord> {
  const form = await ctx.forms.get(formId);
  if (!form || form.answered || isExpired(form, ctx.now())) throw new BotError('FORM_EXPIRED', 'form gone, answered or expired');
  await mustPress(ctx, form, origin);
  return form;
}

export async function createForm(ctx: ServiceContext, parent: TaskRecord, customId: string, need: Exclude<FormNeed, 'remix'>, label: string, origin: Origin): Promise<FormRecord> {
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
  await ctx.forms.open(form);
  return form;
}

export async function answerForm(ctx: ServiceContext, formId: string, answer: FormAnswer, origin: Origin): Promise<Reply> {
  const locale = await ctx.localeOf(origin);
  try {
    const expired = await expiredReply(ctx, formId, answer, origin, locale);
    if (expired) return expired;
    const form = await loadForm(ctx, formId, origin);
    const prompt = answer.prompt !== undefined ? cleanOrThrow(answer.prompt, form.need === 'region', locale) : form.prefill;
    if (form.need === 'zoom') {
      const zoom = checkZoomPrompt(prompt);
      if (!zoom.ok) throw new UserInputError('BAD_INPUT', 'bad --zoom', { detail: t(locale, zoom.reason === 'missing' ? 'input.zoomMissing' : 'input.zoomRange') });
    }
    let maskBase64: string | undefined;
    if (form.need === 'region') maskBase64 = await buildMask(ctx, form, answer);
    await ctx.forms.close(form);
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
    await ctx.forms.close(form);
    if (form.need === 'remix' && form.modalTaskId) {
      const record = ctx.tracker.get(form.modalTaskId);
      if (record) await ctx.tracker.failRecord(record, 'CANCELLED');
    }
    return { type: 'message', text: t(locale, 'form.cancelled'), ephemeral: true, replace: true };
  } catch (err) {
    return ctx.errorReply(locale, err);
  }
}

/**
 * An answer to a form that expired: say so, echo the text back, and offer to start again (the
 * owner only; anyone else is refused as for an open form).
 */
async function expiredReply(ctx: ServiceContext, formId: string, answer: FormAnswer, origin: Origin, locale: Locale): Promise<Reply | undefined> {
  const form = await ctx.forms.get(formId);
  if (!form || form.answered || !isExpired(form, ctx.now())) return undefined;
  await mustPress(ctx, form, origin);
  const lines = [t(locale, 'form.expired', { label: form.buttonLabel })];
  if (answer.prompt?.trim()) lines.push('', t(locale, 'form.yourText'), answer.prompt.trim());
  const again = { payload: ctx.codec.encodeInternal('fa', [form.formId]), label: t(locale, 'form.startAgain'), emoji: '🔁', style: 'primary' as const };
  return { type: 'message', text: lines.join('\n'), rows: [[again]], ephemeral: true };
}

/** 🔁 Start again on an expired form: the same question anew (remix: the original button pressed again). */
export async function startAgain(ctx: ServiceContext, formId: string, origin: Origin): Promise<Reply> {
  const locale = await ctx.localeOf(origin);
  try {
    const old = await ctx.forms.get(formId);
    if (!old) throw new BotError('FORM_EXPIRED', 'form gone');
    await mustPress(ctx, old, origin);
    await ctx.forms.close(old);
    if (old.need === 'remix') {
      const modal = await ctx.records.get(old.modalTaskId ?? '');
      const parent = await loadParent(ctx, old.parentTaskId, origin);
      if (!modal?.customId) throw new BotError('FORM_EXPIRED', 'remix origin unknown');
      return await submit(ctx, origin, { kind: 'action', parentTaskId: parent.taskId, customId: modal.customId }, modal.prompt);
    }
    const parent = await loadParent(ctx, old.parentTaskId, origin);
    const form = await createForm(ctx, parent, old.customId ?? '', old.need, old.buttonLabel, origin);
    return { type: 'form', form: view(ctx, form, locale) };
  } catch (err) {
    return ctx.errorReply(locale, err);
  }
}

function cleanOrThrow(raw: string, allowEmpty: boolean, locale: Locale): string {
  const cleaned = cleanPrompt(raw, { allowEmpty });
  if (cleaned.ok) return cleaned.prompt;
  const detail = t(locale, cleaned.reason === 'empty' ? 'input.promptEmpty' : 'input.promptTooLong', { max: cleaned.max });
  throw new UserInputError('BAD_INPUT', `prompt ${cleaned.reason}`, { detail });
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
