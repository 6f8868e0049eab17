/**
 * Cancelling a waiting or running job (`POST /mj/task/{id}/cancel`, plus and trueai). The task's
 * message then ends as cancelled; the proxy's own FAILURE arrives later and is ignored.
 */
import { MjError } from '../../errors.js';
import { t } from '../domain/i18n/index.js';
import type { Origin } from '../domain/types.js';
import type { ServiceContext } from './context.js';

export type CancelAnswer =
  | { ok: true; taskId: string }
  | { ok: false; reason: 'no-task' | 'not-found' | 'finished'; taskId?: string }
  | { ok: false; reason: 'not-owner'; taskId: string; owner: string };

/** Cancel the given task, else the user's latest one. Throws MJ_UNSUPPORTED where the proxy cannot cancel. */
export async function cancelTask(ctx: ServiceContext, origin: Origin, taskId: string | undefined): Promise<CancelAnswer> {
  const id = taskId ?? (await ctx.messages.lastOf(origin.chat.platform, origin.actor.userId));
  if (!id) return { ok: false, reason: 'no-task' };
  const record = await ctx.records.get(id);
  if (!record) return { ok: false, reason: 'not-found', taskId: id };
  if (!(await ctx.mayAct(record.owner, record.chat, origin))) return { ok: false, reason: 'not-owner', taskId: id, owner: record.owner.name };
  if (record.finished || (ctx.tracker.get(id)?.finished ?? false)) return { ok: false, reason: 'finished', taskId: id };
  const client = ctx.clientFor();
  const caps = await client.capabilities();
  if (!caps.cancel) throw new MjError('MJ_UNSUPPORTED', `cancel is not available on ${caps.flavour}`);
  await client.cancel(id);
  // End the message now (where this process follows the task); elsewhere the proxy's FAILURE ends it.
  const locale = await ctx.localeOf(origin);
  await ctx.tracker.fail(id, 'MJ_TASK_FAILED', t(locale, 'cmd.cancel.byUser', { name: origin.actor.name }));
  return { ok: true, taskId: id };
}
