/** In-memory world of the fake: chats, their messages, stored files and known users. */
import { badRequest, TG } from './errors.js';
import { attachedMarkup } from './markup.js';
import type { BotMessage, ChatType, Message, ReplyMarkup, SimulatedUser, StoredFile, TgChat, TgUser } from './types.js';

/** A message plus what the fake needs beyond the wire object. */
export interface StoredMessage {
  message: Message;
  fromBot: boolean;
  /** Markup as last sent by the bot (ForceReply/reply keyboards included, which Message objects omit). */
  markup?: ReplyMarkup;
  photoFileId?: string;
  documentFileId?: string;
  videoFileId?: string;
  animationFileId?: string;
  editCount: number;
  /** Emojis the bot set as its reaction (setMessageReaction). */
  reactions?: string[];
}

interface ChatState {
  chat: TgChat;
  nextMessageId: number;
  messages: Map<number, StoredMessage>;
}

export class FakeWorld {
  private readonly chats = new Map<number, ChatState>();
  readonly files = new Map<string, StoredFile>();
  readonly filesByPath = new Map<string, StoredFile>();
  readonly users = new Map<number, TgUser>();
  readonly admins = new Map<number, Set<number>>();
  private fileCounter = 0;

  constructor(
    readonly bot: TgUser & { username: string },
    readonly now: () => number,
  ) {}

  /** Unix seconds on the fake clock. */
  unixNow(): number {
    return Math.floor(this.now() / 1000);
  }

  rememberUser(user: SimulatedUser): TgUser {
    const known = this.users.get(user.id);
    const merged: TgUser = {
      id: user.id,
      is_bot: false,
      first_name: user.first_name ?? known?.first_name ?? `User${user.id}`,
      ...(user.username ?? known?.username ? { username: user.username ?? known?.username } : {}),
      ...(user.language_code ?? known?.language_code ? { language_code: user.language_code ?? known?.language_code } : {}),
    };
    this.users.set(user.id, merged);
    return merged;
  }

  /** Creates the chat on first contact from a user (bots can only talk to chats that exist). */
  ensureChat(chatId: number, type: ChatType | undefined, user: TgUser): TgChat {
    const existing = this.chats.get(chatId);
    if (existing) return existing.chat;
    const chatType = type ?? (chatId < 0 ? 'supergroup' : 'private');
    const chat: TgChat =
      chatType === 'private'
        ? { id: chatId, type: chatType, first_name: user.first_name, ...(user.username ? { username: user.username } : {}) }
        : { id: chatId, type: chatType, title: `Group ${chatId}` };
    this.chats.set(chatId, { chat, nextMessageId: 1, messages: new Map() });
    return chat;
  }

  /** The chat the bot addresses, or Telegram's "chat not found". */
  chatFor(chatId: unknown): ChatState {
    const id = typeof chatId === 'string' && /^-?\d+$/.test(chatId) ? Number(chatId) : chatId;
    if (typeof id !== 'number') throw badRequest(TG.chatNotFound);
    const state = this.chats.get(id);
    if (!state) throw badRequest(TG.chatNotFound);
    return state;
  }

  hasChat(chatId: number): boolean {
    return this.chats.has(chatId);
  }

  nextMessageId(chatId: number): number {
    const state = this.chatFor(chatId);
    return state.nextMessageId++;
  }

  store(chatId: number, stored: StoredMessage): StoredMessage {
    this.chatFor(chatId).messages.set(stored.message.message_id, stored);
    return stored;
  }

  find(chatId: number, messageId: unknown): StoredMessage | undefined {
    if (typeof messageId !== 'number') return undefined;
    return this.chats.get(chatId)?.messages.get(messageId);
  }

  remove(chatId: number, messageId: number): boolean {
    return this.chats.get(chatId)?.messages.delete(messageId) ?? false;
  }

