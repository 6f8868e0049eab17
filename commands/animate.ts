/**
 * /animate — turn an image into a short video (Midjourney's Animate) where the proxy has
 * /mj/submit/video. Motion is low unless asked: the `motion` option, or `--motion high` in the
 * prompt (which wins, like every inline parameter). Images come as for /edit.
 */
import { z } from 'zod';
import { t } from '../src/core/domain/i18n/index.js';
import type { Motion } from '../src/core/domain/jobs.js';
import { MAX_PROMPT_LENGTH, paramValue, removeParam } from '../src/core/domain/prompt.js';
import { badInput, cleanPromptInput, localized, parseInput, singleImage } from './shared.js';
import type { Command } from './types.js';

const MOTIONS: readonly Motion[] = ['low', 'high'];
const isMotion = (value: unknown): value is Motion => MOTIONS.includes(value as Motion);

export default {
  name: 'animate',
  description: localized('cmd.animate.description'),
  options: [
    { name: 'image', type: 'image', required: true, description: localized('cmd.animate.image') },
    { name: 'prompt', type: 'string', required: true, maxLength: MAX_PROMPT_LENGTH, description: localized('cmd.animate.prompt') },
    {
      name: 'motion',
      type: 'choice',
      required: false,
      description: localized('cmd.animate.motion'),
      choices: [
        { value: 'low', name: localized('cmd.animate.low') },
        { value: 'high', name: localized('cmd.animate.high') },
      ],
    },
  ],
  textOption: 'prompt',
  async execute(input, { service, origin, locale }) {
    const schema = z.object({
      image: singleImage(t(locale, 'cmd.animate.needImage')),
      prompt: z.string({ error: t(locale, 'input.promptEmpty') }),
      motion: z.preprocess((v) => (typeof v === 'string' ? v.toLowerCase() : v), z.enum(MOTIONS, { error: t(locale, 'cmd.animate.badMotion') }).optional()),
    });
    const parsed = parseInput(schema, input, locale);
    if (!parsed.ok) return parsed.reply;
    const cleaned = cleanPromptInput(parsed.data.prompt, locale);
    if (!cleaned.ok) return cleaned.reply;
    const inline = paramValue(cleaned.prompt, 'motion');
    if (inline !== undefined && !isMotion(inline)) return badInput(t(locale, 'cmd.animate.badMotion'));
    const motion = inline ?? parsed.data.motion ?? 'low';
    const prompt = removeParam(cleaned.prompt, 'motion');
    if (!prompt) return badInput(t(locale, 'input.promptEmpty'));
    const display = t(locale, motion === 'high' ? 'cmd.animate.displayHigh' : 'cmd.animate.displayLow', { prompt });
    return service.submit(origin, { kind: 'video', image: parsed.data.image.bytes, prompt, motion }, display);
  },
} satisfies Command;
