/**
 * What the tracker's changes mean for the chat: progress is shown (coalesced), a MODAL step is
 * answered or asked, and a final result goes to the outbox, which delivers it on its own
 * schedule and settles the task only once the chat has it (or refused it for good).
 */
import { layoutButtons } from '../domain/buttons/catalogue.js';
import type { TaskRecord } from '../domain/records.js';
import type { ButtonView, TaskView } from '../domain/types.js';
import { taskView } from '../domain/views.js';
import type { ServiceContext } from './context.js';
import { onModal } from './modal-step.js';
import { withOssButtons } from './oss-buttons.js';
import type { UpdateKind } from './tracker.js';

/** Called by the tracker after every applied change. */
export async function onUpdate(ctx: ServiceContext, record: TaskRecord, kind: UpdateKind): Promise<void> {
  if (kind === 'final') return ctx.outbox.schedule(record);
  const ref = record.ref;
  if (!ref) return;
  if (kind === 'modal') return onModal(ctx, record);
  // Built when sent: progress that a newer step replaces before its turn costs nothing. A task
  // that is finished by then shows nothing here (its final view comes from the outbox).
  ctx.delivery.show(record.taskId, ref, () => (record.finished ? undefined : taskView(record, record.owner.locale)));
}

/** The final view of a finished task, with its result buttons. */
export async function finalView(ctx: Pick<ServiceContext, 'clientFor' | 'codec'>, record: TaskRecord): Promise<TaskView> {
  const rows = record.status === 'SUCCESS' && !record.failure ? await buttonRows(ctx, record) : [];
  return taskView(record, record.owner.locale, rows);
}

/** Encode the task's buttons (hidden ones dropped) into signed payloads, in Midjourney's rows. */
export async function buttonRows(ctx: Pick<ServiceContext, 'clientFor' | 'codec'>, record: TaskRecord): Promise<ButtonView[][]> {
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
