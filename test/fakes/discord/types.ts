/** Public types of the fake Discord server (gateway + REST) used by end-to-end tests. */

/** Options for {@link startFakeDiscord}. Every field has a realistic default. */
export interface FakeDiscordOptions {
  token?: string;
  applicationId?: string;
  botUserId?: string;
  /** Injectable clock for the 3-second initial-response window and the 15-minute token lifetime. */
  now?: () => number;
  guildId?: string;
  channelId?: string;
  /** Per-file upload limit in bytes (default 10 MiB); sent in interactions as `attachment_size_limit`. */
  attachmentSizeLimit?: number;
  /**
   * Rate limits (wall clock; `false` turns them all off): requests per interaction webhook token
   * (default 5 per 2000 ms), public messages created or edited per channel through any route
   * (default 5 per 5000 ms; `false` off), bot-token requests per second (default 50).
   */
  rateLimit?: { webhookEditsPerWindow?: number; windowMs?: number; channel?: { limit: number; windowMs: number } | false; globalPerSecond?: number } | false;
}

/** A Discord user as the fake sends it in interactions. */
export interface FakeUser {
  id: string;
  username: string;
  globalName?: string;
}

/** An attachment stored on a message in the fake. */
export interface FakeAttachment {
  id: string;
  filename: string;
  bytes: Buffer;
  contentType?: string;
  size: number;
  url: string;
}

/** The current state of one message the bot created (channel message, interaction reply or follow-up). */
export interface FakeMessage {
  id: string;
  channelId: string;
  content: string;
  embeds: unknown[];
  components: unknown[];
  attachments: FakeAttachment[];
  flags: number;
  /** True when flag 64 (EPHEMERAL) is set. */
  ephemeral: boolean;
  /** Id of the interaction whose reply or follow-up this is. */
  interactionId?: string;
  createdAt: number;
  editedAt?: number;
  /** Number of successful edits (PATCH or type-7 update) so far. */
  editCount: number;
}

/** One HTTP request the fake received, with the status it answered. */
export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
  files: { name: string; bytes: Buffer; contentType?: string }[];
  status: number;
  at: number;
}

/** Observes the responses the bot gave to one interaction. */
export interface InteractionHandle {
  id: string;
  token: string;
  /** Accepted callback responses, in order. */
  responses: { type: number; data?: unknown; at: number }[];
  /** Set when the bot answered with a modal (type 9). */
  modal?: { custom_id: string; title: string; components: unknown[] };
  /** The message created by a type 4 or type 5 (deferred) response. */
  originalMessageId?: string;
  /** Ephemeral messages tied to this interaction (reply or follow-ups). */
  ephemeralReplies(): FakeMessage[];
  /** All messages tied to this interaction (reply and follow-ups), ephemeral or not. */
  replies(): FakeMessage[];
}

/** The running fake; see the file header of index.ts for the routes it serves. */
export interface FakeDiscord {
  readonly apiBase: string;
  readonly token: string;
  readonly applicationId: string;
  readonly botUserId: string;
  readonly guildId: string;
  readonly channelId: string;
  readonly requests: RecordedRequest[];
  /** The last PUT of application (or guild) commands. */
  readonly commands: unknown[];
  /** Number of 429 answers sent so far. */
  readonly rateLimitedCount: number;
  /** 429 answers by cause: a route's bucket, a channel's message limit (scope shared), the global limit. */
  readonly rateLimits: { readonly route: number; readonly channel: number; readonly global: number };
  /** Resolves once a client has IDENTIFYed and received READY + GUILD_CREATE. */
  ready(): Promise<void>;
  slash(opts: {
    name: string;
    options?: { name: string; type: number; value?: unknown }[];
    user?: FakeUser;
    attachments?: { name: string; bytes: Buffer; contentType?: string }[];
    locale?: string;
  }): InteractionHandle;
  click(opts: { messageId: string; customId: string; user?: FakeUser; locale?: string }): InteractionHandle;
  select(opts: { messageId: string; customId: string; values: string[]; user?: FakeUser; locale?: string }): InteractionHandle;
  submitModal(opts: { parent: InteractionHandle; values: Record<string, string>; user?: FakeUser; locale?: string }): InteractionHandle;
  messages(): FakeMessage[];
  message(id: string): FakeMessage | undefined;
  /** Resolves when `pred` holds; checked after every request and gateway event. */
  waitUntil(pred: () => boolean, timeoutMs?: number, label?: string): Promise<void>;
  /** Moves the fake's clock forward (an offset added to the base clock). */
  advance(ms: number): void;
  /** Closes the gateway socket with a resumable code so the client resumes. */
  disconnectClient(): void;
  close(): Promise<void>;
}
