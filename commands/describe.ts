/** /describe — four prompts that describe an image (attached, or linked); their number buttons draw them. */
import { z } from 'zod';
import { t } from '../src/core/domain/i18n/index.js';
import { badInput, botTypeOf, imageSchema, localized, optionalText, parseInput } from './shared.js';
import type { Command } from './types.js';

export default {
  name: 'describe',
  description: localized('cmd.describe.description'),
  options: [
    // Either one: Discord cannot say "one of these", so the command does.
    { name: 'image', type: 'image', required: false, description: localized('cmd.describe.image') },
    { name: 'image_url', type: 'string', required: false, maxLength: 2000, description: localized('cmd.describe.imageUrl') },
  ],
  textOption: 'image_url',
  async execute(input, { service, origin, locale }) {
    const needImage = t(locale, 'cmd.describe.needImage');
    const schema = z.object({
      image: z.preprocess((value) => (Array.isArray(value) ? value[0] : value), imageSchema(needImage).optional()),
      image_url: optionalText,
    });
    const parsed = parseInput(schema, input, locale);
    if (!parsed.ok) return parsed.reply;
    const link = parsed.data.image_url?.trim();
    let bytes: Uint8Array | undefined = parsed.data.image?.bytes;
    if (!bytes && link) {
      if (!/^https?:\/\/\S+$/i.test(link)) return badInput(t(locale, 'cmd.describe.badUrl'));
      try {
        bytes = await service.downloadUserImage(link);
      } catch (err) {
        return service.errorReply(locale, err);
      }
    }
    if (!bytes) return badInput(needImage);
    const settings = await service.settingsOf(origin);
    return service.submit(origin, { kind: 'describe', image: bytes, botType: botTypeOf(settings) }, t(locale, 'cmd.describe.display'));
  },
} satisfies Command;
