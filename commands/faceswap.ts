/** /faceswap — put the face from `source` onto `target`. */
import { z } from 'zod';
import { t } from '../src/core/domain/i18n/index.js';
import { localized, parseInput, singleImage, toDataUrls } from './shared.js';
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
    let urls: string[];
    try {
      urls = toDataUrls(service, [parsed.data.source, parsed.data.target]);
    } catch (err) {
      return service.errorReply(locale, err);
    }
    const [sourceBase64 = '', targetBase64 = ''] = urls;
    return service.startJob(origin, { kind: 'faceswap', sourceBase64, targetBase64 }, t(locale, 'cmd.faceswap.display'));
  },
} satisfies Command;
