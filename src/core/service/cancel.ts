/**
 * /cancel: the user's open question, or a job they chose (its id, or a reply to its message).
 * A drawing job is stopped on the proxy where the proxy can (`/mj/task/{id}/cancel`); its slot is
 * freed and — as a job that did not succeed — it is not charged.
 */
import { BotError } from '../../errors.js';
import { t } from '../domain/i18n/index.js';
import type { ParkedJob } from '../domain/jobs.js';
import type { Locale, Origin, Reply } from '../domain/types.js';
import { cancelledView } from '../domain/views.js';
import type { ServiceContext } from './context.js';
import { cancelForm } from './form-steps.js';
import { mustPress } from './ownership.js';
import { isBotAdmin } from './visibility.js';

/** What /cancel points at: a job's id, or the message it answered (a reply to a job's message). */
export interface CancelTarget {
  taskId?: string;
  messageId?: string;
}

export async function cancel(ctx: ServiceContext, origin: Origin, target: CancelTarget): Promise<Reply> {
  const locale = await ctx.localeOf(origin);
  try {
    // A reply to a message still waiting in the line (it has no task yet).
    if (target.messageId && !target.taskId) {
      const left = await leaveLine(ctx, origin, target.messageId, locale);
      if (left) return left;
    }
    const taskId = target.taskId;
    if (!taskId) {
      const open = await ctx.forms.openFor(origin.chat, origin.actor.userId);
      if (open) return await cancelForm(ctx, open, origin);
      return { type: 'message', text: t(locale, 'cancel.nothing'), ephemeral: true };
    }
    const record = await ctx.records.get(taskId);
    if (!record || !ctx.maySee(record, origin)) throw new BotError('BAD_INPUT', 'no such task', { detail: t(locale, 'cmd.task.notFound', { id: taskId }) });
    await mustPress(ctx, record, origin);
    if (record.finished) {
      // Pointing at a finished result (a reply to it, the console's latest) while a question is open: that question is meant.
      const open = await ctx.forms.openFor(origin.chat, origin.actor.userId);
      if (open) return await cancelForm(ctx, open, origin);
      return { type: 'message', text: t(locale, 'cancel.finished'), ephemeral: true };
    }
    // Waiting for the user's input (remix): cancelling the question ends the job.
    if (record.formId && record.status === 'MODAL') return await cancelForm(ctx, record.formId, origin);
    const settings = await ctx.settings.get(record.chat.platform, record.owner.userId);
    const client = ctx.clientFor(settings.mode);
    if (!(await client.capabilities()).cancel) throw new BotError('MJ_UNSUPPORTED', 'this proxy cannot cancel tasks');
    await client.cancel(taskId);
    // Shown at once where this process follows the task; elsewhere the proxy's CANCEL status reaches its owner.
    if (ctx.tracker.get(taskId)) await ctx.tracker.fail(taskId, 'CANCELLED');
    return { type: 'message', text: t(locale, 'cancel.done'), ephemeral: true };
  } catch (err) {
    return ctx.errorReply(locale, err);
  }
}

/** Take the job whose waiting message is `messageId` out of the line; undefined when none waits there. */
export async function leaveLine(ctx: ServiceContext, origin: Origin, messageId: string, locale: Locale): Promise<Reply | undefined> {
  if (!ctx.access) return undefined;
  const mine = (job: ParkedJob) => (job.origin.chat.platform === origin.chat.platform && job.owner.userId === origin.actor.userId) || isBotAdmin(ctx.config, origin);
  const found = await ctx.access.cancelWaiting(origin.chat, messageId, mine);
  if (!found) return undefined;
  const { job } = found;
  if (!found.removed) throw new BotError('NOT_OWNER', 'not the owner of the waiting job', { owner: job.owner.name });
  await ctx.delivery.push(`submit:${job.ref.messageId}`, job.ref, cancelledView(job.display, job.owner.name, job.owner.locale));
  return { type: 'message', text: t(locale, 'cancel.left'), ephemeral: true };
}
