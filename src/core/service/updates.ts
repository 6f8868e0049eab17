/**
 * What the tracker's changes mean for the chat: progress is shown (coalesced), a MODAL step is
 * answered or asked, and a final result is delivered — counted as delivered only once the chat
 * has it, so a failed delivery is tried again.
 */
import { layoutButtons } from '../domain/buttons/catalogue.js';
import type { TaskRecord } from '../domain/records.js';
import type { ButtonView } from '../domain/types.js';
import { taskView } from '../domain/views.js';
import type { ServiceContext } from './context.js';
import { onModal } from './modal-step.js';
import { withOssButtons } from './oss-buttons.js';
import type { UpdateKind } from './tracker.js';

/** Called by the tracker after every applied change. */
export async function onUpdate(ctx: ServiceContext, record: TaskRecord, kind: UpdateKind): Promise<void> {
  const ref = record.ref;
  if (!ref) return;
  if (kind === 'modal') return onModal(ctx, record);
  if (kind === 'final') {
    const rows = record.status === 'SUCCESS' && !record.failure ? await buttonRows(ctx, record) : [];
    // Only a result that reached the chat counts as delivered; otherwise the tracker tries again.
    if (!(await ctx.delivery.push(record.taskId, ref, taskView(record, record.owner.locale, rows)))) return;
    record.delivered = true;
    await ctx.records.save(record);
    await ctx.gate.finished(record);
    return;
  }
  void ctx.delivery.push(record.taskId, ref, taskView(record, record.owner.locale));
}

/** Encode the task's buttons (hidden ones dropped) into signed payloads, in Midjourney's rows. */
export async function buttonRows(ctx: ServiceContext, record: TaskRecord): Promise<ButtonView[][]> {
  const task = record.task;
  if (!task) return [];
  const caps = await ctx.clientFor().capabilities();
  const buttons = withOssButtons(task, caps.flavour);
  const rows = layoutButtons(buttons, (id) => caps.canPress(id));
  return Promise.all(
    rows.map((row) =>
      Promise.all(row.map(async (info) => ({ payload: await ctx.codec.encode(record.taskId, info.customId), label: info.label, emoji: info.emoji, style: info.style }))),
    ),
  );
}
