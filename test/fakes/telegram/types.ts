/**
 * Wire shapes and public types of the fake Telegram Bot API.
 *
 * The Telegram objects here are the subset of the Bot API types the fake produces; they are
 * structurally what grammY expects (`Message`, `Update`, `CallbackQuery`, ...).
 */

/** A Telegram user as it appears in `from`. */
export interface TgUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  username?: string;
  language_code?: string;
}

/** A Telegram chat. */
export interface TgChat {
  id: number;
  type: ChatType;
  title?: string;
  first_name?: string;
  username?: string;
}

export type ChatType = 'private' | 'group' | 'supergroup';

/** A formatting entity (offsets and lengths in UTF-16 code units, as Telegram counts them). */
export interface TgEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  /** text_mention: the user mentioned. */
  user?: { id: number };
}

export interface TgPhotoSize {
  file_id: string;
  file_unique_id: string;
  width: number;
  height: number;
  file_size: number;
}

export interface TgDocument {
  file_id: string;
  file_unique_id: string;
  file_name?: string;
  mime_type?: string;
  file_size: number;
}

/** A `Video` / `Animation` object (the fake reads no codec metadata: sizes and duration come from the request). */
export interface TgVideo {
  file_id: string;
  file_unique_id: string;
  width: number;
  height: number;
  duration: number;
  file_name?: string;
  mime_type?: string;
  file_size: number;
}

/** Inline keyboard or ForceReply or reply keyboard, as received from the bot (validated). */
export type ReplyMarkup = Record<string, unknown>;

/** A Telegram `Message` object. */
export interface Message {
  message_id: number;
  date: number;
  edit_date?: number;
  chat: TgChat;
  from: TgUser;
  text?: string;
  entities?: TgEntity[];
  caption?: string;
  caption_entities?: TgEntity[];
  photo?: TgPhotoSize[];
  document?: TgDocument;
  video?: TgVideo;
  animation?: TgVideo;
  media_group_id?: string;
  reply_markup?: ReplyMarkup;
  reply_to_message?: Message;
}

export interface TgCallbackQuery {
  id: string;
  from: TgUser;
  message: Message;
  chat_instance: string;
  data: string;
}

export interface TgUpdate {
  update_id: number;
  message?: Message;
  callback_query?: TgCallbackQuery;
}

/** A file the fake stores (uploaded by the bot or "sent" by a simulated user). */
export interface StoredFile {
  fileId: string;
  fileUniqueId: string;
  filePath: string;
  bytes: Buffer;
  /** Reported size; may exceed `bytes.length` when a test simulates a large file. */
  size: number;
  kind: 'photo' | 'document' | 'video' | 'animation';
  fileName?: string;
  mime?: string;
  width?: number;
  height?: number;
}

/** A file part received in a multipart request. */
export interface UploadedFile {
  field: string;
  name: string;
  bytes: Buffer;
}

