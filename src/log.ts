/**
 * Structured logging (pino). Secrets are scrubbed twice: by key (redact paths) and by value
 * (any configured secret appearing inside any logged string — e.g. a Telegram token inside an
 * error URL — is replaced with "[secret]"). Secrets derived at run time (webhook and hook paths)
 * join the list through `addSecret`.
 */
import pino, { type Logger, type DestinationStream } from 'pino';
import type { Config } from './config.js';
import { SECRET_KEYS } from './config.js';

export type { Logger };

const REDACT_PATHS = [
  'token', '*.token', 'apiKey', '*.apiKey', 'secret', '*.secret', 'authorization', '*.authorization',
  'headers.authorization', 'headers["mj-api-secret"]', '*.headers.authorization', '*.headers["mj-api-secret"]',
  'MJ_API_KEY', 'TELEGRAM_BOT_TOKEN', 'DISCORD_TOKEN', 'BOT_SECRET', 'secret_token', '*.secret_token',
];

/** Shorter values would over-match ordinary text. */
const MIN_SECRET_LENGTH = 6;

/** The values each logger scrubs; `addSecret` extends a logger's list after it was created. */
const scrubLists = new WeakMap<Logger, string[]>();

/** Collect the secret values of a config (ignoring empty/very short ones that would over-match). */
export function secretValues(config: Partial<Config>): string[] {
  const values: string[] = [];
  for (const key of SECRET_KEYS) {
    const value = config[key];
    if (typeof value === 'string' && value.length >= MIN_SECRET_LENGTH) values.push(value);
  }
  return values;
}

/** Replace every occurrence of a secret inside `text`. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join('[secret]');
  return out;
}

function scrubDeep(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') return scrub(value, secrets);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return { type: value.name, message: scrub(value.message, secrets), code: (value as { code?: unknown }).code, stack: value.stack ? scrub(value.stack, secrets) : undefined };
  }
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrubDeep(v, secrets, depth + 1);
  return out;
}

/** The process logger. `destination` lets tests capture output. */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'> & Partial<Config>, destination?: DestinationStream): Logger {
  const secrets = secretValues(config);
  const logger = pino(
    {
      level: config.LOG_LEVEL,
      base: { app: 'mjbot' },
      redact: { paths: REDACT_PATHS, censor: '[secret]' },
      formatters: { log: (obj) => scrubDeep(obj, secrets) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          // Scrub the message string too (pino's formatters only see the object part).
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrub(a, secrets) : a)) as typeof args;
          return method.apply(this, scrubbed);
        },
      },
    },
    destination,
  );
  scrubLists.set(logger, secrets);
  return logger;
}

/** Scrub `value` from everything `logger` writes from now on (a secret derived from the configured ones). */
export function addSecret(logger: Logger, value: string): void {
  const secrets = scrubLists.get(logger);
  if (secrets && value.length >= MIN_SECRET_LENGTH && !secrets.includes(value)) secrets.push(value);
}

/** Every value `logger` scrubs (for text printed outside it, such as the start-up failure line). */
export function secretsOf(logger: Logger): readonly string[] {
  return scrubLists.get(logger) ?? [];
}

/** A logger that drops everything (tests, benches). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
