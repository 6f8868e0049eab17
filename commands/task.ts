/** /task <id> — a task's status; finished ones come with their image and buttons again. */
import { z } from 'zod';
import { t } from '../src/core/domain/i18n/index.js';
import type { Reply } from '../src/core/domain/types.js';
import { taskView } from '../src/core/domain/views.js';
import { localized, parseInput } from './shared.js';
import type { Command } from './types.js';

export default {
  name: 'task',
  description: localized('cmd.task.description'),
  options: [{ name: 'id', type: 'string', required: true, maxLength: 64, description: localized('cmd.task.id') }],
  textOption: 'id',
  async execute(input, { service, origin, locale }) {
    const needId = t(locale, 'cmd.task.needId');
    const schema = z.object({
      id: z.preprocess((v) => (typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : v), z.string({ error: needId }).min(1, { error: needId }).max(64, { error: needId })),
    });
    const parsed = parseInput(schema, input, locale);
    if (!parsed.ok) return parsed.reply;
    const { id } = parsed.data;
    const record = await service.records.get(id);
    const sameChat = record && record.chat.platform === origin.chat.platform && record.chat.chatId === origin.chat.chatId;
    // Someone else's task from another chat is reported as unknown: ids must not leak prompts.
    if (!record || !(sameChat || (await service.mayAct(record.owner, record.chat, origin)))) {
      return { type: 'error', code: 'BAD_INPUT', text: t(locale, 'cmd.task.notFound', { id }) };
    }
    const success = record.status === 'SUCCESS' && !record.failure;
    const rows = success ? await service.buttonRows(record) : [];
    const view = taskView(record, locale, rows);
    const lines = [`${view.headline} · ${id}`, t(locale, 'cmd.task.prompt', { prompt: view.prompt }), t(locale, 'cmd.task.by', { name: view.requester })];
    if (view.detail) lines.push('', view.detail);
    const reply: Reply = { type: 'message', text: lines.join('\n'), rows: view.rows };
    if (success && view.image) reply.image = { url: view.image.url, taskId: id };
    return reply;
  },
} satisfies Command;
