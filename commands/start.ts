/** /start (hidden; Telegram sends it first) — a welcome line and the help. */
import { t } from '../src/core/domain/i18n/index.js';
import { helpText } from './help.js';
import { localized } from './shared.js';
import type { Command } from './types.js';

export default {
  name: 'start',
  description: localized('cmd.start.description'),
  options: [],
  hidden: true,
  async execute(_input, { locale, commands }) {
    return { type: 'message', text: `${t(locale, 'cmd.start.welcome')}\n\n${helpText(locale, commands)}` };
  },
} satisfies Command;
