/**
 * /imagine — draw from a prompt, with up to 3 reference images. Beside the prompt: aspect ratio,
 * model (Midjourney versions, Niji) and speed as choices (Discord shows them; elsewhere the same
 * comes from /settings and inline parameters). What the prompt itself says always wins — an
 * `--ar`, `--v`/`--niji` or `--relax` in it — then the choice, then the user's /settings default.
 */
import { z } from 'zod';
import { t } from '../src/core/domain/i18n/index.js';
import { applyDefaults, MAX_PROMPT_LENGTH, speedFlag } from '../src/core/domain/prompt.js';
import { SPEED_MODES } from '../src/mj/schemas.js';
import { botTypeOf, cleanPromptInput, imageList, imageSchema, localized, parseInput } from './shared.js';
import type { Command } from './types.js';

const MAX_REFERENCES = 3;

export const ASPECT_RATIOS = ['1:1', '2:3', '3:2', '16:9', '9:16'] as const;

/** Model choices: a Midjourney version, or Niji (its bot, and its version). */
const MODELS: Record<string, { version?: string; niji?: string }> = {
  v7: { version: '7' },
  'v6.1': { version: '6.1' },
  niji6: { niji: '6' },
};

const ASPECT_NAMES: Record<(typeof ASPECT_RATIOS)[number], string> = {
  '1:1': 'cmd.imagine.arSquare',
  '2:3': 'cmd.imagine.arPortrait',
  '3:2': 'cmd.imagine.arLandscape',
  '16:9': 'cmd.imagine.arWide',
  '9:16': 'cmd.imagine.arTall',
};

const choice = (values: readonly string[], error: string) =>
  z.preprocess((v) => (typeof v === 'string' ? v.toLowerCase() : v), z.enum(values as [string, ...string[]], { error }).optional());

export default {
  name: 'imagine',
  description: localized('cmd.imagine.description'),
  options: [
    { name: 'prompt', type: 'string', required: true, maxLength: MAX_PROMPT_LENGTH, description: localized('cmd.imagine.prompt') },
    { name: 'images', type: 'images', required: false, min: 0, max: MAX_REFERENCES, description: localized('cmd.imagine.images') },
    {
      name: 'ar',
      type: 'choice',
      required: false,
      description: localized('cmd.imagine.ar'),
      choices: ASPECT_RATIOS.map((ratio) => ({ value: ratio, name: { en: `${t('en', ASPECT_NAMES[ratio])} ${ratio}`, zh: `${t('zh', ASPECT_NAMES[ratio])} ${ratio}` } })),
    },
    {
      name: 'model',
      type: 'choice',
      required: false,
      description: localized('cmd.imagine.model'),
      choices: [
        { value: 'v7', name: { en: 'Midjourney V7', zh: 'Midjourney V7' } },
        { value: 'v6.1', name: { en: 'Midjourney V6.1', zh: 'Midjourney V6.1' } },
        { value: 'niji6', name: localized('cmd.imagine.niji6') },
      ],
    },
    {
      name: 'speed',
      type: 'choice',
      required: false,
      description: localized('cmd.imagine.speed'),
      choices: SPEED_MODES.map((mode) => ({ value: mode, name: localized(`cmd.settings.mode.${mode}`) })),
    },
  ],
  textOption: 'prompt',
  async execute(input, { service, origin, locale }) {
    const schema = z.object({
      prompt: z.string({ error: t(locale, 'input.promptEmpty') }),
      images: imageList(locale).pipe(z.array(imageSchema(t(locale, 'cmd.notAnImage'))).max(MAX_REFERENCES, { error: t(locale, 'cmd.imagine.tooManyImages', { max: MAX_REFERENCES }) })),
      ar: choice(ASPECT_RATIOS, t(locale, 'cmd.imagine.badChoice')),
      model: choice(Object.keys(MODELS), t(locale, 'cmd.imagine.badChoice')),
      speed: choice(SPEED_MODES, t(locale, 'cmd.imagine.badChoice')),
    });
    const parsed = parseInput(schema, input, locale);
    if (!parsed.ok) return parsed.reply;
    const cleaned = cleanPromptInput(parsed.data.prompt, locale);
    if (!cleaned.ok) return cleaned.reply;
    const settings = await service.settingsOf(origin);
    const model = parsed.data.model ? MODELS[parsed.data.model] : undefined;
    // Niji is chosen by botType; a Midjourney version would contradict it.
    const niji = model ? model.niji !== undefined : settings.bot === 'niji';
    const prompt = applyDefaults(cleaned.prompt, {
      aspect: parsed.data.ar ?? settings.aspect,
      version: niji ? undefined : (model?.version ?? settings.version),
      niji: model?.niji,
    });
    const images = parsed.data.images.map((image) => image.bytes);
    // An inline --fast/--relax/--turbo also picks the relay's mode path, like the speed choice.
    const mode = speedFlag(prompt) ?? (parsed.data.speed as (typeof SPEED_MODES)[number] | undefined);
    return service.submit(origin, { kind: 'imagine', prompt, images, botType: botTypeOf({ ...settings, bot: niji ? 'niji' : 'mj' }), mode }, prompt);
  },
} satisfies Command;
