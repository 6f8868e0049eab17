/**
 * Naming and time helpers for access control. Everything lives in the store's 'meta'
 * namespace under `access:` so several processes on one store share it.
 */
import type { ChatRef, Origin, Platform } from '../domain/types.js';

/** `platform:userId`, the form ADMIN_USERS / ALLOW_USERS / `/admin` use. */
export function userKeyOf(platform: Platform, userId: string): string {
  return `${platform}:${userId}`;
}

export function userKey(origin: Origin): string {
  return userKeyOf(origin.chat.platform, origin.actor.userId);
}

/** Where the per-chat running cap applies: a Discord guild as a whole, otherwise the chat itself. */
export function scopeOf(chat: ChatRef): string {
  return chat.platform === 'discord' && chat.guildId ? `discord:guild:${chat.guildId}` : `${chat.platform}:${chat.chatId}`;
}

/** `platform:chatId` (for display and per-chat lists such as the gallery). */
export function chatKeyOf(chat: Pick<ChatRef, 'platform' | 'chatId'>): string {
  return `${chat.platform}:${chat.chatId}`;
}

/** A `platform:userId` typed by an admin, or undefined if it is not one. */
export function parseUserKey(text: string): string | undefined {
  return /^(telegram|discord|console):[A-Za-z0-9_.-]{1,64}$/.test(text) ? text : undefined;
}

export const DAY_MS = 24 * 3600_000;

/** The UTC day, e.g. "2024-05-01" (quotas reset at UTC midnight). */
export function dayOf(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

/** The next UTC midnight after `now`. */
export function nextResetAt(now: number): number {
  return (Math.floor(now / DAY_MS) + 1) * DAY_MS;
}

export const keys = {
  used: (day: string, user: string) => `access:used:${day}:${user}`,
  extra: (user: string) => `access:extra:${user}`,
  blocked: (user: string) => `access:blocked:${user}`,
  /** A day's statistics as one document (earlier versions; still read), and its shards (usage.ts). */
  stats: (day: string) => `access:stats:${day}`,
  statsShard: (day: string, shard: number) => `access:stats:${day}:${shard}`,
  done: (taskId: string) => `access:done:${taskId}`,
  gallery: (chatKey: string) => `access:gallery:${chatKey}`,
  /** The single-document admission book of earlier versions (migrated into lines at start, lines.ts). */
  book: 'access:book',
  /** The scopes where a user has jobs in flight (their chats' lines are kept in the `line` namespace). */
  linesOf: (user: string) => `access:lines-of:${user}`,
  /** A job's own data while it has not reached the proxy (so a restart can still run it). */
  job: (id: string) => `access:job:${id}`,
  /** Present while the process with this instance id is alive (refreshed, with a TTL). */
  alive: (instance: string) => `access:alive:${instance}`,
};
