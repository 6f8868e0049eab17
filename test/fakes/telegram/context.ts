/** What every Bot API method handler gets, plus the validation helpers they share. */
import { badRequest, TG } from './errors.js';
import { formatText, visibleLength, type FormattedText } from './formatting.js';
import type { FloodControl } from './rate-limit.js';
import type { FakeWorld, StoredMessage } from './state.js';
import type { UpdateQueue } from './updates.js';
import type { CallbackAnswer, Message, UploadedFile } from './types.js';

const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;

export interface CallbackQueryState {
  at: number;
  answered: boolean;
}

/** Shared state handed to method handlers. */
export interface FakeContext {
  world: FakeWorld;
  flood: FloodControl;
  updates: UpdateQueue;
  callbackQueries: Map<string, CallbackQueryState>;
  callbackAnswers: Map<string, CallbackAnswer>;
  callbackAnswerWindowMs: number;
  commands: Map<string, { command: string; description: string }[]>;
  webhook: { url: string; params: Record<string, unknown> };
}

export interface MethodRequest {
  params: Record<string, unknown>;
  uploads: UploadedFile[];
}

export type MethodHandler = (req: MethodRequest, ctx: FakeContext) => unknown;

/** An integer parameter (numeric strings accepted, as the Bot API does). */
export function intParam(params: Record<string, unknown>, name: string): number {
  const raw = params[name];
  const value = typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw badRequest(raw === undefined ? `${name} is empty` : `invalid ${name} specified`);
  }
  return value;
}

/** Message text after entity parsing, with Telegram's empty/too-long checks. */
export function messageText(params: Record<string, unknown>): FormattedText {
  const raw = params.text;
  if (raw === undefined || raw === null || raw === '') throw badRequest(TG.messageEmpty);
  const formatted = formatText(String(raw), params.parse_mode, params.entities);
  if (formatted.text === '') throw badRequest(TG.messageEmpty);
  if (visibleLength(formatted.text) > MAX_TEXT) throw badRequest(TG.messageTooLong);
  return formatted;
}

/** Caption after entity parsing (may be empty), with the 1024-character limit. */
export function captionText(caption: unknown, parseMode: unknown, entities: unknown): FormattedText | undefined {
  if (caption === undefined || caption === null || caption === '') return undefined;
  const formatted = formatText(String(caption), parseMode, entities);
  if (visibleLength(formatted.text) > MAX_CAPTION) throw badRequest(TG.captionTooLong);
  return formatted.text === '' ? undefined : formatted;
}

/** Resolves reply_to_message_id / reply_parameters to the message being replied to. */
export function replyTarget(ctx: FakeContext, chatId: number, params: Record<string, unknown>): Message | undefined {
  const parameters = typeof params.reply_parameters === 'object' && params.reply_parameters !== null ? (params.reply_parameters as Record<string, unknown>) : undefined;
  const rawId = parameters?.message_id ?? params.reply_to_message_id;
  if (rawId === undefined) return undefined;
  const id = typeof rawId === 'string' ? Number(rawId) : rawId;
  const target = ctx.world.find(chatId, id);
  if (target) {
    // Telegram does not nest reply_to_message inside reply_to_message.
    const { reply_to_message: _nested, ...rest } = ctx.world.wireMessage(target);
    return rest;
  }
  const allowMissing = parameters?.allow_sending_without_reply ?? params.allow_sending_without_reply;
  if (allowMissing === true || allowMissing === 'true') return undefined;
  throw badRequest(TG.replyNotFound);
}

/** Stores a new bot message in `chatId` with the next message id. */
export function storeBotMessage(ctx: FakeContext, chatId: number, fields: Omit<Message, 'message_id' | 'date' | 'chat' | 'from'>, extra: Omit<StoredMessage, 'message' | 'fromBot' | 'editCount'>): StoredMessage {
  const chat = ctx.world.chatFor(chatId).chat;
  const message: Message = { message_id: ctx.world.nextMessageId(chatId), date: ctx.world.unixNow(), chat, from: ctx.world.bot, ...fields };
  return ctx.world.store(chatId, { message, fromBot: true, editCount: 0, ...extra });
}

/** Spreads `text`+`entities` or `caption`+`caption_entities` without empty fields. */
export function textFields(formatted: FormattedText | undefined, kind: 'text' | 'caption'): Partial<Message> {
  if (!formatted) return {};
  const entitiesKey = kind === 'text' ? 'entities' : 'caption_entities';
  return { [kind]: formatted.text, ...(formatted.entities.length > 0 ? { [entitiesKey]: formatted.entities } : {}) };
}
