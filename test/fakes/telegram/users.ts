/** Simulated users: messages, photos, documents and button presses become queued updates. */
import { randomUUID } from 'node:crypto';
import type { FakeContext } from './context.js';
import { imageSize, makePng } from './images.js';
import { hasCallbackButton } from './markup.js';
import { documentObject, photoSizes } from './media.js';
import type { StoredMessage } from './state.js';
import type { Message, PressButtonOptions, SendDocumentOptions, SendPhotoOptions, SendTextOptions, TgEntity } from './types.js';

type UserMessageOptions = Pick<SendTextOptions, 'chatId' | 'chatType' | 'from' | 'replyTo'>;

/** Stores a message "sent" by a user and queues it as a `message` update. */
function postUserMessage(ctx: FakeContext, opts: UserMessageOptions, fields: Partial<Message>, extra: Partial<StoredMessage> = {}): Message {
  const from = ctx.world.rememberUser(opts.from);
  const chat = ctx.world.ensureChat(opts.chatId, opts.chatType, from);
  let reply: Message | undefined;
  if (opts.replyTo !== undefined) {
    const target = ctx.world.find(opts.chatId, opts.replyTo);
    if (!target) throw new Error(`fake telegram: user replies to message ${opts.replyTo}, which does not exist in chat ${opts.chatId}`);
    const { reply_to_message: _nested, ...rest } = ctx.world.wireMessage(target);
    reply = rest;
  }
  const message: Message = {
    message_id: ctx.world.nextMessageId(opts.chatId),
    date: ctx.world.unixNow(),
    chat,
    from,
    ...fields,
    ...(reply ? { reply_to_message: reply } : {}),
  };
  ctx.world.store(opts.chatId, { message, fromBot: false, editCount: 0, ...extra });
  ctx.updates.push({ message });
  return message;
}

/** A leading `/command` (optionally `@botname`) becomes a bot_command entity, as Telegram clients do. */
function commandEntities(text: string): TgEntity[] {
  const m = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
  return m ? [{ type: 'bot_command', offset: 0, length: m[0].length }] : [];
}

export function userSendsText(ctx: FakeContext, opts: SendTextOptions): Message {
  const entities = opts.entities ?? commandEntities(opts.text);
  return postUserMessage(ctx, opts, { text: opts.text, ...(entities.length > 0 ? { entities } : {}) });
}

export function userSendsPhoto(ctx: FakeContext, opts: SendPhotoOptions): Message {
  const png = opts.png ?? makePng(64, 48);
  const size = imageSize(png);
  if (!size) throw new Error('fake telegram: sendPhoto needs PNG or JPEG bytes');
  const file = ctx.world.registerFile(png, { kind: 'photo', width: size.width, height: size.height, ext: size.format === 'png' ? 'png' : 'jpg', ...(opts.sizeBytes !== undefined ? { size: opts.sizeBytes } : {}) });
  return postUserMessage(
    ctx,
    opts,
    { photo: photoSizes(file), ...(opts.caption ? { caption: opts.caption } : {}), ...(opts.mediaGroupId ? { media_group_id: opts.mediaGroupId } : {}) },
    { photoFileId: file.fileId },
  );
}

export function userSendsDocument(ctx: FakeContext, opts: SendDocumentOptions): Message {
  const ext = opts.fileName.includes('.') ? opts.fileName.split('.').pop() : undefined;
  const file = ctx.world.registerFile(opts.bytes, { kind: 'document', fileName: opts.fileName, mime: opts.mime ?? 'application/octet-stream', ...(ext ? { ext } : {}) });
  return postUserMessage(ctx, opts, { document: documentObject(file), ...(opts.caption ? { caption: opts.caption } : {}) }, { documentFileId: file.fileId });
}

/** Queues a callback_query for a button the message currently shows; returns the query id. */
export function userPressesButton(ctx: FakeContext, opts: PressButtonOptions): string {
  const stored = ctx.world.find(opts.chatId, opts.messageId);
  if (!stored) throw new Error(`fake telegram: no message ${opts.messageId} in chat ${opts.chatId} to press a button on`);
  if (!opts.force && !hasCallbackButton(ctx.world.wireMessage(stored).reply_markup, opts.data)) {
    throw new Error(`fake telegram: message ${opts.messageId} in chat ${opts.chatId} shows no button with callback_data ${JSON.stringify(opts.data)}`);
  }
  const from = ctx.world.rememberUser(opts.from);
  const id = randomUUID().replace(/-/g, '').slice(0, 19);
  ctx.callbackQueries.set(id, { at: ctx.world.now(), answered: false });
  ctx.updates.push({
    callback_query: { id, from, message: ctx.world.wireMessage(stored), chat_instance: `ci${opts.chatId}`, data: opts.data },
  });
  return id;
}
