/** /blend — mix 2 to 5 images into one, in a chosen shape. */
import { z } from 'zod';
import { t } from '../src/core/domain/i18n/index.js';
import { BLEND_DIMENSIONS } from '../src/mj/schemas.js';
import { botTypeOf, imageList, imageSchema, localized, parseInput } from './shared.js';
import type { Command } from './types.js';

const MIN_IMAGES = 2;
const MAX_IMAGES = 5;

export default {
  name: 'blend',
  description: localized('cmd.blend.description'),
  options: [
    { name: 'images', type: 'images', required: true, min: MIN_IMAGES, max: MAX_IMAGES, description: localized('cmd.blend.images') },
    {
      name: 'dimensions',
      type: 'choice',
      required: false,
      description: localized('cmd.blend.dimensions'),
      choices: [
        { value: 'PORTRAIT', name: localized('cmd.blend.portrait') },
        { value: 'SQUARE', name: localized('cmd.blend.square') },
        { value: 'LANDSCAPE', name: localized('cmd.blend.landscape') },
      ],
    },
  ],
  async execute(input, { service, origin, locale }) {
    const count = Array.isArray(input.images) ? input.images.length : input.images ? 1 : 0;
    const schema = z.object({
      images: imageList(locale).pipe(
        z
          .array(imageSchema(t(locale, 'cmd.notAnImage')))
          .min(MIN_IMAGES, { error: t(locale, 'cmd.blend.tooFew', { min: MIN_IMAGES, n: count }) })
          .max(MAX_IMAGES, { error: t(locale, 'cmd.blend.tooMany', { max: MAX_IMAGES, n: count }) }),
      ),
      dimensions: z.preprocess(
        (value) => (typeof value === 'string' ? value.toUpperCase() : value),
        z.enum(BLEND_DIMENSIONS, { error: t(locale, 'cmd.blend.badDimensions') }).default('SQUARE'),
      ),
    });
    const parsed = parseInput(schema, input, locale);
    if (!parsed.ok) return parsed.reply;
    const { images, dimensions } = parsed.data;
    const settings = await service.settingsOf(origin);
    return service.submit(origin, { kind: 'blend', images: images.map((image) => image.bytes), dimensions, botType: botTypeOf(settings) }, t(locale, 'cmd.blend.display', { n: images.length }));
  },
} satisfies Command;
