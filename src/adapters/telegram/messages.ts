/**
 * Incoming messages, as a conversation: a command runs; a reply to a question the bot asked (the
 * question itself or the message with its buttons) answers it; in a private chat the next plain
 * text answers the one open question, or — when none is open — is a prompt to draw. In groups,
 * plain text is only taken when it replies to the bot or mentions it, so members' chatter is not.
 */
import type { Message } from 'grammy/types';
import type { FormAnswer } from '../../core/domain/types.js';
import { runCommand, type MessageDeps } from './command-input.js';
import { attachedImage, downloadAttached } from './files.js';
import { chatRef, originOf, parseCommand } from './origin.js';
import { sendReply } from './replies.js';
import { t } from './texts.js';

export type { MessageDeps } from './command-input.js';
export { buildInput } from './command-input.js';

/** Handle one message, or the messages of one album (oldest first). */
export async function handleMessages(deps: MessageDeps, messages: Message[]): Promise<void> {
  const first = messages[0];
  if (!first?.from) return;
  const commandMessage = messages.find((m) => parseCommand(m.text ?? m.caption, deps.botUsername));
  if (commandMessage) return runCommand(deps, commandMessage, messages, parseCommand(commandMessage.text ?? commandMessage.caption, deps.botUsername)!);
  const chat = chatRef(first.chat);
  const replied = messages.find((m) => m.reply_to_message)?.reply_to_message;
  const repliesToBot = replied !== undefined && replied.from?.id === deps.botId;
  if (repliesToBot) {
    const formId = await deps.service.formForReply(chat, String(replied.message_id));
    if (formId) return answerForm(deps, first, formId);
  }
  const text = messages.map((m) => (m.text ?? m.caption ?? '').trim()).find(Boolean) ?? '';
  if (first.chat.type === 'private') {
    const origin = originOf(first.chat, first.from, first.message_id, deps.locale);
    const open = await deps.service.openFormOf(origin);
    if (open) return answerForm(deps, first, open);
    return drawOrHint(deps, first, messages, text);
  }
  const mention = new RegExp(`@${deps.botUsername}\\b`, 'i');
  if (repliesToBot || mention.test(text)) return drawOrHint(deps, first, messages, text.replace(mention, ' ').trim());
}

/** Plain text (with any photos as references) is a prompt to draw; a photo alone gets a hint. */
async function drawOrHint(deps: MessageDeps, message: Message, all: Message[], text: string): Promise<void> {
  if (text) return runCommand(deps, message, all, { name: 'imagine', rest: text });
  const origin = originOf(message.chat, message.from!, message.message_id, deps.locale);
  const locale = await deps.service.localeOf(origin);
  await sendReply(deps, { type: 'message', text: t(locale, 'tg.privateHint') }, { chat: origin.chat, chatId: message.chat.id, replyTo: message.message_id });
}

/** The message's text is the prompt; an image (PNG document) is the mask. */
async function answerForm(deps: MessageDeps, message: Message, formId: string): Promise<void> {
  if (!message.from) return;
  const origin = originOf(message.chat, message.from, message.message_id, deps.locale);
  const locale = await deps.service.localeOf(origin);
  const target = { chat: origin.chat, chatId: message.chat.id, replyTo: message.message_id };
  try {
    const answer: FormAnswer = {};
    const text = (message.text ?? message.caption)?.trim();
    if (text) answer.prompt = text;
    const file = attachedImage(message);
    if (file) answer.mask = await downloadAttached({ ...file, isDocument: false }, deps);
    if (!text && !file) return;
    await sendReply(deps, await deps.service.answerForm(formId, answer, origin), target);
  } catch (err) {
    await sendReply(deps, deps.service.errorReply(locale, err), target);
  }
}
