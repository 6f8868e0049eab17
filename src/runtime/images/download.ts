/**
 * Download an image from a URL we do not control (MJ results on Discord's CDN, relay gateway
 * URLs, links users paste): size-capped while streaming, time-boxed, SSRF-guarded on every
 * redirect hop, and verified by content. Error messages never contain query strings, because
 * signed CDN URLs carry their tokens there.
 */
import { lookup as dnsLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { request, type Dispatcher } from 'undici';
import { BotError, UserInputError } from '../../errors.js';
import { imageTooLarge } from '../../core/domain/images/data-url.js';
import { sniffImage, type ImageMime } from '../../core/domain/images/sniff.js';
import { sniffVideo, type VideoMime } from '../../core/domain/images/video.js';
import { isAllowedOrigin, isPrivateAddress, resolveHost, type ResolvedAddress } from './ssrf.js';
import { httpGet, type GetResponse } from './http-get.js';

export interface DownloadOptions {
  /** Refuse (IMAGE_TOO_LARGE) as soon as more than this many bytes arrive. */
  maxBytes: number;
  /** Whole download, redirects included (default 20000). */
  timeoutMs?: number;
  /**
   * Send through this undici dispatcher (e.g. an outbound proxy); default: one connection per hop,
   * pinned to the checked addresses, whose body is read through one reused buffer (http-get.ts).
   */
  dispatcher?: Dispatcher;
  /** Sent to the first origin only; dropped when a redirect leaves it (they may hold credentials). */
  headers?: Record<string, string>;
  /**
   * SSRF guard: origins (`scheme://host[:port]`) that may be private/loopback (e.g. the configured
   * proxy itself, the embedded simulator); scheme, host and effective port must all match. Any other
   * URL resolving to a private, loopback, link-local, CGNAT, unique-local or reserved address (IPv4 and
   * IPv6, incl. every IPv4-embedding form) is refused.
   */
  allowOrigins?: string[];
  /** Skip the SSRF guard entirely (tests of other modules). */
  allowPrivate?: boolean;
  /** What the bytes must be: an image (default) or a clip (MP4, WebM, GIF). */
  kind?: 'image' | 'video';
}

export interface DownloadedImage {
  bytes: Buffer;
  mime: ImageMime | VideoMime;
  ext: string;
  width?: number;
  height?: number;
}

const DEFAULT_TIMEOUT_MS = 20_000;
const MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

/** The URL without credentials, query or fragment: safe for logs and error messages. */
export function safeUrl(url: URL | string): string {
  try {
    const u = typeof url === 'string' ? new URL(url) : url;
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '<invalid url>';
  }
}



function failed(message: string, context: Record<string, string | number | boolean>, cause?: unknown): BotError {
  return new BotError('IMAGE_DOWNLOAD_FAILED', message, context, cause === undefined ? undefined : { cause });
}

function parseHttpUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw failed('not a valid URL', { reason: 'url' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw failed(`unsupported scheme ${url.protocol}`, { reason: 'url' });
  return url;
}

/** Connect only to the addresses the guard already checked (no second DNS answer can sneak in). */
function pinnedLookup(checked: Map<string, ResolvedAddress[]>, fallback: LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    const addresses = checked.get(hostname.toLowerCase());
    const first = addresses?.[0];
    if (!addresses || !first) return fallback(hostname, options, callback);
    if (options.all) callback(null, addresses);
    else callback(null, first.address, first.family);
  };
}

async function guard(url: URL, opts: DownloadOptions, checked: Map<string, ResolvedAddress[]>): Promise<void> {
  if (opts.allowPrivate || isAllowedOrigin(url, opts.allowOrigins)) return;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const addresses = await resolveHost(host);
  if (addresses.length === 0 || addresses.some((a) => isPrivateAddress(a.address))) {
    throw failed(`refused to fetch a private address: ${safeUrl(url)}`, { reason: 'blocked' });
  }
  checked.set(host, addresses);
}

/** Drop a response body we will not read; undici reports the abort as an error we expect. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

/**
 * A body collected into one buffer, refused past maxBytes: of the declared size when there is one
 * (the image is held once, not as chunks plus their concatenation), else grown by doubling.
 * Throws at once when the declared size is already too large.
 */
function bodyBuffer(declared: string | undefined, maxBytes: number, where: string): { add(bytes: Buffer): void; bytes(): Buffer } {
  const length = Number(declared);
  if (Number.isFinite(length) && length > maxBytes) throw imageTooLarge(maxBytes, where);
  const fixed = Number.isSafeInteger(length) && length > 0 ? length : undefined;
  let into = Buffer.allocUnsafe(fixed ?? Math.min(maxBytes, 1024 * 1024));
  let total = 0;
  return {
    add(bytes) {
      if (total + bytes.length > maxBytes) throw imageTooLarge(maxBytes, where);
      if (total + bytes.length > into.length) {
        if (fixed !== undefined) throw failed(`more bytes than declared: ${where}`, { reason: 'network' });
        const grown = Buffer.allocUnsafe(Math.min(maxBytes, Math.max(into.length * 2, total + bytes.length)));
        into.copy(grown, 0, 0, total);
        into = grown;
      }
      bytes.copy(into, total);
      total += bytes.length;
    },
    bytes: () => (total === into.length ? into : into.subarray(0, total)),
  };
}

/** An undici body (outbound-proxy downloads); refusing it closes the connection, so the rest is never read. */
async function readCapped(body: Dispatcher.ResponseData['body'], declared: string | string[] | undefined, maxBytes: number, where: string): Promise<Buffer> {
  try {
    const into = bodyBuffer(first(declared), maxBytes, where);
    for await (const chunk of body) into.add(chunk as Buffer);
    return into.bytes();
  } catch (err) {
    discard(body);
    throw err;
  }
}

/** A body read through http-get.ts's reused buffer; a refusal from the sink ends the exchange. */
async function readSink(res: GetResponse, maxBytes: number, where: string): Promise<Buffer> {
  let into: ReturnType<typeof bodyBuffer>;
  try {
    into = bodyBuffer(res.headers['content-length'], maxBytes, where);
  } catch (err) {
    res.discard();
    throw err;
  }
  await res.body((bytes) => into.add(bytes));
  return into.bytes();
}

/** One hop's answer, whichever client fetched it. */
interface Reply {
  statusCode: number;
  location: string | undefined;
  discard(): void;
  read(maxBytes: number, where: string): Promise<Buffer>;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

async function viaDispatcher(url: URL, headers: Record<string, string>, dispatcher: Dispatcher, deadline: AbortSignal, timeoutMs: number): Promise<Reply> {
  const res = await request(url, { method: 'GET', headers, dispatcher, signal: deadline, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  return {
    statusCode: res.statusCode,
    location: first(res.headers.location),
    discard: () => discard(res.body),
    read: (maxBytes, where) => readCapped(res.body, res.headers['content-length'], maxBytes, where),
  };
}

async function viaSocket(url: URL, headers: Record<string, string>, checked: Map<string, ResolvedAddress[]>, deadline: AbortSignal, timeoutMs: number): Promise<Reply> {
  const res = await httpGet(url, { headers, lookup: pinnedLookup(checked, dnsLookup as LookupFunction), signal: deadline, idleMs: timeoutMs });
  return { statusCode: res.statusCode, location: res.headers.location, discard: () => res.discard(), read: (maxBytes, where) => readSink(res, maxBytes, where) };
}

function toDownloadError(err: unknown, url: URL | undefined, deadline: AbortSignal): BotError {
  if (err instanceof BotError) return err;
  const where = url ? safeUrl(url) : '<url>';
  const code = (err as { code?: unknown } | null)?.code;
  if (deadline.aborted || (typeof code === 'string' && TIMEOUT_CODES.has(code))) {
    return failed(`download timed out: ${where}`, { reason: 'timeout' }, err);
  }
  return failed(`download failed (${typeof code === 'string' ? code : 'network error'}): ${where}`, { reason: 'network' }, err);
}

/**
 * Download an image (or, with `kind: 'video'`, a clip): http/https only, at most 3 redirects, SSRF-checked on each hop, streamed with a
 * byte cap, and verified by its magic bytes. Errors: IMAGE_TOO_LARGE (context.maxMb), IMAGE_INVALID,
 * IMAGE_DOWNLOAD_FAILED (context.reason: url | blocked | timeout | network | status | redirects;
 * context.status for HTTP errors — 403/404/410 usually mean an expired signed URL worth refreshing).
 */
export async function downloadImage(rawUrl: string, opts: DownloadOptions): Promise<DownloadedImage> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = AbortSignal.timeout(timeoutMs);
  const checked = new Map<string, ResolvedAddress[]>();
  let url: URL | undefined;
  try {
    url = parseHttpUrl(rawUrl);
    let headers = opts.headers ?? {};
    for (let hop = 0; ; hop++) {
      await guard(url, opts, checked);
      const res = opts.dispatcher ? await viaDispatcher(url, headers, opts.dispatcher, deadline, timeoutMs) : await viaSocket(url, headers, checked, deadline, timeoutMs);
      const where = safeUrl(url);
      if (REDIRECT_STATUSES.has(res.statusCode)) {
        res.discard();
        const location = res.location;
        if (!location) throw failed(`redirect without a location: ${where}`, { reason: 'redirects', status: res.statusCode });
        if (hop >= MAX_REDIRECTS) throw failed(`too many redirects: ${where}`, { reason: 'redirects' });
        const next = parseHttpUrl(new URL(location, url).href);
        if (next.origin !== url.origin) headers = {};
        url = next;
        continue;
      }
      if (res.statusCode < 200 || res.statusCode >= 300) {
        res.discard();
        throw failed(`HTTP ${res.statusCode} from ${where}`, { reason: 'status', status: res.statusCode });
      }
      const bytes = await res.read(opts.maxBytes, where);
      if (opts.kind === 'video') {
        const clip = sniffVideo(bytes);
        if (!clip) throw new UserInputError('IMAGE_INVALID', `not a video: ${where}`);
        return { bytes, ...clip };
      }
      const sniffed = sniffImage(bytes);
      if (!sniffed) throw new UserInputError('IMAGE_INVALID', `not an image: ${where}`);
      return { bytes, ...sniffed };
    }
  } catch (err) {
    throw toDownloadError(err, url, deadline);
  }
}

