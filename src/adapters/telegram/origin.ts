/** Telegram chats, users and command texts as the neutral core sees them. */
import type { Chat, User } from 'grammy/types';
import { toLocale } from '../../core/domain/i18n/index.js';
import type { Actor, ChatRef, Locale, Origin } from '../../core/domain/types.js';

export function chatRef(chat: Pick<Chat, 'id' | 'type'>): ChatRef {
  return { platform: 'telegram', chatId: String(chat.id), isGroup: chat.type !== 'private' };
}

/** "First Last", or @username when a user has no name (rare). */
export function displayName(user: Pick<User, 'first_name' | 'last_name' | 'username' | 'id'>): string {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ').trim();
  return name || (user.username ? `@${user.username}` : String(user.id));
}

export function actorOf(user: User, fallback: Locale): Actor {
  return { userId: String(user.id), name: displayName(user), locale: toLocale(user.language_code, fallback) };
}

export function originOf(chat: Pick<Chat, 'id' | 'type'>, user: User, replyTo: number | undefined, fallback: Locale): Origin {
  return { chat: chatRef(chat), actor: actorOf(user, fallback), replyTo: replyTo === undefined ? undefined : String(replyTo) };
}

export interface ParsedCommand {
  name: string;
  /** Text after the command (trimmed). */
  rest: string;
}

/**
 * `/name args` or `/name@botname args` at the very start of a text or caption. Commands
 * addressed to another bot (`/imagine@other_bot`) are not ours.
 */
export function parseCommand(text: string | undefined, botUsername: string): ParsedCommand | undefined {
  if (!text) return undefined;
  const match = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{3,64}))?(?=\s|$)([\s\S]*)$/.exec(text);
  if (!match) return undefined;
  const [, name = '', target, rest = ''] = match;
  if (target && target.toLowerCase() !== botUsername.toLowerCase()) return undefined;
  return { name: name.toLowerCase(), rest: rest.trim() };
}
