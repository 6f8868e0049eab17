/** /gallery — the chat's latest finished images (last 24 hours), shown as an album. */
import { t } from '../src/core/domain/i18n/index.js';
import type { Command } from './types.js';

const MAX_IMAGES = 10;

export default {
  name: 'gallery',
  description: { en: t('en', 'gallery.description'), zh: t('zh', 'gallery.description') },
  options: [],
  async execute(_input, { service, origin, locale }) {
    const items = await service.gallery(origin, MAX_IMAGES);
    if (!items) return { type: 'message', text: t(locale, 'access.off'), ephemeral: true };
    if (items.length === 0) return { type: 'message', text: t(locale, 'gallery.empty') };
    const lines = items.map((item, i) => t(locale, 'gallery.line', { i: i + 1, name: item.owner, prompt: item.prompt }));
    return { type: 'message', text: [t(locale, 'gallery.title', { n: items.length }), ...lines].join('\n'), images: items.map((item) => item.image) };
  },
} satisfies Command;
