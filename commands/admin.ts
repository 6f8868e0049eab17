/**
 * /admin — bot admins only (ADMIN_USERS): `stats`, `running`, `block <platform:userId>`,
 * `unblock <platform:userId>`, `grant <platform:userId> <n>` (extra drawings; negative takes away).
 */
import { accessGateOf, formatRunning, formatStats, isBotAdmin, parseUserKey, type AccessGate } from '../src/core/access/index.js';
import { t } from '../src/core/domain/i18n/index.js';
import type { Locale, Origin, Reply } from '../src/core/domain/types.js';
import type { MjService } from '../src/core/service/service.js';
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
    if (!isBotAdmin(service.deps.config, origin)) return { type: 'error', code: 'FORBIDDEN', text: t(locale, 'admin.only') };
    const gate = accessGateOf(service.gate);
    if (!gate) return { type: 'message', text: t(locale, 'access.off'), ephemeral: true };
    const [sub = '', ...rest] = String(input.args ?? '').trim().split(/\s+/);
    const text = await run(sub.toLowerCase(), rest, { gate, service, origin, locale });
    return { type: 'message', text, ephemeral: true } satisfies Reply;
  },
} satisfies Command;

interface AdminContext {
  gate: AccessGate;
  service: MjService;
  origin: Origin;
  locale: Locale;
}

async function run(sub: string, args: string[], { gate, service, origin, locale }: AdminContext): Promise<string> {
  const lookup = (id: string) => service.records.get(id);
  if (sub === 'stats') return formatStats(await gate.stats(), locale);
  if (sub === 'running') return formatRunning(await gate.running(), locale, lookup, service.now());
  if (sub !== 'block' && sub !== 'unblock' && sub !== 'grant') return t(locale, 'admin.usage');
  const raw = args[0] ?? '';
  const user = parseUserKey(raw);
  if (!user) return raw ? t(locale, 'admin.badUser', { user: raw }) : t(locale, 'admin.usage');
  if (sub === 'block') {
    await gate.block(user, `${origin.chat.platform}:${origin.actor.userId}`);
    return t(locale, 'admin.blocked', { user });
  }
  if (sub === 'unblock') return t(locale, (await gate.unblock(user)) ? 'admin.unblocked' : 'admin.notBlocked', { user });
  const amount = args[1] ?? '';
  const n = /^-?\d{1,5}$/.test(amount) ? Number(amount) : Number.NaN;
  if (!Number.isInteger(n) || Math.abs(n) > MAX_GRANT) return t(locale, 'admin.badAmount', { n: amount });
  const extra = await gate.grant(user, n);
  const { used } = await gate.usage(user);
  return t(locale, 'admin.granted', { user, n, extra, used });
}
