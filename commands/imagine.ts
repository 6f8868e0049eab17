/** /imagine — draw from a prompt, with up to 3 reference images and the user's defaults applied. */
import { z } from 'zod';
import { t } from '../src/core/domain/i18n/index.js';
import { applyDefaults, MAX_PROMPT_LENGTH } from '../src/core/domain/prompt.js';
import { botTypeOf, cleanPromptInput, imageList, imageSchema, localized, parseInput } from './shared.js';
import type { Command } from './types.js';

const MAX_REFERENCES = 3;

export default {
  name: 'imagine',
  description: localized('cmd.imagine.description'),
  options: [
    { name: 'prompt', type: 'string', required: true, maxLength: MAX_PROMPT_LENGTH, description: localized('cmd.imagine.prompt') },
    { name: 'images', type: 'images', required: false, min: 0, max: MAX_REFERENCES, description: localized('cmd.imagine.images') },
  ],
  textOption: 'prompt',
  async execute(input, { service, origin, locale }) {
    const schema = z.object({
      prompt: z.string({ error: t(locale, 'input.promptEmpty') }),
      images: imageList(locale).pipe(z.array(imageSchema(t(locale, 'cmd.notAnImage'))).max(MAX_REFERENCES, { error: t(locale, 'cmd.imagine.tooManyImages', { max: MAX_REFERENCES }) })),
    });
    const parsed = parseInput(schema, input, locale);
    if (!parsed.ok) return parsed.reply;
    const cleaned = cleanPromptInput(parsed.data.prompt, locale);
    if (!cleaned.ok) return cleaned.reply;
    const settings = await service.settingsOf(origin);
    // Niji is chosen by botType; a Midjourney version would contradict it.
    const prompt = applyDefaults(cleaned.prompt, { aspect: settings.aspect, version: settings.bot === 'niji' ? undefined : settings.version });
    const images = parsed.data.images.map((image) => image.bytes);
    return service.submit(origin, { kind: 'imagine', prompt, images, botType: botTypeOf(settings) }, prompt);
  },
} satisfies Command;
