/** What the Telegram adapter's parts share, and small helpers around Telegram's error texts. */
import { GrammyError, type Api } from 'grammy';
import type { Logger } from '../../log.js';
import type { KeyValue } from '../../core/domain/ports.js';
import { RECORD_TTL_MS } from '../../core/domain/records.js';
import type { ChatRef, Locale } from '../../core/domain/types.js';
import type { MjService } from '../../core/service/service.js';
import type { ChatBudget } from './budget.js';

export interface Shared {
  api: Api;
  service: MjService;
  /** The adapter's own key-value space (which message shows a task now). */
  state: KeyValue;
  logger: Logger;
  /** Language when Telegram does not say. */
  locale: Locale;
  budget: ChatBudget;
  apiRoot: string;
  token: string;
  /** Largest image accepted from a chat. */
  maxImageBytes: number;
}

/** Editing with identical content: Telegram answers 400 "message is not modified" — a no-op for us. */
export function isNotModified(err: unknown): boolean {
  return err instanceof GrammyError && /message is not modified/i.test(err.description);
}

/** The message is gone (deleted by a user or an admin) or can no longer be edited. */
export function isMessageGone(err: unknown): boolean {
  return err instanceof GrammyError && /message to edit not found|message to delete not found|MESSAGE_ID_INVALID|message can't be edited|there is no (text|caption|media) in the message/i.test(err.description);
}

/**
 * Telegram's answers that no retry changes: the user blocked the bot or deactivated, the bot was
 * kicked or may not write there, the chat is gone or was upgraded to a supergroup (new id).
 */
export function isChatClosed(err: unknown): boolean {
  if (!(err instanceof GrammyError)) return false;
  if (err.error_code === 403) return true;
  return err.error_code === 400 && /chat not found|PEER_ID_INVALID|CHAT_WRITE_FORBIDDEN|have no rights to send|not enough rights|group chat was upgraded|USER_DEACTIVATED|bot was kicked|bot is not a member/i.test(err.description);
}

/** `reply_parameters` that never fail when the target was deleted. */
export function replyParams(messageId: number | undefined): { reply_parameters?: { message_id: number; allow_sending_without_reply: true } } {
  return messageId ? { reply_parameters: { message_id: messageId, allow_sending_without_reply: true } } : {};
}

/**
 * A task message that had to be replaced (text → photo) keeps answering "which task is this?"
 * for commands sent as a reply to it (e.g. /seed).
 */
export async function rememberAlias(shared: Shared, chat: ChatRef, messageId: string, taskId: string | undefined): Promise<void> {
  if (!taskId) return;
  await shared.state.set(aliasKey(chat, messageId), taskId, RECORD_TTL_MS).catch(() => undefined);
}

/** The task a bot message shows: the service's binding, or the alias of a replaced message. */
export async function taskOfMessage(shared: Shared, chat: ChatRef, messageId: string): Promise<string | undefined> {
  return (await shared.service.taskForMessage(chat, messageId)) ?? (await shared.state.get<string>(aliasKey(chat, messageId)));
}

function aliasKey(chat: ChatRef, messageId: string): string {
  return `alias:${chat.chatId}:${messageId}`;
}
