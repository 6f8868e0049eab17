/**
 * Start-up failures as one line. Every start-up step that can hang is bounded (`withTimeout`), and
 * whatever is thrown while starting becomes the one line `npm start` prints: the setting, what went
 * wrong, what to do — never a secret, never a request payload. The adapters explain their own
 * platform's errors (only they know grammY and discord.js) with the helpers here; this module
 * explains the store, the HTTP port and the MJ proxy, and turns anything else into a safe line.
 */
import { BotError, ConfigError, MjError, StartupError } from './errors.js';
import { scrub } from './log.js';

/** How long each start-up step may take; the whole start-up stays within `npm start`'s 15 s promise. */
export const STARTUP_TIMEOUTS = {
  /** Store connection and its first round trip. */
  storeMs: 5_000,
  /** The first request to the MJ proxy (key check, flavour detection). */
  proxyMs: 5_000,
  /** A chat platform: token check, gateway or polling, command registration. */
  platformMs: 6_000,
  /** Everything, as a backstop for a step nobody bounded (leaves room for loading the code). */
  totalMs: 12_000,
} as const;

/** Plain words for the network and file errors a start-up step meets (by errno-style code). */
const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found (DNS lookup failed)',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no answer in time',
  UND_ERR_BODY_TIMEOUT: 'no answer in time',
  ECONNRESET: 'connection reset',
  UND_ERR_SOCKET: 'connection closed',
  EPIPE: 'connection closed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOENT: 'no such folder, and it cannot be created there',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'the path is a folder',
  ENOSPC: 'disk full',
  SQLITE_CANTOPEN: 'the file cannot be opened or created',
  SQLITE_READONLY: 'the file is read-only',
  SQLITE_NOTADB: 'the file is not an SQLite database',
  SQLITE_FULL: 'disk full',
};

const isDict = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Every `code` in an error, its causes and aggregated errors (grammY keeps the cause in `error`). */
export function errorCodes(err: unknown, depth = 0): string[] {
  if (!isDict(err) || depth > 5) return [];
  const own = typeof err.code === 'string' ? [err.code] : [];
  const nested = Array.isArray(err.errors) ? err.errors.flatMap((e) => errorCodes(e, depth + 1)) : [];
  return [...own, ...nested, ...errorCodes(err.cause, depth + 1), ...errorCodes(err.error, depth + 1)];
}

/** Why a connection or a file failed, in words ("connection refused"), if the error says. */
export function failureReason(err: unknown): string | undefined {
  const codes = errorCodes(err);
  const known = codes.find((code) => REASONS[code]);
  if (known) return REASONS[known];
  const tls = codes.find((code) => /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code));
  if (tls) return `TLS certificate not trusted (${tls})`;
  return codes.find((code) => /^E[A-Z]+$/.test(code));
}

/** `host[:port]` of a URL: never its credentials, path or query. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the configured address';
  }
}

/** Seconds for a line ("8 s"). */
export const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

