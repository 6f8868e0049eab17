/**
 * The one configuration schema. Parsed once at start-up (`loadConfig`) from the environment
 * (and `.env` if present); everything else receives the typed `Config`. Nothing else reads
 * process.env. Error messages name the variable and what is allowed, never its value.
 */
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { IMAGE_ROUTES } from './mj/routes.js';

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const optionalUrl = z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/ }).optional());
const intWithDefault = (def: number, min: number, max: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).default(def));
const boolWithDefault = (def: boolean) =>
  z.preprocess(emptyToUndefined, z.enum(['true', 'false', '1', '0', 'yes', 'no']).default(def ? 'true' : 'false'))
    .transform((v) => v === 'true' || v === '1' || v === 'yes');
/** How ids look per platform: Telegram and Discord ids are numbers (Telegram chats are negative), console ids are names. */
const ID_FORMS = {
  user: { telegram: /^\d{1,20}$/, discord: /^\d{1,20}$/, console: /^[A-Za-z0-9_.-]{1,64}$/ },
  chat: { telegram: /^-?\d{1,20}$/, discord: /^\d{1,20}$/, console: /^[A-Za-z0-9_.-]{1,64}$/ },
} as const;
const LIST_HELP = {
  user: 'telegram:<user id>, discord:<user id> or console:<name>',
  chat: 'telegram:<chat id>, discord:<channel id> or console:<name>',
} as const;

/** Comma-separated entries, each trimmed; an empty variable is an empty list. */
const entries = (v: string | undefined) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []);

/** `platform:id` entries, strictly: a known platform and an id of its form. A bad entry is named (ids are not secret). */
const platformList = (kind: 'user' | 'chat') =>
  z.preprocess(emptyToUndefined, z.string().optional()).transform((v, ctx) => {
    const list = entries(v);
    for (const entry of list) {
      const [, platform, id] = /^(telegram|discord|console):(.*)$/.exec(entry) ?? [];
      const form = platform ? ID_FORMS[kind][platform as keyof (typeof ID_FORMS)['user']] : undefined;
      if (!form || !form.test(id ?? '')) ctx.addIssue({ code: 'custom', message: `"${entry}" is not one of ${LIST_HELP[kind]}` });
    }
    return list;
  });

/** Discord ids (guilds, channels): numbers, with or without a `discord:` prefix. */
const discordIdList = z.preprocess(emptyToUndefined, z.string().optional()).transform((v, ctx) =>
  entries(v).map((entry) => {
    const id = entry.replace(/^discord:/, '');
    if (!/^\d{1,20}$/.test(id)) ctx.addIssue({ code: 'custom', message: `"${entry}" is not a Discord id (a number)` });
    return id;
  }),
);

export const MJ_FLAVOURS = ['auto', 'oss', 'plus', 'trueai', 'newapi'] as const;