  allMessages(chatId: number): StoredMessage[] {
    return [...(this.chats.get(chatId)?.messages.values() ?? [])].sort((a, b) => a.message.message_id - b.message.message_id);
  }

  /** A stored file by file_id; thumbnail ids (`<id>_s`) resolve to their original. */
  lookupFile(fileId: unknown): StoredFile | undefined {
    if (typeof fileId !== 'string') return undefined;
    return this.files.get(fileId) ?? (fileId.endsWith('_s') ? this.files.get(fileId.slice(0, -2)) : undefined);
  }

  registerFile(bytes: Buffer, meta: Omit<StoredFile, 'fileId' | 'fileUniqueId' | 'filePath' | 'bytes' | 'size'> & { size?: number; ext?: string }): StoredFile {
    const n = ++this.fileCounter;
    const folder = { photo: 'photos', document: 'documents', video: 'videos', animation: 'animations' }[meta.kind];
    const ext = meta.ext ?? (meta.kind === 'photo' ? 'jpg' : meta.kind === 'document' ? 'dat' : 'mp4');
    const prefix = { photo: 'AgAC', document: 'BQAC', video: 'BAAC', animation: 'CgAC' }[meta.kind];
    const file: StoredFile = {
      fileId: `${prefix}fake${n}_${Math.random().toString(36).slice(2, 10)}`,
      fileUniqueId: `AQAD${n}`,
      filePath: `${folder}/file_${n}.${ext}`,
      bytes,
      size: meta.size ?? bytes.length,
      kind: meta.kind,
      ...(meta.fileName !== undefined ? { fileName: meta.fileName } : {}),
      ...(meta.mime !== undefined ? { mime: meta.mime } : {}),
      ...(meta.width !== undefined ? { width: meta.width, height: meta.height } : {}),
    };
    this.files.set(file.fileId, file);
    this.filesByPath.set(file.filePath, file);
    return file;
  }

  /** The message as the Bot API shows it (ForceReply and reply keyboards are not echoed back). */
  wireMessage(stored: StoredMessage): Message {
    const { reply_markup: _omit, ...rest } = stored.message;
    const markup = attachedMarkup(stored.markup);
    return markup ? { ...rest, reply_markup: markup } : rest;
  }

  toBotMessage(stored: StoredMessage): BotMessage {
    const m = stored.message;
    const photo = stored.photoFileId ? this.files.get(stored.photoFileId) : undefined;
    const doc = stored.documentFileId ? this.files.get(stored.documentFileId) : undefined;
    const video = stored.videoFileId ? this.files.get(stored.videoFileId) : undefined;
    const animation = stored.animationFileId ? this.files.get(stored.animationFileId) : undefined;
    return {
      chatId: m.chat.id,
      messageId: m.message_id,
      fromBot: stored.fromBot,
      date: m.date,
      ...(m.text !== undefined ? { text: m.text } : {}),
      ...(m.caption !== undefined ? { caption: m.caption } : {}),
      ...(m.entities ?? m.caption_entities ? { entities: m.entities ?? m.caption_entities } : {}),
      ...(photo ? { photo: { fileId: photo.fileId, width: photo.width ?? 0, height: photo.height ?? 0, bytes: photo.bytes } } : {}),
      ...(doc ? { document: { fileId: doc.fileId, fileName: doc.fileName, mime: doc.mime, bytes: doc.bytes } } : {}),
      ...(video ? { video: { fileId: video.fileId, mime: video.mime, bytes: video.bytes } } : {}),
      ...(animation ? { animation: { fileId: animation.fileId, mime: animation.mime, bytes: animation.bytes } } : {}),
      ...(m.media_group_id ? { mediaGroupId: m.media_group_id } : {}),
      ...(stored.markup ? { replyMarkup: stored.markup } : {}),
      ...(m.reply_to_message ? { replyTo: m.reply_to_message.message_id } : {}),
      editCount: stored.editCount,
      reactions: stored.reactions ?? [],
      raw: this.wireMessage(stored),
    };
  }
}
