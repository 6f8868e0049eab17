/** /cancel — your open question, or a job you chose (reply to its message, or give its id). */
import { z } from 'zod';
import { localized, optionalText, parseInput } from './shared.js';
import type { Command } from './types.js';

export default {
  name: 'cancel',
  description: localized('cmd.cancel.description'),
  options: [{ name: 'task', type: 'string', required: false, maxLength: 64, description: localized('cmd.cancel.task') }],
  textOption: 'task',
  async execute(input, { service, origin, locale, replyToTaskId, replyToMessageId }) {
    const parsed = parseInput(z.object({ task: optionalText }), input, locale);
    if (!parsed.ok) return parsed.reply;
    const typed = parsed.data.task?.trim();
    return service.cancel(origin, typed ? { taskId: typed } : { taskId: replyToTaskId, messageId: replyToMessageId });
  },
} satisfies Command;
