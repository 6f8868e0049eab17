/** /shorten — a shorter prompt and which words carry weight; number buttons draw the results. */
import { z } from 'zod';
import { t } from '../src/core/domain/i18n/index.js';
import { MAX_PROMPT_LENGTH } from '../src/core/domain/prompt.js';
import { botTypeOf, cleanPromptInput, localized, parseInput } from './shared.js';
import type { Command } from './types.js';

export default {
  name: 'shorten',
  description: localized('cmd.shorten.description'),
  options: [{ name: 'prompt', type: 'string', required: true, maxLength: MAX_PROMPT_LENGTH, description: localized('cmd.shorten.prompt') }],
  textOption: 'prompt',
  async execute(input, { service, origin, locale }) {
    const parsed = parseInput(z.object({ prompt: z.string({ error: t(locale, 'input.promptEmpty') }) }), input, locale);
    if (!parsed.ok) return parsed.reply;
    const cleaned = cleanPromptInput(parsed.data.prompt, locale);
    if (!cleaned.ok) return cleaned.reply;
    const settings = await service.settingsOf(origin);
    const { prompt } = cleaned;
    return service.submit(origin, { kind: 'shorten', prompt, botType: botTypeOf(settings) }, t(locale, 'cmd.shorten.display', { prompt }));
  },
} satisfies Command;
