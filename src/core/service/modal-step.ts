/**
 * A task reached MODAL (code 21, or `status: "MODAL"` on fetch behind relays that rewrite 21 to 1).
 * If the user already answered (Custom Zoom, Vary Region, describe → imagine), send the answer
 * to /mj/submit/modal at once; otherwise (remix) offer a form on the task's message.
 */
import { toBotError } from '../../errors.js';
import { formView, newFormId, type FormRecord } from '../domain/forms.js';
import { regionLabel } from '../domain/images/mask.js';
import type { ModalAnswer } from '../domain/jobs.js';
import type { TaskRecord } from '../domain/records.js';
import { taskView } from '../domain/views.js';
import type { ServiceContext } from './context.js';

export async function onModal(ctx: ServiceContext, record: TaskRecord): Promise<void> {
  if (record.modalSubmitted) return;
  const ref = record.ref;
  if (record.pendingModal) {
    await submitModal(ctx, record, record.pendingModal);
    return;
  }
  if (record.formId || !ref) return;
  const finalPrompt = record.task?.properties.finalPrompt;
  const form: FormRecord = {
    formId: newFormId(),
    need: 'remix',
    chat: record.chat,
    owner: record.owner,
    parentTaskId: record.parentTaskId ?? record.taskId,
    modalTaskId: record.taskId,
    prefill: typeof finalPrompt === 'string' && finalPrompt ? finalPrompt : record.prompt,
    buttonLabel: 'Remix',
    createdAt: ctx.now(),
  };
  await ctx.forms.open(form);
  record.formId = form.formId;
  await ctx.records.save(record);
  ctx.tracker.refresh(record);
  await ctx.delivery.push(record.taskId, ref, taskView(record, record.owner.locale));
  const presenter = ctx.delivery.presenter(ref.chat.platform);
  const view = formView(form, record.owner.locale, (kind, args) => ctx.codec.encodeInternal(kind, args), regionLabel);
  await presenter?.offerForm(ref, view);
}

/** POST /mj/submit/modal for a MODAL task; a refusal fails the task with a clear message. */
export async function submitModal(ctx: ServiceContext, record: TaskRecord, answer: ModalAnswer): Promise<void> {
  record.modalSubmitted = true;
  record.pendingModal = undefined;
  record.status = 'NOT_START';
  await ctx.records.save(record);
  ctx.tracker.refresh(record);
  try {
    const settings = await ctx.settings.get(record.chat.platform, record.owner.userId);
    const submitted = await ctx.clientFor(settings.mode).modal({ taskId: record.taskId, prompt: answer.prompt, maskBase64: answer.maskBase64 });
    record.queuePosition = submitted.queuePosition;
    await ctx.records.save(record);
    if (record.ref) void ctx.delivery.push(record.taskId, record.ref, taskView(record, record.owner.locale));
  } catch (err) {
    const e = toBotError(err);
    const detail = (e as { details?: { description?: string } }).details?.description;
    await ctx.tracker.failRecord(record, e.code, detail);
  }
}
