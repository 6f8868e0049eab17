/** editMessageText, editMessageCaption, editMessageMedia, editMessageReplyMarkup, deleteMessage. */
import { badRequest, TG } from './errors.js';
import { captionText, intParam, messageText, textFields, type FakeContext, type MethodHandler } from './context.js';
import { attachedMarkup, validateReplyMarkup } from './markup.js';
import { hasMedia, MEDIA_KEYS, mediaFields, mediaIds, resolveInputFile } from './media.js';
import type { StoredMessage } from './state.js';
import type { Message, ReplyMarkup } from './types.js';

/** The bot's own message addressed by chat_id + message_id, or Telegram's errors for anything else. */
function editTarget(params: Record<string, unknown>, ctx: FakeContext): { chatId: number; stored: StoredMessage } {
  if (params.inline_message_id !== undefined) throw badRequest('inline messages are not supported by the fake');
  const chatId = intParam(params, 'chat_id');
  ctx.world.chatFor(chatId);
  const stored = ctx.world.find(chatId, intParam(params, 'message_id'));
  if (!stored) throw badRequest(TG.editNotFound);
  if (!stored.fromBot) throw badRequest(TG.cantEdit);
  return { chatId, stored };
}

/** Content identity as Telegram compares it: visible text/media, entities and the inline keyboard. */
function signature(message: Message, markup: ReplyMarkup | undefined): string {
  return JSON.stringify([
    message.text ?? null, message.entities ?? [], message.caption ?? null, message.caption_entities ?? [],
    message.photo?.at(-1)?.file_unique_id ?? null, message.document?.file_unique_id ?? null,
    message.video?.file_unique_id ?? null, message.animation?.file_unique_id ?? null, attachedMarkup(markup) ?? null,
  ]);
}

/**
 * Applies an edit: rejects "not modified", counts it against flood limits, then stores the new state.
 * Sending no reply_markup removes the inline keyboard, as on Telegram.
 */
function commit(ctx: FakeContext, chatId: number, stored: StoredMessage, next: Message, markup: ReplyMarkup | undefined, ids?: Partial<StoredMessage>): Message {
  if (signature(next, markup) === signature(stored.message, stored.markup)) throw badRequest(TG.notModified);
  ctx.flood.take(chatId);
  stored.message = { ...next, edit_date: ctx.world.unixNow() };
  stored.markup = markup;
  if (ids) Object.assign(stored, ids);
  stored.editCount += 1;
  return ctx.world.wireMessage(stored);
}

function withoutKeys(message: Message, keys: (keyof Message)[]): Message {
  const copy: Message = { ...message };
  for (const key of keys) delete copy[key];
  return copy;
}

const editMessageText: MethodHandler = ({ params }, ctx) => {
  const { chatId, stored } = editTarget(params, ctx);
  if (stored.message.text === undefined) throw badRequest(TG.noTextToEdit);
  const text = messageText(params);
  const markup = validateReplyMarkup(params.reply_markup);
  const next = { ...withoutKeys(stored.message, ['text', 'entities']), ...textFields(text, 'text') };
  return commit(ctx, chatId, stored, next, markup);
};

const editMessageCaption: MethodHandler = ({ params }, ctx) => {
  const { chatId, stored } = editTarget(params, ctx);
  if (!hasMedia(stored.message)) throw badRequest(TG.noCaptionToEdit);
  const caption = captionText(params.caption, params.parse_mode, params.caption_entities);
  const markup = validateReplyMarkup(params.reply_markup);
  const next = { ...withoutKeys(stored.message, ['caption', 'caption_entities']), ...textFields(caption, 'caption') };
  return commit(ctx, chatId, stored, next, markup);
};

const editMessageMedia: MethodHandler = async ({ params, uploads }, ctx) => {
  const { chatId, stored } = editTarget(params, ctx);
  if (!hasMedia(stored.message)) throw badRequest('there is no media in the message to edit');
  const media = typeof params.media === 'object' && params.media !== null ? (params.media as Record<string, unknown>) : undefined;
  if (!media) throw badRequest("can't parse InputMedia JSON object");
  const kind = MEDIA_KEYS.find((key) => key === media.type);
  if (!kind) throw badRequest("can't parse InputMedia: unsupported media type");
  const caption = captionText(media.caption, media.parse_mode, media.caption_entities);
  const markup = validateReplyMarkup(params.reply_markup);
  const file = await resolveInputFile(media.media, kind, { world: ctx.world, uploads, field: 'media', inMedia: true });
  const base = withoutKeys(stored.message, [...MEDIA_KEYS, 'caption', 'caption_entities']);
  const next: Message = { ...base, ...mediaFields(file), ...textFields(caption, 'caption') };
  return commit(ctx, chatId, stored, next, markup, mediaIds(file));
};

const editMessageReplyMarkup: MethodHandler = ({ params }, ctx) => {
  const { chatId, stored } = editTarget(params, ctx);
  const markup = validateReplyMarkup(params.reply_markup);
  return commit(ctx, chatId, stored, stored.message, markup);
};

const deleteMessage: MethodHandler = ({ params }, ctx) => {
  const chatId = intParam(params, 'chat_id');
  ctx.world.chatFor(chatId);
  if (!ctx.world.remove(chatId, intParam(params, 'message_id'))) throw badRequest(TG.deleteNotFound);
  return true;
};

export const editMethods: Record<string, MethodHandler> = {
  editMessageText,
  editMessageCaption,
  editMessageMedia,
  editMessageReplyMarkup,
  deleteMessage,
};
