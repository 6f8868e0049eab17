/**
 * Helpers shared by the command handlers: zod parsing into localized BAD_INPUT replies, prompt
 * hygiene, and the user's defaults.
 */
import { z } from 'zod';
import { t } from '../src/core/domain/i18n/index.js';
import { cleanPrompt } from '../src/core/domain/prompt.js';
import type { UserSettings } from '../src/core/domain/settings.js';
import type { Locale, Reply } from '../src/core/domain/types.js';
import type { BotType } from '../src/mj/schemas.js';
import type { CommandInput, Localized } from './types.js';

/** Both languages of a dictionary key (command and option descriptions). */
export function localized(key: string): Localized {
  return { en: t('en', key), zh: t('zh', key) };
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; reply: Reply };

/** A localized BAD_INPUT error reply. */
export function badInput(text: string): Reply {
  return { type: 'error', code: 'BAD_INPUT', text };
}

/** safeParse `input`; on failure answer with the first issue's (localized) message. */
export function parseInput<T extends z.ZodType>(schema: T, input: CommandInput, locale: Locale): Parsed<z.output<T>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const message = result.error.issues[0]?.message;
  return { ok: false, reply: badInput(message || t(locale, 'cmd.badInput')) };
}

/** An attached image; `error` is the message for anything else. */
export function imageSchema(error: string) {
  return z.object({ bytes: z.instanceof(Uint8Array, { error }), name: z.string().optional() }, { error });
}

/** Exactly one image (an album gives its first). */
export function singleImage(error: string) {
  return z.preprocess((value) => (Array.isArray(value) ? value[0] : value), imageSchema(error));
}

/** Adapters pass one image or a list; commands always see a list. */
export function imageList(locale: Locale) {
  const error = t(locale, 'cmd.notAnImage');
  return z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(imageSchema(error), { error }));
}

/** A free-text option as text ('' for anything else: adapters only send strings and numbers). */
export function textOf(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/** An optional free-text option (numbers from adapters are accepted as text). */
export const optionalText = z.preprocess((value) => (typeof value === 'number' ? String(value) : value), z.string().optional());

/** Prompt hygiene (trim, `—` → `--`, length cap, not empty) with localized messages. */
export function cleanPromptInput(raw: string | undefined, locale: Locale): { ok: true; prompt: string } | { ok: false; reply: Reply } {
  const cleaned = cleanPrompt(raw);
  if (cleaned.ok) return cleaned;
  return { ok: false, reply: badInput(t(locale, cleaned.reason === 'empty' ? 'input.promptEmpty' : 'input.promptTooLong', { max: cleaned.max })) };
}


export function botTypeOf(settings: UserSettings): BotType {
  return settings.bot === 'niji' ? 'NIJI_JOURNEY' : 'MID_JOURNEY';
}
