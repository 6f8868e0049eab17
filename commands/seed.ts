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
    const taskId = parsed.data.task?.trim() || replyToTaskId || (await service.lastTaskOf(origin));
    if (!taskId) return { type: 'error', code: 'BAD_INPUT', text: t(locale, 'cmd.seed.noTask') };
    const record = await service.records.get(taskId);
    if (!record) return { type: 'error', code: 'BAD_INPUT', text: t(locale, 'cmd.task.notFound', { id: taskId }) };
    if (!(await service.mayAct(record.owner, record.chat, origin))) {
      return service.errorReply(locale, new BotError('NOT_OWNER', 'seed of another user’s task', { owner: record.owner.name }));
    }
    if (record.status !== 'SUCCESS' || record.failure) return { type: 'error', code: 'BAD_INPUT', text: t(locale, 'cmd.seed.notFinished') };
    try {
      const seed = await service.deps.clientFor().imageSeed(taskId);
      return { type: 'message', text: t(locale, 'task.seed', { seed }) };
    } catch (err) {
      return service.errorReply(locale, err);
    }
  },
} satisfies Command;
