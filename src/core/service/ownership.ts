/** Loading what a press or an answer acts on, refused by the visibility rule where it may not. */
import { BotError } from '../../errors.js';
import type { FormRecord } from '../domain/forms.js';
import type { TaskRecord } from '../domain/records.js';
import type { Origin } from '../domain/types.js';
import type { ServiceContext } from './context.js';

/** Refuse what the visibility rule does not allow: by name where the task is visible, as gone where it is not. */
export async function mustPress(ctx: ServiceContext, item: TaskRecord | FormRecord, origin: Origin): Promise<void> {
  if (await ctx.mayPress(item, origin)) return;
  if (!ctx.maySee(item, origin)) throw new BotError('BUTTON_EXPIRED', 'pressed from a chat that may not see the task');
  throw new BotError('NOT_OWNER', 'not the owner', { owner: item.owner.name });
}

/** The task whose button was pressed. */
export async function loadParent(ctx: ServiceContext, taskId: string, origin: Origin): Promise<TaskRecord> {
  const parent = await ctx.records.get(taskId);
  if (!parent) throw new BotError('BUTTON_EXPIRED', 'parent task record gone');
  await mustPress(ctx, parent, origin);
  return parent;
}
