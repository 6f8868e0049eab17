/**
 * Sending the service's answers (Reply) and form steps to a chat. A form is two messages: the
 * question with ForceReply (so the user's client opens a reply to it; replies to it answer the
 * form) and, replying to it, the form's buttons (region presets, Cancel) — one Telegram message
 * cannot carry both markups.
 */
import { t } from './texts.js';
import { InputMediaBuilder } from 'grammy';
import type { ChatRef, FormView, ImageRef, Reply } from '../../core/domain/types.js';
import { inputFile } from './files.js';
import { chunks, formKeyboard, keyboard, placeholder, renderForm } from './render.js';
import { isMessageGone, isNotModified, replyParams, type Shared } from './context.js';

export interface ReplyTarget {
  chat: ChatRef;
  chatId: number;
  /** Message to reply to (the user's command, the pressed message, …). */
  replyTo?: number;
  /** For button presses: the message the button was on (edited when a reply says `replace`). */
  pressed?: number;
}

/** Show a Reply. 'task' needs nothing: the service opened the task message through the Presenter. */
export async function sendReply(shared: Shared, reply: Reply, target: ReplyTarget): Promise<void> {
  switch (reply.type) {
    case 'task':
      return;
    case 'form':
      return sendForm(shared, reply.form, target.chat, target.replyTo);
    case 'error':
      await sendText(shared, target, reply.text);
      return;
    case 'message': {
      const markup = keyboard(reply.rows ?? []);
      if (reply.replace && target.pressed) {
        try {
          await shared.api.editMessageText(target.chatId, target.pressed, reply.text, { reply_markup: markup ?? { inline_keyboard: [] } });
          return;
        } catch (err) {
          if (isNotModified(err)) return;
          if (!isMessageGone(err)) throw err;
        }
      }
      const album = [...(reply.image ? [reply.image] : []), ...(reply.images ?? [])];
      if (album.length > 1) return sendAlbum(shared, target, reply.text, album);
      if (reply.image || album.length === 1) {
        const image = await shared.service.loadImage(album[0]!);
        const [caption = '', ...rest] = chunks(reply.text, 1024);
        const sent = await shared.api.sendPhoto(target.chatId, inputFile(image), { caption: caption || undefined, reply_markup: markup, ...replyParams(target.replyTo) });
        for (const part of rest) await shared.api.sendMessage(target.chatId, part, replyParams(sent.message_id));
        return;
      }
      await sendText(shared, target, reply.text, markup);
      return;
    }
  }
}

/** Several images (e.g. /gallery): albums of up to 10 photos, the text as the first caption. */
async function sendAlbum(shared: Shared, target: ReplyTarget, text: string, refs: ImageRef[]): Promise<void> {
  const [caption = '', ...rest] = chunks(text, 1024);
  for (let i = 0; i < refs.length; i += 10) {
    const batch = await Promise.all(refs.slice(i, i + 10).map((ref) => shared.service.loadImage(ref)));
    const media = batch.map((image, j) => InputMediaBuilder.photo(inputFile(image), i === 0 && j === 0 && caption ? { caption } : {}));
    // An album needs 2–10 items: a lone last image goes as a photo.
    if (media.length === 1) await shared.api.sendPhoto(target.chatId, inputFile(batch[0]!), replyParams(target.replyTo));
    else await shared.api.sendMediaGroup(target.chatId, media, replyParams(target.replyTo));
  }
  for (const part of rest) await shared.api.sendMessage(target.chatId, part);
}

async function sendText(shared: Shared, target: ReplyTarget, text: string, markup?: ReturnType<typeof keyboard>): Promise<void> {
  const parts = chunks(text.trim() || '…');
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    await shared.api.sendMessage(target.chatId, part, { ...replyParams(target.replyTo), link_preview_options: { is_disabled: true }, ...(last && markup ? { reply_markup: markup } : {}) });
  }
}

/** Ask for a form's answer: ForceReply question (bound to the form), then its buttons. */
export async function sendForm(shared: Shared, form: FormView, chat: ChatRef, replyTo: number | undefined): Promise<void> {
  const chatId = Number(chat.chatId);
  const question = await shared.api.sendMessage(chatId, renderForm(form, chat.isGroup), {
    parse_mode: 'HTML',
    reply_markup: { force_reply: true, selective: true, input_field_placeholder: placeholder(form) },
    ...replyParams(replyTo),
  });
  // Bound at once: the user may answer before the buttons below are even sent.
  await shared.service.bindFormMessage(form.formId, { chat, messageId: String(question.message_id) });
  const buttons = await shared.api.sendMessage(chatId, t(form.locale, form.regions?.length ? 'tg.formChoose' : 'tg.formButtons'), {
    reply_markup: formKeyboard(form),
    ...replyParams(question.message_id),
  });
  // People reply to whichever message they see: the one with the buttons answers too.
  await shared.service.bindFormMessage(form.formId, { chat, messageId: String(buttons.message_id) });
}

/**
 * A form that appeared later (remix MODAL): asked like any other (ForceReply + Cancel), replying
 * to the owner's own command message where there is one, so in a group the selective ForceReply
 * opens on the owner's client only.
 */
export async function sendOffer(shared: Shared, form: FormView, chat: ChatRef, replyTo: number): Promise<void> {
  await sendForm(shared, form, chat, replyTo);
}
