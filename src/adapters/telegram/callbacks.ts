/**
 * Button presses. Every press is answered at once: the network-free plan decides whether the
 * answer is an alert (not yours, forged, expired), a form to show, or work to run afterwards.
 */
import type { CallbackQuery } from 'grammy/types';
import { t } from './texts.js';
import { chatRef, originOf } from './origin.js';
import { MAX_ALERT, truncate } from './render.js';
import { sendForm, sendReply } from './replies.js';
import type { Shared } from './context.js';

export type AnswerCallback = (opts?: { text?: string; show_alert?: boolean }) => Promise<unknown>;

export async function handlePress(shared: Shared, query: CallbackQuery, answer: AnswerCallback): Promise<void> {
  const message = query.message;
  const data = query.data;
  if (!message || !data) {
    await answer();
    return;
  }
  const origin = originOf(message.chat, query.from, message.message_id, shared.locale);
  let plan;
  try {
    plan = await shared.service.planPress(data, origin);
  } catch (err) {
    const reply = shared.service.errorReply(await shared.service.localeOf(origin).catch(() => shared.locale), err);
    await answer({ text: truncate(reply.type === 'error' ? reply.text : t(origin.actor.locale, 'error.INTERNAL'), MAX_ALERT), show_alert: true });
    return;
  }
  if (plan.type === 'error') {
    await answer({ text: truncate(plan.text, MAX_ALERT), show_alert: true });
    return;
  }
  // Answer first (the spinner stops; late answers fail), then do the work.
  await answer().catch((err: unknown) => shared.logger.debug({ err }, 'answerCallbackQuery failed'));
  const chat = chatRef(message.chat);
  const target = { chat, chatId: message.chat.id, replyTo: message.message_id, pressed: message.message_id };
  if (plan.type === 'form') {
    await sendForm(shared, plan.form, chat, message.message_id);
    return;
  }
  const reply = await shared.service.press(data, origin);
  await sendReply(shared, reply, target);
}
