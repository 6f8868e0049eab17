/** Who may press a task's buttons and answer its forms. */
import type { ChatRef, Origin } from '../domain/types.js';
import type { ServiceConfig } from './context.js';

export interface OwnershipDeps {
  config: Pick<ServiceConfig, 'ADMIN_USERS' | 'OWNER_ONLY_BUTTONS'>;
  isCollaborative(chat: ChatRef): Promise<boolean>;
}

/** Requester only in groups unless the chat is collaborative; bot admins always. */
export async function mayAct(deps: OwnershipDeps, owner: { userId: string }, chat: ChatRef, origin: Origin): Promise<boolean> {
  if (owner.userId === origin.actor.userId) return true;
  if (deps.config.ADMIN_USERS.includes(`${origin.chat.platform}:${origin.actor.userId}`)) return true;
  if (!deps.config.OWNER_ONLY_BUTTONS) return true;
  return deps.isCollaborative(chat);
}