const redisPrefix = z.preprocess(emptyToUndefined, z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be 1–40 letters, digits, "_" or "-"').optional());

export const ConfigSchema = z.object({
  /** The part of the proxy URL before `/mj` (may carry its own path prefix). Unset = embedded simulator. */
  MJ_BASE_URL: optionalUrl,
  MJ_API_KEY: optionalString,
  /** How the key is sent: `mj-api-secret` header (default), raw `Authorization`, or `Authorization: Bearer`. */
  MJ_AUTH_HEADER: z.preprocess(emptyToUndefined, z.enum(['mj-api-secret', 'authorization', 'bearer']).default('mj-api-secret')),
  MJ_MODE: z.preprocess(emptyToUndefined, z.enum(['fast', 'relax', 'turbo']).optional()),
  /** Relays only: how image links come back (relay | origin | proxy); replaces the route part of MJ_BASE_URL's segment. */
  MJ_IMAGE_ROUTE: z.preprocess(emptyToUndefined, z.enum(IMAGE_ROUTES).optional()),
  /** Which proxy implementation is behind MJ_BASE_URL; `auto` probes it. */
  MJ_FLAVOUR: z.preprocess(emptyToUndefined, z.enum(MJ_FLAVOURS).default('auto')),
  MJ_POLL_INTERVAL_MS: intWithDefault(3000, 10, 600_000),
  /** A task that has not finished after this long fails with a clear message. */
  MJ_TASK_TIMEOUT_MS: intWithDefault(15 * 60_000, 1000, 24 * 3600_000),
  /** Total deadline of one request to the proxy, body included. */
  MJ_REQUEST_TIMEOUT_MS: intWithDefault(30_000, 100, 600_000),
  /** Largest answer read from the proxy; a bigger one is refused (a poll stays cheap whatever the proxy sends). */
  MJ_MAX_RESPONSE_BYTES: intWithDefault(8 * 1024 * 1024, 64 * 1024, 256 * 1024 * 1024),

  TELEGRAM_BOT_TOKEN: optionalString,
  TELEGRAM_API_ROOT: z.preprocess(emptyToUndefined, z.url({ protocol: /^https?$/ }).refine((u) => !u.endsWith('/'), 'must not end with "/"').optional()),
  TELEGRAM_WEBHOOK_URL: optionalUrl,
  TELEGRAM_WEBHOOK_SECRET: z.preprocess(emptyToUndefined, z.string().min(12).regex(/^[A-Za-z0-9_-]+$/).optional()),

  DISCORD_TOKEN: optionalString,
  DISCORD_API_BASE: optionalUrl,
  DISCORD_GUILD_ID: optionalString,

  /** `sqlite://path` (default ./data/mjbot.sqlite) or `redis://...`; `memory://` for tests. */
  STORE_URL: z.preprocess(emptyToUndefined, z.string().regex(/^(sqlite|redis|rediss|memory):\/\//, 'must start with sqlite://, redis:// or memory://').default('sqlite://./data/mjbot.sqlite')),
  /** Redis store only: how long a dead process keeps its tasks before a live one takes them over. */
  FLEET_LOCK_MS: intWithDefault(30_000, 500, 600_000),
  /**
   * Redis only: the first part of every key the bot writes there — its store, quotas and lines,
   * job queues and channels — so several bots can share one Redis (default "mjbot").
   */
  REDIS_PREFIX: redisPrefix,
  /** The old name of REDIS_PREFIX: still read, with a warning at start-up. */
  FLEET_PREFIX: redisPrefix,
  /** Public base URL of the notifyHook receiver; unset = polling only. */
  PUBLIC_URL: optionalUrl,
  /** Port of the HTTP server (notifyHook receiver, Telegram webhook, /healthz, /metrics). Unset and no PUBLIC_URL = no server. */
  HTTP_PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65535).optional()),
  /** Secret that signs button payloads and hook URLs; generated and stored if unset. */
  BOT_SECRET: z.preprocess(emptyToUndefined, z.string().min(16).optional()),

  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  DEFAULT_LOCALE: z.preprocess(emptyToUndefined, z.enum(['en', 'zh']).default('en')),
  OUTPUT_DIR: z.preprocess(emptyToUndefined, z.string().default('./output')),
  MAX_IMAGE_BYTES: intWithDefault(20 * 1024 * 1024, 1024, 200 * 1024 * 1024),
  /** In groups, only the requester may press a result's buttons unless this is false. */
  OWNER_ONLY_BUTTONS: boolWithDefault(true),
  /** Bot admins, `platform:userId`. */
  ADMIN_USERS: platformList('user'),
  /** Allowlists (empty = everyone; a request passes when it matches any non-empty one). `platform:userId`. */
  ALLOW_USERS: platformList('user'),
  /** Chats, `platform:chatId`. */
  ALLOW_CHATS: platformList('chat'),
  /** Discord guild ids. */
  ALLOW_GUILDS: discordIdList,
  /** Discord channel ids. */
  ALLOW_CHANNELS: discordIdList,
  /** Successful jobs per user per UTC day (0 = unlimited). Failed jobs are refunded. */
  DAILY_QUOTA: intWithDefault(0, 0, 1_000_000),
  /** Jobs one user may have in flight (waiting in a chat's line or drawing) at once. */
  USER_MAX_RUNNING: intWithDefault(3, 1, 1000),
  /** Jobs drawing at once per chat (per guild on Discord); more wait in a fair, round-robin line. */
  CHAT_MAX_RUNNING: intWithDefault(4, 1, 1000),
}).transform((c) => ({ ...c, REDIS_PREFIX: c.REDIS_PREFIX ?? c.FLEET_PREFIX ?? 'mjbot' }));

export type Config = z.output<typeof ConfigSchema>;

/** Warnings about the configuration worth logging at start-up (deprecated names …). */
export function configWarnings(config: Config): string[] {
  if (config.FLEET_PREFIX === undefined) return [];
  return [config.FLEET_PREFIX === config.REDIS_PREFIX ? 'FLEET_PREFIX is deprecated: rename it to REDIS_PREFIX' : 'FLEET_PREFIX is deprecated and ignored: REDIS_PREFIX is set'];
}

/** Names whose values must never be printed. */
export const SECRET_KEYS = ['MJ_API_KEY', 'TELEGRAM_BOT_TOKEN', 'DISCORD_TOKEN', 'BOT_SECRET', 'TELEGRAM_WEBHOOK_SECRET'] as const;

/** Parse an environment-like record. Throws ConfigError naming each bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '?');
    return `  ${name}: ${describeIssue(issue)}`;
  });
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`, { cause: parsed.error });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  // Never echo the received value: it may be a secret.
  if (issue.code === 'invalid_value' && 'values' in issue) return `must be one of ${issue.values.join(', ')}`;
  if (issue.code === 'too_small' && issue.origin === 'string') return `must be at least ${String(issue.minimum)} characters`;
  if (issue.code === 'too_small' || issue.code === 'too_big') return `out of range (${issue.message})`;
  if (issue.code === 'invalid_format') return issue.format === 'url' ? 'must be an http(s) URL' : issue.message;
  if (issue.code === 'invalid_type') return `must be a ${issue.expected}`;
  return issue.message;
}

/** Read process.env (plus `.env` if present) once. The only place in the codebase that touches process.env. */
export async function loadConfig(envFile = '.env'): Promise<Config> {
  const { existsSync } = await import('node:fs');
  const fileEnv: Record<string, string> = {};
  if (existsSync(envFile)) {
    const dotenv = await import('dotenv');
    const { readFileSync } = await import('node:fs');
    Object.assign(fileEnv, dotenv.parse(readFileSync(envFile)));
  }
  return parseConfig({ ...fileEnv, ...process.env });
}