/** Resolves like `work`, or rejects with `onTimeout()` once `ms` passed; `signal` tells the work to give up. */
export async function withTimeout<T>(work: (signal: AbortSignal) => Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(onTimeout());
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** The store could not be opened, written or reached. */
export function storeFailure(url: string, err: unknown, timeoutMs: number = STARTUP_TIMEOUTS.storeMs): StartupError {
  if (err instanceof StartupError) return err;
  const kind = url.slice(0, url.indexOf('://'));
  if (kind === 'redis' || kind === 'rediss') {
    const why = failureReason(err) ?? `no answer within ${seconds(timeoutMs)}`;
    return new StartupError('STORE_URL', `STORE_URL: cannot connect to Redis at ${hostOf(url)} (${why}): start Redis there or fix STORE_URL`, { cause: err });
  }
  if (kind === 'sqlite') {
    const path = url.slice('sqlite://'.length);
    const why = failureReason(err) ?? `no answer within ${seconds(timeoutMs)}`;
    return new StartupError('STORE_URL', `STORE_URL: cannot write the SQLite file ${path} (${why}): choose a file in a folder this user can write`, { cause: err });
  }
  return new StartupError('STORE_URL', `STORE_URL: the store cannot be opened (${failureReason(err) ?? 'unknown error'})`, { cause: err });
}

/** The HTTP server could not listen. */
export function portFailure(port: number, err: unknown): StartupError {
  const codes = errorCodes(err);
  if (codes.includes('EADDRINUSE')) {
    return new StartupError('HTTP_PORT', `HTTP_PORT ${port} is already in use by another program: stop that program or choose another HTTP_PORT`, { cause: err });
  }
  if (codes.includes('EACCES')) {
    return new StartupError('HTTP_PORT', `HTTP_PORT ${port} may not be opened by this user (ports below 1024 need privileges): choose a port above 1023`, { cause: err });
  }
  return new StartupError('HTTP_PORT', `HTTP_PORT ${port} cannot be opened (${failureReason(err) ?? 'unknown error'}): choose another HTTP_PORT`, { cause: err });
}

export interface ProxySettings {
  baseUrl: string;
  hasKey: boolean;
  authHeader: string;
  /** MJ_FLAVOUR is `auto`: the first answers must tell which proxy it is. */
  detecting: boolean;
}

/**
 * The first request to the MJ proxy failed. A rejected key (or a server that is no MJ proxy at
 * all, when its flavour is being detected) stops the start; an unreachable or failing proxy does
 * not (undefined): the bot starts, tells users it cannot reach the proxy and keeps checking.
 */
export function proxyFailure(err: unknown, proxy: ProxySettings): StartupError | undefined {
  if (!(err instanceof MjError)) return undefined;
  const host = hostOf(proxy.baseUrl);
  const status = err.details.status ? `HTTP ${err.details.status}` : err.code;
  if (err.code === 'MJ_AUTH_FAILED') {
    if (!proxy.hasKey) return new StartupError('MJ_API_KEY', `MJ_API_KEY is not set, but the MJ proxy at ${host} requires a key (${status}): set MJ_API_KEY`, { cause: err });
    return new StartupError(
      'MJ_API_KEY',
      `MJ_API_KEY was rejected by the MJ proxy at ${host} (${status}): copy the key from the proxy's settings again and check MJ_AUTH_HEADER (now ${proxy.authHeader})`,
      { cause: err },
    );
  }
  const notAProxy = err.code === 'MJ_BAD_RESPONSE' || err.code === 'MJ_UNSUPPORTED' || err.code === 'MJ_VALIDATION' || err.code === 'MJ_NOT_FOUND';
  if (proxy.detecting && notAProxy) {
    return new StartupError(
      'MJ_BASE_URL',
      `MJ_BASE_URL: the server at ${host} does not answer like an MJ proxy (${status} on ${err.details.endpoint ?? 'the first request'}): check MJ_BASE_URL (the part before /mj) or set MJ_FLAVOUR`,
      { cause: err },
    );
  }
  return undefined;
}

/** Why the MJ proxy could not be used, for the warning line ("connection refused", "HTTP 502"). */
export function proxyTrouble(err: unknown): string {
  if (err instanceof MjError && err.details.status) return `HTTP ${err.details.status}`;
  return failureReason(err) ?? (err instanceof Error ? err.message : 'no answer');
}

const MAX_LINE = 300;

/** "Invalid configuration:\n  A: …\n  B: …" → "Invalid configuration: A: …; B: …". */
function oneLine(text: string): string {
  const [head = '', ...rest] = text.split('\n').map((part) => part.trim()).filter(Boolean);
  return rest.length ? `${head} ${rest.join('; ')}` : head;
}

/** The one line printed when start-up fails: safe to show (secrets scrubbed, no payloads, one line). */
export function startupLine(err: unknown, secrets: readonly string[]): string {
  let line: string;
  if (err instanceof StartupError) line = err.message;
  else if (err instanceof ConfigError) line = oneLine(err.message);
  else if (err instanceof BotError) line = `start-up failed (${err.code}): ${err.message}`;
  else if (err instanceof Error) line = `start-up failed: ${err.name}: ${err.message.split('\n')[0] ?? ''}`;
  else line = 'start-up failed for an unknown reason: run with LOG_LEVEL=debug to see more';
  line = scrub(line.replace(/\s*\n\s*/g, ' '), secrets);
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 1)}…` : line;
}
