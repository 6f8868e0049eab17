/** /queue — who is drawing what in this chat, and who waits in which order. */
import { accessGateOf, formatChatQueue } from '../src/core/access/index.js';
import { t } from '../src/core/domain/i18n/index.js';
import type { Command } from './types.js';

export default {
  name: 'queue',
  description: { en: t('en', 'queue.description'), zh: t('zh', 'queue.description') },
  options: [],
  async execute(_input, { service, origin, locale }) {
    const gate = accessGateOf(service.gate);
    if (!gate) return { type: 'message', text: t(locale, 'access.off'), ephemeral: true };
    const view = await gate.chatQueue(origin.chat);
    return { type: 'message', text: await formatChatQueue(view, locale, (id) => service.records.get(id)) };
  },
} satisfies Command;
