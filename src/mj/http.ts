/**
 * Transport to an MJ proxy (undici, keep-alive, a total deadline and a size cap per request, JSON)
 * and the ONE place that maps what the proxy answered — or failed to answer — to an `MjError`
 * (docs/protocol.md#return-codes, #error-bodies).
 */
import { Agent, request, type Dispatcher } from 'undici';
import { MjError, type ErrorCode } from '../errors.js';
import { OpenAiErrorSchema, RelayErrorSchema, SubmitResultSchema, TrueaiErrorSchema, type SubmitResult } from './schemas.js';

/** What the transport read from the proxy: status, headers and the body (raw and, if JSON, parsed). */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Raw body text ('' when empty). */
  text: string;
  /** Parsed JSON, or undefined when the body was empty or not JSON. */
  json: unknown;
  /** True when the body was non-empty but not valid JSON. */
  garbage: boolean;
}

/** Codes that mean "the proxy accepted the submit" for every implementation (docs/protocol.md#return-codes). */
export const ACCEPTED_CODES = new Set([1, 21, 22]);

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};

/** `Retry-After` as milliseconds (delta-seconds or HTTP date), if present and sane. */
export function retryAfterMs(headers: HttpAnswer['headers']): number | undefined {
  const raw = headers['retry-after'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Removes every occurrence of the secrets from proxy-provided text (some proxies echo tokens). */
export function redact(text: string | undefined, secrets: readonly string[]): string | undefined {
  if (text === undefined) return undefined;
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('***');
  return out;
}

/** Protocol `code` → error code for a non-accepted submit envelope (docs/protocol.md#return-codes). */
function codeToError(code: number, description: string): ErrorCode {
  if (code === 23 || (code === 9 && description.includes('队列已满'))) return 'MJ_QUEUE_FULL';
  if (code === 24) return 'MJ_BANNED_PROMPT';
  if (code === 3) return 'MJ_NOT_FOUND';
  if (code === 4) return 'MJ_VALIDATION';
  if (code === 30) return 'MJ_RATE_LIMITED';
  return 'MJ_SUBMIT_FAILED';
}

/** new-api local error `{description,type,code}` → error code (docs/protocol.md#error-bodies). */
function relayToError(code: number | undefined, description: string): ErrorCode {
  if (/task_no[t]?_found/.test(description)) return 'MJ_NOT_FOUND';
  if (description.includes('unknown_action')) return 'MJ_UNSUPPORTED';
  if (code === 30) return 'MJ_RATE_LIMITED';
  if (code === 23) return 'MJ_QUEUE_FULL';
  if (code === 24) return 'MJ_BANNED_PROMPT';
  return 'MJ_VALIDATION';
}

/** The submit envelope, unless the body carries the markers of the trueai / new-api error shapes. */
function asEnvelope(json: unknown): SubmitResult | undefined {
  if (!isDict(json) || json.success === false || typeof json.type === 'string') return undefined;
  if (!('description' in json || 'result' in json || 'properties' in json)) return undefined;
  const parsed = SubmitResultSchema.safeParse(json);
  return parsed.success && Number.isFinite(parsed.data.code) ? parsed.data : undefined;
}

/**
 * Maps an HTTP answer to an MjError, or returns `null` when the answer is not an error (2xx with
 * an accepted envelope, a task, a list, or an empty body — the caller decides what it needs).
 * `secrets` are scrubbed from every proxy text that ends up in the error.
 */
export function toMjError(answer: HttpAnswer, endpoint: string, secrets: readonly string[] = []): MjError | null {
  const { status, json } = answer;
  const envelope = asEnvelope(json);
  const base = { status, endpoint, mjCode: envelope?.code };
  const make = (code: ErrorCode, what: string, description?: string, extra: Partial<MjError['details']> = {}, context = {}) => {
    const safe = redact(description, secrets);
    return new MjError(code, `${endpoint}: ${what}${safe ? ` (${safe})` : ''}`, { ...base, description: safe, ...extra }, context);
  };

  if (status === 401 || status === 403) return make('MJ_AUTH_FAILED', `HTTP ${status}`, proxyText(answer));
  if (status === 429) {
    const code = envelope?.code === 23 ? 'MJ_QUEUE_FULL' : 'MJ_RATE_LIMITED';
    return make(code, 'HTTP 429', proxyText(answer), { retryAfterMs: retryAfterMs(answer.headers) });
  }
  if (status >= 500) return make('MJ_SERVER_ERROR', `HTTP ${status}`, proxyText(answer));

  if (envelope) {
    if (ACCEPTED_CODES.has(envelope.code) && status >= 200 && status < 300) return null;
    const code = codeToError(envelope.code, envelope.description);
    const context = code === 'MJ_BANNED_PROMPT' ? { bannedWord: str(envelope.properties.bannedWord) } : {};
    const extra = code === 'MJ_RATE_LIMITED' ? { retryAfterMs: retryAfterMs(answer.headers) } : {};
    return make(code, `code ${envelope.code}`, envelope.description, extra, context);
  }
  const trueai = TrueaiErrorSchema.safeParse(json);
  if (trueai.success) return make('MJ_VALIDATION', 'rejected', trueai.data.message);
  const relay = RelayErrorSchema.safeParse(json);
  if (relay.success && relay.data.type !== undefined) {
    const relayCode = num(relay.data.code);
    return make(relayToError(relayCode, relay.data.description), `HTTP ${status}`, relay.data.description.trim(), { mjCode: relayCode });
  }
  // A 404 that is not the protocol (Spring `{status:404,error:"Not Found"}`, HTML, empty): no such endpoint.
  if (status === 404 || status === 405) return make('MJ_UNSUPPORTED', `HTTP ${status}, endpoint not available`);
  if (status >= 400) return make('MJ_VALIDATION', `HTTP ${status}`, proxyText(answer));
  if (status < 200 || status >= 300) return make('MJ_BAD_RESPONSE', `unexpected HTTP ${status}`);
  if (answer.garbage) return make('MJ_BAD_RESPONSE', 'body is not JSON');
  return null;
}

/** Best human text of a non-protocol error: OpenAI-style, trueai, Spring JSON, or a short plain-text body. */
function proxyText(answer: HttpAnswer): string | undefined {
  const { json, text } = answer;
  const openAi = OpenAiErrorSchema.safeParse(json);
  if (openAi.success) return openAi.data.error.message;
  if (isDict(json)) return str(json.description) ?? str(json.message) ?? str(json.error);
  const plain = text.trim();
  return plain && plain.length <= 200 && !plain.startsWith('<') ? plain : undefined;
}

/** Error for a 2xx body that parsed as JSON but is not the expected shape. */
export function badResponse(endpoint: string, status: number, what: string): MjError {
  return new MjError('MJ_BAD_RESPONSE', `${endpoint}: ${what}`, { status, endpoint });
}

/** Error codes of failures where the request provably never left this process. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

function errorCodes(err: unknown, depth = 0): string[] {
  if (!isDict(err) || depth > 3) return [];
  const own = typeof err.code === 'string' ? [err.code] : [];
  const nested = Array.isArray(err.errors) ? err.errors.flatMap((e) => errorCodes(e, depth + 1)) : [];
  return [...own, ...nested, ...errorCodes(err.cause, depth + 1)];
}

/**
 * Maps a thrown transport error to MJ_NETWORK. `notSent` is true only for failures before the
 * connection existed (refused, DNS, connect timeout) — never for a reset or a headers/body timeout,
 * where the proxy may already have acted on the request.
 */
export function networkError(err: unknown, endpoint: string, timedOut = false): MjError {
  const codes = errorCodes(err);
  const notSent = !timedOut && codes.length > 0 && codes.every((c) => NOT_SENT_CODES.has(c));
  const what = timedOut ? 'deadline exceeded' : (codes[0] ?? (err instanceof Error ? err.name : 'unknown error'));
  return new MjError('MJ_NETWORK', `${endpoint}: network failure ${what}`, { endpoint, notSent }, {}, { cause: err });
}

/** An answer larger than the cap (docs/protocol.md#transport): read no further. */
export function oversizeError(endpoint: string, status: number, maxBytes: number): MjError {
  return new MjError('MJ_BAD_RESPONSE', `${endpoint}: answer larger than ${maxBytes} bytes`, { endpoint, status });
}

/** Default cap of one answer: ample for 100 tasks with their buttons, far below what hurts memory. */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** pino-compatible logger subset. */
export interface MjLogger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface TransportOptions {
  /** Everything before `/mj` (may have its own path prefix). */
  baseUrl: string;
  /** `/mj` or `/mj-<mode>/mj`. */
  prefix: string;
  /** Auth headers to send on every request. */
  headers: Record<string, string>;
  dispatcher?: Dispatcher;
  /** Total deadline of one request: connect, headers and the whole body. */
  timeoutMs: number;
  connectTimeoutMs?: number;
  /** Largest answer read (default DEFAULT_MAX_RESPONSE_BYTES); more is refused as MJ_BAD_RESPONSE. */
  maxResponseBytes?: number;
  logger?: MjLogger;
  /** Values scrubbed from every text that ends up in an error. */
  secrets: readonly string[];
  /** Called after every exchange (metrics): status 0 = no answer; `errorCode` = the MjError code it maps to, if any. */
  onResponse?: ResponseObserver;
}

/** Observer of proxy exchanges; must not throw. `endpoint` is "METHOD /mj/...". */
export type ResponseObserver = (endpoint: string, status: number, ms: number, errorCode?: string) => void;

/** How long `close()` lets requests in flight finish before it cuts them off. */
const CLOSE_GRACE_MS = 2000;

/** One HTTP exchange with the proxy; throws MJ_NETWORK, never interprets the body beyond JSON. */
export class MjTransport {
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly base: string;
  /** Aborts every request in flight once closing has waited long enough. */
  private readonly closing = new AbortController();

  constructor(private readonly opts: TransportOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '');
    this.ownsDispatcher = !opts.dispatcher;
    this.dispatcher = opts.dispatcher ?? new Agent({
      keepAliveTimeout: 30_000,
      connect: { timeout: opts.connectTimeoutMs ?? 10_000 },
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
    });
  }

  /** "METHOD /mj/..." — the log/error name of an endpoint; never contains host, query or keys. */
  endpoint(method: string, path: string): string {
    return `${method} ${this.opts.prefix}${path}`;
  }

  get secrets(): readonly string[] {
    return this.opts.secrets;
  }

  /**
   * One request, bounded: `timeoutMs` covers everything up to the last byte of the body (a proxy
   * trickling its answer is cut off), and an answer over `maxResponseBytes` is refused unread.
   * `signal` aborts it early (shutdown).
   */
  async send(method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal): Promise<HttpAnswer> {
    const endpoint = this.endpoint(method, path);
    const headers: Record<string, string> = { accept: 'application/json', ...this.opts.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const started = Date.now();
    const deadline = AbortSignal.timeout(this.opts.timeoutMs);
    const stop = AbortSignal.any([deadline, this.closing.signal, ...(signal ? [signal] : [])]);
    try {
      const res = await request(`${this.base}${this.opts.prefix}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        dispatcher: this.dispatcher,
        signal: stop,
        headersTimeout: this.opts.timeoutMs,
        bodyTimeout: this.opts.timeoutMs,
      });
      const text = await this.readBody(res, endpoint);
      const ms = Date.now() - started;
      this.opts.logger?.debug({ endpoint, status: res.statusCode, ms }, 'mj request');
      const answer: HttpAnswer = { status: res.statusCode, headers: res.headers, text, ...parseJson(text) };
      this.observe(endpoint, answer.status, ms, () => toMjError(answer, endpoint)?.code);
      return answer;
    } catch (err) {
      const mapped = err instanceof MjError ? err : networkError(err, endpoint, deadline.aborted);
      const ms = Date.now() - started;
      this.opts.logger?.warn({ endpoint, code: mapped.code, notSent: mapped.details.notSent, ms }, 'mj request failed');
      this.observe(endpoint, mapped.details.status ?? 0, ms, () => mapped.code);
      throw mapped;
    }
  }

  /** The body as text, never more than the cap (checked against Content-Length first, then while reading). */
  private async readBody(res: Dispatcher.ResponseData, endpoint: string): Promise<string> {
    const max = this.opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) {
      res.body.destroy();
      throw oversizeError(endpoint, res.statusCode, max);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size > max) {
        res.body.destroy();
        throw oversizeError(endpoint, res.statusCode, max);
      }
      chunks.push(buf);
    }
    return Buffer.concat(chunks, size).toString('utf8');
  }

  private observe(endpoint: string, status: number, ms: number, errorCode: () => string | undefined): void {
    if (!this.opts.onResponse) return;
    try {
      this.opts.onResponse(endpoint, status, ms, errorCode());
    } catch {
      // A broken metrics hook must never fail a request.
    }
  }

  /** Let requests in flight finish for a moment, then cut them off: closing never hangs on a slow proxy. */
  async close(graceMs = CLOSE_GRACE_MS): Promise<void> {
    const timer = setTimeout(() => this.closing.abort(new Error('mj client closed')), graceMs);
    timer.unref?.();
    try {
      if (this.ownsDispatcher) await this.dispatcher.close();
    } finally {
      clearTimeout(timer);
    }
  }
}

function parseJson(text: string): { json: unknown; garbage: boolean } {
  if (text.trim() === '') return { json: undefined, garbage: false };
  try {
    return { json: JSON.parse(text) as unknown, garbage: false };
  } catch {
    return { json: undefined, garbage: true };
  }
}
