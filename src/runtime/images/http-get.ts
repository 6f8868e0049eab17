/**
 * One HTTP/1.1 GET (plain or TLS) whose body is read through a single reused 64 KB buffer (the
 * `onread` socket option) and handed to a sink that copies it where it belongs. A normal socket
 * allocates a fresh buffer per read; for a 20 MB image that is ~320 buffers of garbage, which V8
 * frees only when it collects, and which doubled the peak memory of relaying a result image
 * (bench/README.md, benchmark 11). One request per connection (Connection: close).
 */
import { connect as netConnect, isIP, type LookupFunction, type OnReadOpts, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';

export interface GetOptions {
  headers: Record<string, string>;
  lookup: LookupFunction;
  /** Aborts the whole exchange (the download's deadline). */
  signal: AbortSignal;
  /** Also give up when the socket is silent this long. */
  idleMs: number;
}

/** Gets each piece of the body; `bytes` is only valid during the call. Throwing aborts the exchange. */
export type BodySink = (bytes: Buffer) => void;

export interface GetResponse {
  statusCode: number;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string | undefined>;
  /** Feed the whole body to `sink`; resolves once it ended. */
  body(sink: BodySink): Promise<void>;
  /** Close the connection without reading the body. */
  discard(): void;
}

const SCRATCH_BYTES = 64 * 1024;
const MAX_HEAD_BYTES = 64 * 1024;
const CRLF2 = Buffer.from('\r\n\r\n');

function failure(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

function requestHead(url: URL, headers: Record<string, string>): string {
  const lines = [`GET ${url.pathname}${url.search} HTTP/1.1`, `host: ${url.host}`, 'connection: close', 'accept-encoding: identity'];
  for (const [name, value] of Object.entries(headers)) {
    if (/[\r\n:]/.test(name) || /[\r\n]/.test(value)) throw failure('invalid request header', 'ERR_INVALID_HEADER');
    lines.push(`${name}: ${value}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function parseHead(head: string): { statusCode: number; headers: Record<string, string> } {
  const [statusLine = '', ...lines] = head.split('\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (!status) throw failure('not an HTTP/1.1 response', 'HPE_INVALID_RESPONSE');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { statusCode: Number(status[1]), headers };
}

/** Body framing: a declared length, chunked transfer coding, or everything until the server closes. */
type Framing = { kind: 'length'; left: number } | { kind: 'chunked'; state: 'size' | 'data' | 'data-end' | 'trailer'; line: string; left: number } | { kind: 'close' };

function framingOf(statusCode: number, headers: Record<string, string>): Framing {
  if (statusCode === 204 || statusCode === 304) return { kind: 'length', left: 0 };
  if (/(^|,)\s*chunked\s*$/i.test(headers['transfer-encoding'] ?? '')) return { kind: 'chunked', state: 'size', line: '', left: 0 };
  const length = headers['content-length'];
  if (length !== undefined) {
    if (!/^\d+$/.test(length)) throw failure('invalid content-length', 'HPE_INVALID_CONTENT_LENGTH');
    return { kind: 'length', left: Number(length) };
  }
  return { kind: 'close' };
}

/**
 * Pass `bytes` through the chunked decoder to `sink`; returns true once the last chunk and the
 * trailers have been read.
 */
function dechunk(f: Extract<Framing, { kind: 'chunked' }>, bytes: Buffer, sink: BodySink): boolean {
  let at = 0;
  while (at < bytes.length) {
    if (f.state === 'data') {
      const take = Math.min(f.left, bytes.length - at);
      sink(bytes.subarray(at, at + take));
      at += take;
      f.left -= take;
      if (f.left === 0) f.state = 'data-end';
      continue;
    }
    const byte = bytes[at++];
    if (byte !== 0x0a) {
      if (f.line.length > 1024) throw failure('invalid chunked encoding', 'HPE_INVALID_CHUNK_SIZE');
      if (byte !== 0x0d) f.line += String.fromCharCode(byte ?? 0);
      continue;
    }
    const line = f.line;
    f.line = '';
    if (f.state === 'data-end') {
      if (line !== '') throw failure('invalid chunked encoding', 'HPE_INVALID_CHUNK_SIZE');
      f.state = 'size';
    } else if (f.state === 'trailer') {
      if (line === '') return true;
    } else {
      const size = /^([0-9a-fA-F]{1,8})\s*(;.*)?$/.exec(line);
      if (!size?.[1]) throw failure('invalid chunked encoding', 'HPE_INVALID_CHUNK_SIZE');
      f.left = parseInt(size[1], 16);
      f.state = f.left === 0 ? 'trailer' : 'data';
    }
  }
  return false;
}

export function httpGet(url: URL, opts: GetOptions): Promise<GetResponse> {
  return new Promise((resolveHead, rejectHead) => {
    const scratch = Buffer.allocUnsafe(SCRATCH_BYTES);
    let head = Buffer.alloc(0);
    let framing: Framing | undefined;
    let sink: BodySink | undefined;
    const early: Buffer[] = []; // body bytes that came with the head, before a sink was given
    let settleBody: { resolve: () => void; reject: (err: unknown) => void } | undefined;
    let done = false;
    let ended = false; // the server closed its side (the end of a body framed by closing)
    let failed: unknown;

    const fail = (err: unknown): void => {
      if (done) return;
      done = true;
      failed = err;
      socket.destroy();
      rejectHead(err);
      settleBody?.reject(err);
    };
    const finish = (): void => {
      if (done) return;
      done = true;
      socket.destroy();
      settleBody?.resolve();
    };
    /** Feed body bytes to the sink; true when the body is complete. */
    const feed = (bytes: Buffer): boolean => {
      if (!framing || !sink) return false;
      if (framing.kind === 'chunked') return dechunk(framing, bytes, sink);
      if (framing.kind === 'close') {
        sink(bytes);
        return false;
      }
      const take = Math.min(framing.left, bytes.length);
      if (take > 0) sink(bytes.subarray(0, take));
      framing.left -= take;
      return framing.left === 0;
    };
    const onBytes = (bytes: Buffer): void => {
      if (done) return;
      try {
        if (framing) {
          if (!sink) early.push(Buffer.from(bytes));
          else if (feed(bytes)) finish();
          return;
        }
        head = Buffer.concat([head, bytes]);
        let end = head.indexOf(CRLF2);
        let parsed = end < 0 ? undefined : parseHead(head.toString('latin1', 0, end));
        // Skip interim answers (100 Continue, 103 Early Hints): the real one follows.
        while (parsed && parsed.statusCode < 200) {
          head = head.subarray(end + 4);
          end = head.indexOf(CRLF2);
          parsed = end < 0 ? undefined : parseHead(head.toString('latin1', 0, end));
        }
        if (!parsed) {
          if (head.length > MAX_HEAD_BYTES) throw failure('response head too large', 'HPE_HEADER_OVERFLOW');
          return;
        }
        const { statusCode, headers } = parsed;
        framing = framingOf(statusCode, headers);
        if (end + 4 < head.length) early.push(head.subarray(end + 4));
        head = Buffer.alloc(0);
        resolveHead({
          statusCode,
          headers,
          body: (into) =>
            new Promise<void>((resolve, reject) => {
              if (done) return failed === undefined ? resolve() : reject(failed);
              settleBody = { resolve, reject };
              sink = into;
              try {
                const complete = early.splice(0).some((bytes) => feed(bytes)) || (framing?.kind === 'length' && framing.left === 0) || (framing?.kind === 'close' && ended);
                if (complete) finish();
                else if (ended) fail(failure('connection closed early', 'UND_ERR_SOCKET'));
              } catch (err) {
                fail(err);
              }
            }),
          discard: () => finish(),
        });
      } catch (err) {
        fail(err);
      }
    };

    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
    const onread: OnReadOpts = {
      buffer: scratch,
      callback: (n) => {
        onBytes(scratch.subarray(0, n));
        return true;
      },
    };
    // tls.connect passes `onread` on to its socket (Node >= 18); its types do not list it.
    const tlsOptions: ConnectionOptions & { onread: OnReadOpts } = { host, port, lookup: opts.lookup, servername: isIP(host) ? undefined : host, ALPNProtocols: ['http/1.1'], onread };
    const socket: Socket = url.protocol === 'https:' ? tlsConnect(tlsOptions) : netConnect({ host, port, lookup: opts.lookup, onread });
    socket.setTimeout(opts.idleMs, () => fail(failure('socket idle too long', 'ETIMEDOUT')));
    socket.on('error', fail);
    // Once the head is in, a close before the body's reader came is judged when it comes (the
    // bytes that arrived with the head may be the whole body).
    const closed = (): void => {
      ended = true;
      if (framing && !sink) return;
      if (framing?.kind === 'close') finish();
      else fail(failure('connection closed early', 'UND_ERR_SOCKET'));
    };
    socket.on('end', closed);
    socket.on('close', closed);
    const abort = (): void => fail(opts.signal.reason);
    if (opts.signal.aborted) return abort();
    opts.signal.addEventListener('abort', abort, { once: true });
    socket.once('close', () => opts.signal.removeEventListener('abort', abort));
    try {
      socket.write(requestHead(url, opts.headers));
    } catch (err) {
      fail(err);
    }
  });
}
