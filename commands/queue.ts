/** /queue — who is drawing what in this chat, and who waits in which order. */
import { t } from '../src/core/domain/i18n/index.js';
import type { Command } from './types.js';

export default {
  name: 'queue',
  description: { en: t('en', 'queue.description'), zh: t('zh', 'queue.description') },
  options: [],
  async execute(_input, { service, origin, locale }) {
    const text = await service.queueReport(origin, locale);
    if (text === undefined) return { type: 'message', text: t(locale, 'access.off'), ephemeral: true };
    return { type: 'message', text };
  },
} satisfies Command;
