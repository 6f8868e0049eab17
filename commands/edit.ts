/**
 * /edit — redraw an image as the prompt says; an optional black-and-white PNG mask (white =
 * change) keeps the rest as it is. Telegram: reply to a photo with `/edit prompt`, or send the
 * photo with that caption; Discord: attachments; console: `/edit photo.png [mask.png] prompt`.
 */
import { z } from 'zod';
import { t } from '../src/core/domain/i18n/index.js';
import { MAX_PROMPT_LENGTH } from '../src/core/domain/prompt.js';
import { cleanPromptInput, imageSchema, localized, parseInput, singleImage } from './shared.js';
import type { Command } from './types.js';

export default {
  name: 'edit',
  description: localized('cmd.edit.description'),
  options: [
    { name: 'image', type: 'image', required: true, description: localized('cmd.edit.image') },
    { name: 'prompt', type: 'string', required: true, maxLength: MAX_PROMPT_LENGTH, description: localized('cmd.edit.prompt') },
    { name: 'mask', type: 'image', required: false, description: localized('cmd.edit.mask') },
  ],
  textOption: 'prompt',
  repliedImageFirst: true,
  async execute(input, { service, origin, locale }) {
    const schema = z.object({
      image: singleImage(t(locale, 'cmd.edit.needImage')),
      prompt: z.string({ error: t(locale, 'input.promptEmpty') }),
      mask: imageSchema(t(locale, 'cmd.notAnImage')).optional(),
    });
    const parsed = parseInput(schema, input, locale);
    if (!parsed.ok) return parsed.reply;
    const cleaned = cleanPromptInput(parsed.data.prompt, locale);
    if (!cleaned.ok) return cleaned.reply;
    const { image, mask } = parsed.data;
    const display = t(locale, mask ? 'cmd.edit.displayMasked' : 'cmd.edit.display', { prompt: cleaned.prompt });
    return service.submit(origin, { kind: 'edit', image: image.bytes, prompt: cleaned.prompt, mask: mask?.bytes }, display);
  },
} satisfies Command;
