/** /history — your last 20 jobs in every chat, with a button per job that shows it again here. */
import { t } from '../src/core/domain/i18n/index.js';
import type { ButtonView, Locale } from '../src/core/domain/types.js';
import { localized } from './shared.js';
import type { Command } from './types.js';

const LIMIT = 20;
const PER_ROW = 5;

function ago(locale: Locale, ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 60) return t(locale, 'cmd.history.minutes', { n: minutes });
  if (minutes < 48 * 60) return t(locale, 'cmd.history.hours', { n: Math.round(minutes / 60) });
  return t(locale, 'cmd.history.days', { n: Math.round(minutes / 1440) });
}

const clip = (text: string, max = 60) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export default {
  name: 'history',
  description: localized('cmd.history.description'),
  options: [],
  async execute(_input, { service, origin, locale }) {
    const items = await service.history(origin, locale, LIMIT);
    if (items.length === 0) return { type: 'message', text: t(locale, 'cmd.history.empty'), ephemeral: true };
    const now = Date.now();
    const lines = items.map((item, i) =>
      t(locale, 'cmd.history.line', { i: i + 1, headline: item.view.headline, prompt: clip(item.view.prompt), when: ago(locale, now - item.submittedAt), where: `${item.here ? '' : t(locale, 'cmd.history.elsewhere')}${item.undelivered ? t(locale, 'cmd.history.undelivered') : ''}` }),
    );
    // The numbers reopen a job here (its card, with buttons for its owner): the /task buttons.
    const buttons: ButtonView[] = items.map((item, i) => ({ payload: service.buttonPayload('tk', [item.taskId]), label: String(i + 1), style: 'secondary' }));
    const rows: ButtonView[][] = [];
    for (let i = 0; i < buttons.length; i += PER_ROW) rows.push(buttons.slice(i, i + PER_ROW));
    return { type: 'message', text: [t(locale, 'cmd.history.title', { n: items.length }), ...lines].join('\n'), rows, ephemeral: true };
  },
} satisfies Command;
