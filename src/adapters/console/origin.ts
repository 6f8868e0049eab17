/** The console's one user and chat, as the neutral core sees them. */
import { userInfo } from 'node:os';
import type { Locale, Origin } from '../../core/domain/types.js';

export function consoleOrigin(userName: string, locale: Locale): Origin {
  return {
    chat: { platform: 'console', chatId: 'console', isGroup: false },
    actor: { userId: 'console', name: userName, locale },
  };
}

/** The login name, or "console" where the system cannot tell. */
export function safeUserName(): string {
  try {
    return userInfo().username || 'console';
  } catch {
    return 'console';
  }
}
