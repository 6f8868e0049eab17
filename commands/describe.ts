/** /describe — four prompts that describe an image; their number buttons draw them. */
import { z } from 'zod';
import { t } from '../src/core/domain/i18n/index.js';
import { botTypeOf, localized, parseInput, singleImage } from './shared.js';
import type { Command } from './types.js';

export default {
  name: 'describe',
  description: localized('cmd.describe.description'),
  options: [{ name: 'image', type: 'image', required: true, description: localized('cmd.describe.image') }],
  async execute(input, { service, origin, locale }) {
    const needImage = t(locale, 'cmd.describe.needImage');
    const schema = z.object({
      image: singleImage(needImage),
    });
    const parsed = parseInput(schema, input, locale);
    if (!parsed.ok) return parsed.reply;
    const settings = await service.settingsOf(origin);
    return service.submit(origin, { kind: 'describe', image: parsed.data.image.bytes, botType: botTypeOf(settings) }, t(locale, 'cmd.describe.display'));
  },
} satisfies Command;
