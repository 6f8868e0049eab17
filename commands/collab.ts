/** /collab on|off — chat admins let anyone in the chat press any result's buttons. */
import { t } from '../src/core/domain/i18n/index.js';
import { textOf } from './shared.js';
import type { Command } from './types.js';

const ON = new Set(['on', 'true', 'yes', '1', '开', '开启']);
const OFF = new Set(['off', 'false', 'no', '0', '关', '关闭']);

export default {
  name: 'collab',
  description: { en: t('en', 'collab.description'), zh: t('zh', 'collab.description') },
  options: [
    {
      name: 'args',
      type: 'choice',
      required: false,
      description: { en: t('en', 'collab.argDescription'), zh: t('zh', 'collab.argDescription') },
      choices: [
        { value: 'on', name: { en: 'on', zh: '开启' } },
        { value: 'off', name: { en: 'off', zh: '关闭' } },
      ],
    },
  ],
  textOption: 'args',
  needsChatAdmin: true,
  async execute(input, { service, origin, locale }) {
    const arg = textOf(input.args).trim().toLowerCase();
    const wanted = ON.has(arg) ? true : OFF.has(arg) ? false : undefined;
    if (wanted === undefined) {
      const current = await service.isCollaborative(origin.chat);
      return { type: 'message', text: `${t(locale, current ? 'collab.on' : 'collab.off')}\n${t(locale, 'collab.usage')}`, ephemeral: true };
    }
    if (!origin.actor.isChatAdmin && !service.isAdmin(origin)) {
      return { type: 'error', code: 'FORBIDDEN', text: t(locale, 'collab.adminsOnly') };
    }
    await service.setCollaborative(origin.chat, wanted);
    return { type: 'message', text: t(locale, wanted ? 'collab.on' : 'collab.off') };
  },
} satisfies Command;
