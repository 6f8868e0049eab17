/** /gallery — the chat's latest finished images (last 24 hours), shown as an album. */
import { accessGateOf } from '../src/core/access/index.js';
import { t } from '../src/core/domain/i18n/index.js';
import type { ImageRef } from '../src/core/domain/types.js';
import type { Command } from './types.js';

const MAX_IMAGES = 10;

export default {
  name: 'gallery',
  description: { en: t('en', 'gallery.description'), zh: t('zh', 'gallery.description') },
  options: [],
  async execute(_input, { service, origin, locale }) {
    const gate = accessGateOf(service.gate);
    if (!gate) return { type: 'message', text: t(locale, 'access.off'), ephemeral: true };
    const images: ImageRef[] = [];
    const lines: string[] = [];
    for (const taskId of await gate.gallery(origin.chat, { limit: MAX_IMAGES })) {
      const record = await service.records.get(taskId);
      const url = record?.task?.imageUrl;
      if (!record || !url) continue;
      images.push({ url, taskId });
      lines.push(t(locale, 'gallery.line', { i: images.length, name: record.owner.name, prompt: record.prompt }));
    }
    if (images.length === 0) return { type: 'message', text: t(locale, 'gallery.empty') };
    return { type: 'message', text: [t(locale, 'gallery.title', { n: images.length }), ...lines].join('\n'), images };
  },
} satisfies Command;
