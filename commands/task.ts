/** /task [id] — a task's status (default: your latest); finished ones come with their image and buttons again. */
import { z } from 'zod';
import { t } from '../src/core/domain/i18n/index.js';
import type { Locale, Origin, Reply } from '../src/core/domain/types.js';
import type { InternalHandler, MjService } from '../src/core/service/service.js';
import { localized, parseInput } from './shared.js';
import type { Command } from './types.js';

/** The card of `id` as `origin` may see it; unknown and foreign ids get the same answer, so ids cannot be probed. */
async function showTask(service: MjService, origin: Origin, locale: Locale, id: string): Promise<Reply> {
  const card = await service.taskCard(origin, id, locale);
  if (!card) return { type: 'error', code: 'BAD_INPUT', text: t(locale, 'cmd.task.notFound', { id }) };
  const { view } = card;
  const lines = [`${view.headline} · ${id}`, t(locale, 'cmd.task.prompt', { prompt: view.prompt }), t(locale, 'cmd.task.by', { name: view.requester })];
  if (view.detail) lines.push('', view.detail);
  const reply: Reply = { type: 'message', text: lines.join('\n'), rows: view.rows };
  if (card.image) reply.image = card.image;
  return reply;
}

/** A number pressed under /history. */
const pressShow: InternalHandler = async (args, origin, service) => showTask(service, origin, await service.localeOf(origin), args[0] ?? '');

export default {
  name: 'task',
  description: localized('cmd.task.description'),
  options: [{ name: 'id', type: 'string', required: false, maxLength: 64, description: localized('cmd.task.id') }],
  textOption: 'id',
  buttons: { tk: pressShow },
  async execute(input, { service, origin, locale, replyToTaskId }) {
    const needId = t(locale, 'cmd.task.needId');
    const schema = z.object({
      id: z.preprocess((v) => (typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() || undefined : v), z.string({ error: needId }).max(64, { error: needId }).optional()),
    });
    const parsed = parseInput(schema, input, locale);
    if (!parsed.ok) return parsed.reply;
    const id = parsed.data.id ?? replyToTaskId ?? (await service.lastTaskOf(origin));
    if (!id) return { type: 'message', text: t(locale, 'cmd.task.noTask'), ephemeral: true };
    return showTask(service, origin, locale, id);
  },
} satisfies Command;
