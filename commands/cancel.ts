/** /cancel — stop a job that is waiting or drawing (given id, the replied-to task, else the user's latest). */
import { z } from 'zod';
import { BotError } from '../src/errors.js';
import { t } from '../src/core/domain/i18n/index.js';
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
    try {
      const answer = await service.cancelTask(origin, parsed.data.task?.trim() || replyToTaskId);
      if (answer.ok) return { type: 'message', text: t(locale, 'cmd.cancel.done', { id: answer.taskId }), ephemeral: true };
      switch (answer.reason) {
        case 'no-task':
          return { type: 'error', code: 'BAD_INPUT', text: t(locale, 'cmd.cancel.noTask') };
        case 'not-found':
          return { type: 'error', code: 'BAD_INPUT', text: t(locale, 'cmd.task.notFound', { id: answer.taskId }) };
        case 'finished':
          return { type: 'error', code: 'BAD_INPUT', text: t(locale, 'cmd.cancel.finished') };
        case 'not-owner':
          return service.errorReply(locale, new BotError('NOT_OWNER', 'cancel of another user’s task', { owner: answer.owner }));
      }
    } catch (err) {
      return service.errorReply(locale, err);
    }
  },
} satisfies Command;
