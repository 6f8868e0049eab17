/** /task <id> — a task's status; finished ones come with their image and buttons again. */
import { z } from 'zod';
import { t } from '../src/core/domain/i18n/index.js';
import type { Reply } from '../src/core/domain/types.js';
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
    // Unknown ids and tasks this user may not see get the same answer: ids must not leak prompts.
    const card = await service.taskCard(origin, id, locale);
    if (!card) return { type: 'error', code: 'BAD_INPUT', text: t(locale, 'cmd.task.notFound', { id }) };
    const { view } = card;
    const lines = [`${view.headline} · ${id}`, t(locale, 'cmd.task.prompt', { prompt: view.prompt }), t(locale, 'cmd.task.by', { name: view.requester })];
    if (view.detail) lines.push('', view.detail);
    const reply: Reply = { type: 'message', text: lines.join('\n'), rows: view.rows };
    if (card.image) reply.image = card.image;
    return reply;
  },
} satisfies Command;