/** The JSON body the fake answered with. */
export interface ApiResponse {
  ok: boolean;
  result?: unknown;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

/** One recorded Bot API call. */
export interface ApiCall {
  method: string;
  /** Parameters after coercion (numbers and JSON fields decoded, multipart fields merged). */
  params: Record<string, unknown>;
  files: UploadedFile[];
  /** Fake clock time (ms) when the call arrived. */
  at: number;
  response: ApiResponse;
}

/** Current state of a message in a chat, in a form convenient for assertions. */
export interface BotMessage {
  chatId: number;
  messageId: number;
  /** True when the bot sent it (false for messages from simulated users). */
  fromBot: boolean;
  date: number;
  text?: string;
  caption?: string;
  entities?: TgEntity[];
  photo?: { fileId: string; width: number; height: number; bytes: Buffer };
  document?: { fileId: string; fileName?: string; mime?: string; bytes: Buffer };
  /** A clip sent with sendVideo / sendAnimation (or edited in with editMessageMedia). */
  video?: { fileId: string; mime?: string; bytes: Buffer };
  animation?: { fileId: string; mime?: string; bytes: Buffer };
  mediaGroupId?: string;
  replyMarkup?: ReplyMarkup;
  /** message_id this message replies to. */
  replyTo?: number;
  /** How many successful edits were applied. */
  editCount: number;
  /** The bot's reaction on the message now (setMessageReaction), e.g. ['👀']. */
  reactions: string[];
  /** The Message object as the Bot API would return it now. */
  raw: Message;
}

export interface SimulatedUser {
  id: number;
  first_name?: string;
  username?: string;
  language_code?: string;
}

export interface FakeTelegramOptions {
  token?: string;
  botUsername?: string;
  botId?: number;
  /** Injectable clock (ms) for time-based rules (429 windows, callback expiry, message dates). */
  now?: () => number;
  /** Default on: ~1 msg/s per chat with a burst of 3, 20/min per group. `false` disables. */
  rateLimits?: { perChatPerSecond?: number; perChatBurst?: number; perGroupPerMinute?: number; perBotPerSecond?: number } | false;
  /** Default 15000: answering a callback query later than this fails like Telegram does. */
  callbackAnswerWindowMs?: number;
  /** Upper bound (ms) a long-poll getUpdates is held; default 2000. */
  maxLongPollMs?: number;
}

interface UserMessageBase {
  chatId: number;
  chatType?: ChatType;
  from: SimulatedUser;
  replyTo?: number;
}

export interface SendTextOptions extends UserMessageBase {
  text: string;
  /** Defaults to a bot_command entity when the text starts with '/'. */
  entities?: TgEntity[];
}

export interface SendPhotoOptions extends UserMessageBase {
  caption?: string;
  mediaGroupId?: string;
  /** PNG bytes; a small generated PNG when omitted. */
  png?: Buffer;
  /** Reported file size (to simulate big photos); defaults to the byte length. */
  sizeBytes?: number;
}

export interface SendDocumentOptions extends UserMessageBase {
  caption?: string;
  fileName: string;
  mime?: string;
  bytes: Buffer;
}

export interface PressButtonOptions {
  chatId: number;
  messageId: number;
  from: SimulatedUser;
  data: string;
  /** Skip the check that the message currently shows a button with this callback_data. */
  force?: boolean;
}

export interface FailureAnswer {
  status: number;
  description: string;
  retryAfter?: number;
}

export interface RecordedError {
  method: string;
  status: number;
  description: string;
}

export interface CallbackAnswer {
  text?: string;
  show_alert?: boolean;
  url?: string;
  at: number;
}

/** Handle on a running fake Telegram Bot API server. */
export interface FakeTelegram {
  /** `http://127.0.0.1:PORT`, what grammY's `client.apiRoot` takes. */
  readonly apiRoot: string;
  readonly token: string;
  readonly botInfo: TgUser & { username: string };
  /** Every method call, in arrival order (recorded when answered). */
  readonly calls: ApiCall[];
  readonly callbackAnswers: Map<string, CallbackAnswer>;
  /** Every error the fake returned (4xx, 429, forced failures). */
  readonly errors: RecordedError[];
  /** Every file download (GET /file/bot<token>/<path>) that succeeded. */
  readonly downloads: { filePath: string; at: number }[];
  sendText(opts: SendTextOptions): Message;
  sendPhoto(opts: SendPhotoOptions): Message;
  sendDocument(opts: SendDocumentOptions): Message;
  /** Queues a callback_query update; returns the callback query id. */
  pressButton(opts: PressButtonOptions): string;
  /** Messages the bot sent in a chat (current state, deleted ones excluded), oldest first. */
  messages(chatId: number): BotMessage[];
  /** Any message in a chat (bot's or user's), current state. */
  message(chatId: number, messageId: number): BotMessage | undefined;
  /** Bytes of a stored file by file_id. */
  fileBytes(fileId: string): Buffer | undefined;
  /** Commands stored by setMyCommands for a scope/language (default scope, no language). */
  myCommands(opts?: { scope?: Record<string, unknown>; languageCode?: string }): { command: string; description: string }[];
  /** Users reported as 'creator' by getChatMember in that chat. */
  setChatAdmins(chatId: number, userIds: number[]): void;
  /** Resolves once `pred()` holds (checked after every API call and user action). */
  waitUntil(pred: () => boolean, timeoutMs?: number, label?: string): Promise<void>;
  /** Answers the next `times` calls of `method` with this error instead of executing them. */
  failNext(method: string, answer: FailureAnswer, times?: number): void;
  /**
   * Network trouble: while unreachable, open connections are cut and every new request's
   * connection is closed without an answer (the client sees a network error, as with a dead link).
   */
  setReachable(reachable: boolean): void;
  /** From now on every call for the chat answers 403 "Forbidden: bot was blocked by the user". */
  blockChat(chatId: number): void;
  /** The user unblocked the bot again. */
  unblockChat(chatId: number): void;
  /** Calls for the chat wait, unanswered, until the returned function is called. */
  holdChat(chatId: number): () => void;
  /** How many calls for the chat are waiting (holdChat). */
  heldCalls(chatId: number): number;
  close(): Promise<void>;
}
