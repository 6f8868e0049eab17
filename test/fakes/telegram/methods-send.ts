/** sendMessage, sendPhoto, sendDocument, sendVideo, sendAnimation, sendMediaGroup, sendChatAction. */
import { badRequest } from './errors.js';
import { captionText, intParam, messageText, replyTarget, storeBotMessage, textFields, type FakeContext, type MethodHandler, type MethodRequest } from './context.js';
import { validateReplyMarkup } from './markup.js';
import { mediaFields, mediaIds, resolveInputFile, type MediaKind } from './media.js';
import type { Message, StoredFile } from './types.js';

/** An optional whole-number parameter (clip width/height). */
function optionalInt(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
}

const CHAT_ACTIONS = new Set(['typing', 'upload_photo', 'record_video', 'upload_video', 'record_voice', 'upload_voice', 'upload_document', 'choose_sticker', 'find_location', 'record_video_note', 'upload_video_note']);

function replyFields(reply: Message | undefined): Partial<Message> {
  return reply ? { reply_to_message: reply } : {};
}

const sendMessage: MethodHandler = ({ params }, ctx) => {
  const chatId = intParam(params, 'chat_id');
  ctx.world.chatFor(chatId);
  const text = messageText(params);
  const markup = validateReplyMarkup(params.reply_markup);
  const reply = replyTarget(ctx, chatId, params);
  ctx.flood.take(chatId);
  const stored = storeBotMessage(ctx, chatId, { ...textFields(text, 'text'), ...replyFields(reply) }, markup ? { markup } : {});
  return ctx.world.wireMessage(stored);
};

function sendFile(kind: MediaKind): MethodHandler {
  return async ({ params, uploads }: MethodRequest, ctx: FakeContext) => {
    const chatId = intParam(params, 'chat_id');
    ctx.world.chatFor(chatId);
    const caption = captionText(params.caption, params.parse_mode, params.caption_entities);
    const markup = validateReplyMarkup(params.reply_markup);
    const reply = replyTarget(ctx, chatId, params);
    const size = { width: optionalInt(params.width), height: optionalInt(params.height) };
    const file = await resolveInputFile(params[kind], kind, { world: ctx.world, uploads, field: kind, ...size });
    ctx.flood.take(chatId);
    const fields = { ...mediaFields(file), ...textFields(caption, 'caption'), ...replyFields(reply) };
    const stored = storeBotMessage(ctx, chatId, fields, { ...(markup ? { markup } : {}), ...mediaIds(file) });
    return ctx.world.wireMessage(stored);
  };
}

const MEDIA_GROUP_KINDS: Record<string, MediaKind> = { photo: 'photo', document: 'document' };

const sendMediaGroup: MethodHandler = async ({ params, uploads }, ctx) => {
  const chatId = intParam(params, 'chat_id');
  ctx.world.chatFor(chatId);
  const media = params.media;
  if (!Array.isArray(media) || media.length === 0) throw badRequest('parameter "media" is required');
  if (media.length > 10) throw badRequest('too much messages to send as an album');
  if (media.length < 2) throw badRequest('MEDIA_GROUP_INVALID: an album must contain 2-10 items');
  const items = media.map((item: unknown) => {
    const obj = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : {};
    const kind = MEDIA_GROUP_KINDS[String(obj.type)];
    if (!kind) throw badRequest("can't parse InputMedia: unsupported media type");
    return { obj, kind, caption: captionText(obj.caption, obj.parse_mode, obj.caption_entities) };
  });
  if (new Set(items.map((i) => i.kind)).size > 1) throw badRequest("document can't be mixed with other media types");
  const reply = replyTarget(ctx, chatId, params);
  const files: StoredFile[] = [];
  for (const item of items) {
    files.push(await resolveInputFile(item.obj.media, item.kind, { world: ctx.world, uploads, field: 'media', inMedia: true }));
  }
  ctx.flood.take(chatId);
  const groupId = `${Date.now()}${Math.floor(Math.random() * 1e6)}`;
  return items.map((item, i) => {
    const file = files[i] as StoredFile;
    const fields = { ...mediaFields(file), ...textFields(item.caption, 'caption'), media_group_id: groupId, ...replyFields(reply) };
    return ctx.world.wireMessage(storeBotMessage(ctx, chatId, fields, mediaIds(file)));
  });
};

const sendChatAction: MethodHandler = ({ params }, ctx) => {
  ctx.world.chatFor(intParam(params, 'chat_id'));
  if (!CHAT_ACTIONS.has(String(params.action))) throw badRequest('wrong parameter action in request');
  return true;
};

export const sendMethods: Record<string, MethodHandler> = {
  sendMessage,
  sendPhoto: sendFile('photo'),
  sendDocument: sendFile('document'),
  sendVideo: sendFile('video'),
  sendAnimation: sendFile('animation'),
  sendMediaGroup,
  sendChatAction,
};
