/** /faceswap — put the face from `source` onto `target`. */
import { z } from 'zod';
import { t } from '../src/core/domain/i18n/index.js';
import { localized, parseInput, singleImage } from './shared.js';
import type { Command } from './types.js';

export default {
  name: 'faceswap',
  description: localized('cmd.faceswap.description'),
  options: [
    { name: 'source', type: 'image', required: true, description: localized('cmd.faceswap.source') },
    { name: 'target', type: 'image', required: true, description: localized('cmd.faceswap.target') },
  ],
  async execute(input, { service, origin, locale }) {
    const error = t(locale, 'cmd.faceswap.needImages');
    const one = singleImage(error);
    const parsed = parseInput(z.object({ source: one, target: one }), input, locale);
    if (!parsed.ok) return parsed.reply;
    const { source, target } = parsed.data;
    return service.submit(origin, { kind: 'faceswap', source: source.bytes, target: target.bytes }, t(locale, 'cmd.faceswap.display'));
  },
} satisfies Command;
