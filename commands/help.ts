/** /help — the commands in the user's language and how buttons and forms work. */
import { t } from '../src/core/domain/i18n/index.js';
import type { Locale } from '../src/core/domain/types.js';
import { localized } from './shared.js';
import type { Command } from './types.js';

/** The help text for the commands an adapter serves. */
export function helpText(locale: Locale, commands: readonly Command[]): string {
  const lines = commands.filter((c) => !c.hidden).map((c) => t(locale, 'cmd.help.line', { name: c.name, description: c.description[locale] }));
  return [t(locale, 'cmd.help.title'), ...lines, '', t(locale, 'cmd.help.buttons'), t(locale, 'cmd.help.forms'), t(locale, 'cmd.help.images')].join('\n');
}

export default {
  name: 'help',
  description: localized('cmd.help.description'),
  options: [],
  async execute(_input, { locale, commands }) {
    return { type: 'message', text: helpText(locale, commands) };
  },
} satisfies Command;
