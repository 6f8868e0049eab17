/**
 * /queue and /admin through the façade: every admin operation checks the actor here, in one
 * place, and reads the access book only when access control is on (undefined otherwise).
 */
import { BotError } from '../../errors.js';
import { formatChatQueue, formatRunning, formatStats } from '../access/format.js';
import type { Locale, Origin } from '../domain/types.js';
import type { ServiceContext } from './context.js';
import { isBotAdmin } from './visibility.js';

export function isAdmin(ctx: ServiceContext, origin: Origin): boolean {
  return isBotAdmin(ctx.config, origin);
}

function requireAdmin(ctx: ServiceContext, origin: Origin): void {
  if (!isAdmin(ctx, origin)) throw new BotError('FORBIDDEN', 'admin only');
}

/** Who is drawing what where `origin` is scheduled, and who waits. */
export async function queueReport(ctx: ServiceContext, origin: Origin, locale: Locale): Promise<string | undefined> {
  if (!ctx.access) return undefined;
  return formatChatQueue(await ctx.access.chatQueue(origin.chat), locale, (id) => ctx.records.get(id));
}

export async function adminReport(ctx: ServiceContext, origin: Origin, what: 'stats' | 'running', locale: Locale): Promise<string | undefined> {
  requireAdmin(ctx, origin);
  if (!ctx.access) return undefined;
  if (what === 'stats') return formatStats(await ctx.access.stats(), locale);
  return formatRunning(await ctx.access.running(), locale, (id) => ctx.records.get(id), ctx.now());
}

export type AdminChange = { kind: 'block'; user: string } | { kind: 'unblock'; user: string } | { kind: 'grant'; user: string; n: number };

export type AdminOutcome = { kind: 'blocked' } | { kind: 'unblocked'; was: boolean } | { kind: 'granted'; extra: number; used: number };

export async function adminChange(ctx: ServiceContext, origin: Origin, change: AdminChange): Promise<AdminOutcome | undefined> {
  requireAdmin(ctx, origin);
  const access = ctx.access;
  if (!access) return undefined;
  switch (change.kind) {
    case 'block':
      await access.block(change.user, `${origin.chat.platform}:${origin.actor.userId}`);
      return { kind: 'blocked' };
    case 'unblock':
      return { kind: 'unblocked', was: await access.unblock(change.user) };
    case 'grant': {
      const extra = await access.grant(change.user, change.n);
      const { used } = await access.usage(change.user);
      return { kind: 'granted', extra, used };
    }
  }
}
