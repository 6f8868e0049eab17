/** /seed — the seed of a finished image (given id, the replied-to result, else the user's latest). */
import { z } from 'zod';
import { BotError } from '../src/errors.js';
import { t } from '../src/core/domain/i18n/index.js';
import { localized, optionalText, parseInput } from './shared.js';
import type { Command } from './types.js';

export default {
  name: 'seed',
  description: localized('cmd.seed.description'),
  options: [{ name: 'task', type: 'string', required: false, maxLength: 64, description: localized('cmd.seed.task') }],
  textOption: 'task',
  async execute(input, { service, origin, locale, replyToTaskId }) {
    const parsed = parseInput(z.object({ task: optionalText }), input, locale);
    if (!parsed.ok) return parsed.reply;
    try {
      const answer = await service.seedOf(origin, parsed.data.task?.trim() || replyToTaskId);
      if (answer.ok) return { type: 'message', text: t(locale, 'task.seed', { seed: answer.seed }) };
      switch (answer.reason) {
        case 'no-task':
          return { type: 'error', code: 'BAD_INPUT', text: t(locale, 'cmd.seed.noTask') };
        case 'not-found':
          return { type: 'error', code: 'BAD_INPUT', text: t(locale, 'cmd.task.notFound', { id: answer.taskId }) };
        case 'not-finished':
          return { type: 'error', code: 'BAD_INPUT', text: t(locale, 'cmd.seed.notFinished') };
        case 'not-owner':
          return service.errorReply(locale, new BotError('NOT_OWNER', 'seed of another user’s task', { owner: answer.owner }));
      }
    } catch (err) {
      return service.errorReply(locale, err);
    }
  },
} satisfies Command;
