/** Who may use the bot where: admins and allowlists from config (pure, no state). */
import type { Config } from '../../config.js';
import type { Origin } from '../domain/types.js';
import { userKey } from './keys.js';

export type AccessConfig = Pick<Config, 'ADMIN_USERS' | 'ALLOW_USERS' | 'ALLOW_CHATS' | 'ALLOW_GUILDS' | 'ALLOW_CHANNELS'>;

/** Bot admins (ADMIN_USERS) are exempt from allowlists, quotas and caps. */
export function isBotAdmin(config: Pick<Config, 'ADMIN_USERS'>, origin: Origin): boolean {
  return config.ADMIN_USERS.includes(userKey(origin));
}

/**
 * Allowlists: with all of them empty everyone passes; otherwise the request must match at
 * least one (a listed user anywhere, or anyone in a listed chat, guild or channel).
 */
export function isAllowed(config: AccessConfig, origin: Origin): boolean {
  const { ALLOW_USERS, ALLOW_CHATS, ALLOW_GUILDS, ALLOW_CHANNELS } = config;
  if (!ALLOW_USERS.length && !ALLOW_CHATS.length && !ALLOW_GUILDS.length && !ALLOW_CHANNELS.length) return true;
  const { chat } = origin;
  if (ALLOW_USERS.includes(userKey(origin))) return true;
  if (ALLOW_CHATS.includes(`${chat.platform}:${chat.chatId}`)) return true;
  if (chat.platform === 'discord') {
    if (chat.guildId && ALLOW_GUILDS.includes(chat.guildId)) return true;
    if (ALLOW_CHANNELS.includes(chat.chatId)) return true;
  }
  return false;
}
