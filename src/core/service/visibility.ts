/**
 * The visibility rule, in one place. A task's prompt, image and buttons are shown only in the
 * chat it was drawn in, or to its owner (same platform and user id) in any chat; bot admins see
 * everything. Pressing needs more: the owner, an admin, or — in the task's own chat only — anyone
 * when buttons are not owner-only or the chat is collaborative. Forms follow the same rule.
 */
import type { Actor, ChatRef, Origin } from '../domain/types.js';
import type { Config } from '../../config.js';

/** Something that belongs to a user in a chat: a task record, a form. */
export interface Owned {
  owner: Pick<Actor, 'userId'>;
  chat: ChatRef;
}

export interface VisibilityDeps {
  config: Pick<Config, 'ADMIN_USERS' | 'OWNER_ONLY_BUTTONS'>;
  isCollaborative(chat: ChatRef): Promise<boolean>;
}

export function sameChat(a: Pick<ChatRef, 'platform' | 'chatId'>, b: Pick<ChatRef, 'platform' | 'chatId'>): boolean {
  return a.platform === b.platform && a.chatId === b.chatId;
}

/** The owner is a user id on the task's own platform: equal ids on two platforms are two people. */
export function isOwner(item: Owned, origin: Origin): boolean {
  return item.chat.platform === origin.chat.platform && item.owner.userId === origin.actor.userId;
}

export function isBotAdmin(config: Pick<Config, 'ADMIN_USERS'>, origin: Origin): boolean {
  return config.ADMIN_USERS.includes(`${origin.chat.platform}:${origin.actor.userId}`);
}

/** May `origin` see the item's prompt, image and buttons? */
export function maySee(deps: VisibilityDeps, item: Owned, origin: Origin): boolean {
  return sameChat(item.chat, origin.chat) || isOwner(item, origin) || isBotAdmin(deps.config, origin);
}

/** May `origin` press the item's buttons (or answer its form)? */
export async function mayPress(deps: VisibilityDeps, item: Owned, origin: Origin): Promise<boolean> {
  if (isOwner(item, origin) || isBotAdmin(deps.config, origin)) return true;
  if (!sameChat(item.chat, origin.chat)) return false;
  return !deps.config.OWNER_ONLY_BUTTONS || (await deps.isCollaborative(item.chat));
}
