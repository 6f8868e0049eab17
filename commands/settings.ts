/**
 * /settings — the user's defaults as a button menu (speed, Midjourney/Niji, aspect ratio, version,
 * language). Text works too: `settings mode relax`, `settings ar 16:9 lang zh`. The menu's
 * buttons are the bot's own ('st' payloads), declared here and answered with the refreshed menu.
 */
import { z } from 'zod';
import { t } from '../src/core/domain/i18n/index.js';
import type { InternalHandler, MjService } from '../src/core/service/service.js';
import type { UserSettings } from '../src/core/domain/settings.js';
import type { ButtonView, Locale, Origin, Reply } from '../src/core/domain/types.js';
import { badInput, localized, parseInput } from './shared.js';
import type { Command } from './types.js';

type Field = 'mode' | 'bot' | 'ar' | 'v' | 'lang';

const VALUES: Record<Field, readonly string[]> = {
  mode: ['fast', 'relax', 'turbo'],
  bot: ['mj', 'niji'],
  ar: ['1:1', '2:3', '3:2', '16:9', '9:16', 'clear'],
  v: ['7', '6.1', 'default'],
  lang: ['en', 'zh'],
};

const FIELD_ALIASES: Record<string, Field> = {
  mode: 'mode', speed: 'mode', bot: 'bot', ar: 'ar', aspect: 'ar', ratio: 'ar', v: 'v', version: 'v', lang: 'lang', language: 'lang', locale: 'lang',
};

const VALUE_ALIASES: Record<string, string> = { midjourney: 'mj', none: 'clear', auto: 'clear', off: 'clear', 中文: 'zh', english: 'en' };

/** Normalise a typed or payload value; undefined when the field does not take it. */
function normalise(field: Field, raw: string): string | undefined {
  let value = raw.toLowerCase();
  if (field === 'ar') value = value.replace(/[x：∶]/g, ':');
  if (field === 'v') value = value.replace(/^v(?=\d)/, '');
  value = VALUE_ALIASES[value] ?? value;
  if (field === 'v' && value === 'clear') value = 'default';
  return VALUES[field].includes(value) ? value : undefined;
}

function patchFor(field: Field, value: string): Partial<UserSettings> {
  switch (field) {
    case 'mode':
      return { mode: value as UserSettings['mode'] };
    case 'bot':
      return { bot: value as UserSettings['bot'] };
    case 'ar':
      return { aspect: value === 'clear' ? undefined : value };
    case 'v':
      return { version: value === 'default' ? undefined : value };
    case 'lang':
      return { locale: value as Locale };
  }
}

function isCurrent(settings: UserSettings, field: Field, value: string): boolean {
  switch (field) {
    case 'mode':
      return settings.mode === value;
    case 'bot':
      return settings.bot === value;
    case 'ar':
      return (settings.aspect ?? 'clear') === value;
    case 'v':
      return (settings.version ?? 'default') === value;
    case 'lang':
      return settings.locale === value;
  }
}

function buttonLabel(field: Field, value: string, locale: Locale): string {
  if (field === 'mode' || field === 'bot' || field === 'lang') return t(locale, `cmd.settings.${field}.${value}`);
  if (field === 'ar') return value === 'clear' ? t(locale, 'cmd.settings.arClear') : value;
  return value === 'default' ? t(locale, 'cmd.settings.vDefault') : `V ${value}`;
}

/** Rows: speed · bot and language · ratios · "any ratio" and versions (≤ 5 per row for Discord). */
const LAYOUT: [Field, string][][] = [
  VALUES.mode.map((v) => ['mode', v]),
  [...VALUES.bot.map((v): [Field, string] => ['bot', v]), ...VALUES.lang.map((v): [Field, string] => ['lang', v])],
  VALUES.ar.filter((v) => v !== 'clear').map((v) => ['ar', v]),
  [['ar', 'clear'], ...VALUES.v.map((v): [Field, string] => ['v', v])],
];

