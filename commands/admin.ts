/**
 * /admin — bot admins only (ADMIN_USERS): `stats`, `running`, `block <platform:userId>`,
 * `unblock <platform:userId>`, `grant <platform:userId> <n>` (extra drawings; negative takes away).
 */
import { parseUserKey } from '../src/core/access/keys.js';
import { t } from '../src/core/domain/i18n/index.js';
import type { Locale, Origin, Reply } from '../src/core/domain/types.js';
import type { MjService } from '../src/core/service/service.js';
import { textOf } from './shared.js';
import type { Command } from './types.js';

const MAX_GRANT = 10_000;

export default {
  name: 'admin',
  description: { en: t('en', 'admin.description'), zh: t('zh', 'admin.description') },
  options: [
    {
      name: 'args',
      type: 'string',
      required: false,
      maxLength: 200,
      description: { en: t('en', 'admin.argDescription'), zh: t('zh', 'admin.argDescription') },
    },
  ],
  textOption: 'args',
  async execute(input, { service, origin, locale }) {
    if (!service.isAdmin(origin)) return { type: 'error', code: 'FORBIDDEN', text: t(locale, 'admin.only') };
    const [sub = '', ...rest] = textOf(input.args).trim().split(/\s+/);
    const text = await run(sub.toLowerCase(), rest, service, origin, locale);
    return { type: 'message', text: text ?? t(locale, 'access.off'), ephemeral: true } satisfies Reply;
  },
} satisfies Command;

/** The answer's text; undefined when access control is off. */
async function run(sub: string, args: string[], service: MjService, origin: Origin, locale: Locale): Promise<string | undefined> {
  if (sub === 'stats' || sub === 'running') return service.adminReport(origin, sub, locale);
  if (sub !== 'block' && sub !== 'unblock' && sub !== 'grant') return t(locale, 'admin.usage');
  const raw = args[0] ?? '';
  const user = parseUserKey(raw);
  if (!user) return raw ? t(locale, 'admin.badUser', { user: raw }) : t(locale, 'admin.usage');
  if (sub === 'block') return (await service.adminChange(origin, { kind: 'block', user })) && t(locale, 'admin.blocked', { user });
  if (sub === 'unblock') {
    const outcome = await service.adminChange(origin, { kind: 'unblock', user });
    return outcome?.kind === 'unblocked' ? t(locale, outcome.was ? 'admin.unblocked' : 'admin.notBlocked', { user }) : undefined;
  }
  const amount = args[1] ?? '';
  const n = /^-?\d{1,5}$/.test(amount) ? Number(amount) : Number.NaN;
  if (!Number.isInteger(n) || Math.abs(n) > MAX_GRANT) return t(locale, 'admin.badAmount', { n: amount });
  const outcome = await service.adminChange(origin, { kind: 'grant', user, n });
  return outcome?.kind === 'granted' ? t(locale, 'admin.granted', { user, n, extra: outcome.extra, used: outcome.used }) : undefined;
}
