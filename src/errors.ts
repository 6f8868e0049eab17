/**
 * Error classes with stable string codes. Callers switch on `err.code`; user-facing text is
 * looked up from the code (see src/core/i18n), never taken from `message`, which is for logs
 * and must never contain secrets.
 */

export const ERROR_CODES = [
  // MJ proxy answers (mapped in src/mj/http.ts `toMjError`, the only place that does it)
  'MJ_AUTH_FAILED', // 401 / 403
  'MJ_RATE_LIMITED', // 429, code 30
  'MJ_QUEUE_FULL', // code 23, trueai code 9 "队列已满"
  'MJ_BANNED_PROMPT', // code 24 (or a FAILURE "可能包含敏感词")
  'MJ_NOT_FOUND', // code 3, 404, empty fetch body
  'MJ_VALIDATION', // code 4, 400, trueai {success:false}
  'MJ_SUBMIT_FAILED', // code 9 and any other non-accepted code
  'MJ_UNSUPPORTED', // endpoint absent on this proxy flavour
  'MJ_SERVER_ERROR', // 5xx
  'MJ_BAD_RESPONSE', // body that is not the protocol
  'MJ_NETWORK', // could not reach the proxy / timeout
  'MJ_TASK_FAILED', // task ended in FAILURE
  'MJ_TASK_TIMEOUT', // task never finished in time
  'CANCELLED', // the user cancelled the job
  // Bot-side (user input, buttons, images, limits)
  'BAD_INPUT',
  'BUTTON_INVALID',
  'BUTTON_EXPIRED',
  'NOT_OWNER',
  'FORM_EXPIRED',
  'IMAGE_INVALID',
  'IMAGE_TOO_LARGE',
  'IMAGE_DOWNLOAD_FAILED',
  'FORBIDDEN',
  'QUOTA_EXCEEDED',
  'CONFIG_INVALID',
  'STARTUP_FAILED', // the bot could not start (src/startup.ts); the message is the one line for the operator
  'STORE_UNAVAILABLE', // the store (Redis, SQLite) cannot be reached right now
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorContext {
  [key: string]: string | number | boolean | undefined;
}

/** Base class: a stable `code`, a log-safe `message`, optional `context` for localized text. */
export class BotError extends Error {
  override name = 'BotError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly context: ErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The MJ proxy said no, or could not be reached. */
export class MjError extends BotError {
  override name = 'MjError';
  constructor(
    code: ErrorCode,
    message: string,
    readonly details: {
      status?: number; // HTTP status
      mjCode?: number; // protocol `code`
      endpoint?: string; // e.g. "POST /mj/submit/imagine" (never with secrets)
      description?: string; // proxy's own text, shown to users only as detail
      retryAfterMs?: number;
      /** true when the request provably never reached the server (safe to resend a submit). */
      notSent?: boolean;
    } = {},
    context: ErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, context, options);
  }
}

/** Bad user input (prompt, images, options); `context` feeds the localized message. */
export class UserInputError extends BotError {
  override name = 'UserInputError';
}

/** A configuration value is missing or invalid; names the variable, never prints its value. */
export class ConfigError extends BotError {
  override name = 'ConfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFIG_INVALID', message, {}, options);
  }
}

/**
 * Start-up could not finish. The message is the one line `npm start` prints: the setting, what went
 * wrong and what to do — never a secret, never a platform's request payload.
 */
export class StartupError extends BotError {
  override name = 'StartupError';
  constructor(
    /** The setting to look at (e.g. TELEGRAM_BOT_TOKEN). */
    readonly setting: string,
    line: string,
    options?: { cause?: unknown },
  ) {
    super('STARTUP_FAILED', line, { setting }, options);
  }
}

export function isBotError(err: unknown): err is BotError {
  return err instanceof BotError;
}

/** Normalise anything thrown into a BotError (unknown errors become INTERNAL). */
export function toBotError(err: unknown): BotError {
  if (err instanceof BotError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new BotError('INTERNAL', message, {}, { cause: err });
}