/** The current settings as text plus the menu buttons (current choices marked ✓ and primary). */
export async function settingsMenu(service: MjService, origin: Origin, note?: string): Promise<Extract<Reply, { type: 'message' }>> {
  const settings = await service.settingsOf(origin);
  const locale = settings.locale ?? origin.actor.locale;
  const unset = t(locale, 'cmd.settings.unset');
  const lines = [
    ...(note ? [note] : []),
    t(locale, 'cmd.settings.title'),
    t(locale, 'cmd.settings.mode', { value: settings.mode ? buttonLabel('mode', settings.mode, locale) : t(locale, 'cmd.settings.proxyDefault') }),
    t(locale, 'cmd.settings.bot', { value: buttonLabel('bot', settings.bot, locale) }),
    t(locale, 'cmd.settings.aspect', { value: settings.aspect ?? unset }),
    t(locale, 'cmd.settings.version', { value: settings.bot === 'niji' ? '—' : (settings.version ?? unset) }),
    t(locale, 'cmd.settings.lang', { value: buttonLabel('lang', locale, locale) }),
    '',
    t(locale, 'cmd.settings.footer'),
  ];
  const rows: ButtonView[][] = LAYOUT.map((row) =>
    row.map(([field, value]) => {
      const current = isCurrent(settings, field, value);
      const label = buttonLabel(field, value, locale);
      return {
        // ':' is not allowed in internal args; ratios travel as "16x9".
        payload: service.buttonPayload('st', [field, value.replace(':', 'x')]),
        label: current ? `✓ ${label}` : label,
        style: current ? 'primary' : 'secondary',
      };
    }),
  );
  return { type: 'message', text: lines.join('\n'), rows };
}

/** Apply `field value` pairs; returns an error text for the first bad one. */
async function applyPairs(service: MjService, origin: Origin, words: string[], locale: Locale): Promise<string | undefined> {
  if (words.length % 2 !== 0) return t(locale, 'cmd.settings.usage');
  const patch: Partial<UserSettings> = {};
  for (let i = 0; i < words.length; i += 2) {
    const field = FIELD_ALIASES[(words[i] ?? '').toLowerCase()];
    if (!field) return t(locale, 'cmd.settings.usage');
    const value = normalise(field, words[i + 1] ?? '');
    if (value === undefined) return `${t(locale, 'cmd.settings.badValue', { field, value: words[i + 1] })}\n${t(locale, 'cmd.settings.usage')}`;
    Object.assign(patch, patchFor(field, value));
  }
  await service.updateSettings(origin, patch);
  return undefined;
}

/** A press on a menu button ('st' payloads): save the choice, show the refreshed menu. */
const pressSetting: InternalHandler = async (args, origin, service) => {
  const locale = await service.localeOf(origin);
  const [field, value = ''] = args;
  const known = field && field in VALUES ? (field as Field) : undefined;
  const normalised = known ? normalise(known, value) : undefined;
  if (!known || normalised === undefined) return badInput(t(locale, 'cmd.settings.usage'));
  await service.updateSettings(origin, patchFor(known, normalised));
  return { ...(await settingsMenu(service, origin)), ephemeral: true, replace: true };
};

export default {
  name: 'settings',
  description: localized('cmd.settings.description'),
  options: [{ name: 'args', type: 'string', required: false, maxLength: 100, description: localized('cmd.settings.args') }],
  textOption: 'args',
  buttons: { st: pressSetting },
  async execute(input, { service, origin, locale }) {
    const usage = t(locale, 'cmd.settings.usage');
    const parsed = parseInput(z.object({ args: z.string({ error: usage }).max(100, { error: usage }).optional() }), input, locale);
    if (!parsed.ok) return parsed.reply;
    const raw = parsed.data.args?.trim() ?? '';
    if (!raw) return { ...(await settingsMenu(service, origin)), ephemeral: true };
    const error = await applyPairs(service, origin, raw.split(/\s+/), locale);
    if (error) return badInput(error);
    const after = await service.localeOf(origin);
    return { ...(await settingsMenu(service, origin, `✅ ${t(after, 'cmd.settings.saved')}`)), ephemeral: true };
  },
} satisfies Command;
