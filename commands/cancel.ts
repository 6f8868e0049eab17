/** /cancel — your open question, or a job you chose (reply to its message, or give its id). */
import { z } from 'zod';
import { localized, optionalText, parseInput } from './shared.js';
import type { Command } from './types.js';

export default {
  name: 'cancel',
  description: localized('cmd.cancel.description'),
  options: [{ name: 'task', type: 'string', required: false, maxLength: 64, description: localized('cmd.cancel.task') }],
  textOption: 'task',
  async execute(input, { service, origin, locale, replyToTaskId }) {
    const parsed = parseInput(z.object({ task: optionalText }), input, locale);
    if (!parsed.ok) return parsed.reply;
    return service.cancel(origin, parsed.data.task?.trim() || replyToTaskId);
  },
} satisfies Command;
