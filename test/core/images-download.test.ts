import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { downloadImage, type DownloadOptions } from '../../src/runtime/images/download.js';
import { BotError } from '../../src/errors.js';

const IMAGE = PNG.sync.write(new PNG({ width: 12, height: 9 }));
const HUGE = 64 * 1024 * 1024;

interface Streamed {
  written: number;
  closedEarly: boolean;
  closed: Promise<void>;
}

/** Write `total` bytes respecting back-pressure, recording how far we got before the client hung up. */
function stream(res: ServerResponse, total: number, withLength: boolean): Streamed {
  let done!: () => void;
  const state: Streamed = { written: 0, closedEarly: false, closed: new Promise((r) => (done = r)) };
  res.writeHead(200, { 'content-type': 'image/png', ...(withLength ? { 'content-length': String(total) } : {}) });
  res.on('close', () => {
    state.closedEarly = !res.writableFinished;
    done();
  });
  const chunk = Buffer.alloc(64 * 1024, 7);
  IMAGE.copy(chunk); // starts like a real PNG
  const pump = (): void => {
    while (state.written < total && !res.destroyed) {
      state.written += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end();
  };
  pump();
  return state;
}

let server: Server;
let other: Server;
let base: string;
let otherBase: string;
let host: string;
let otherHost: string;
let requests: { path: string; authorization?: string; server: 'main' | 'other' }[] = [];
let streamed: Streamed | undefined;

function handler(name: 'main' | 'other') {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = req.url ?? '/';
    requests.push({ path, authorization: req.headers.authorization, server: name });
    const route = path.split('?')[0];
    if (route === '/ok.png') return void res.writeHead(200, { 'content-type': 'text/plain' }).end(IMAGE);
    if (route === '/big-length') return void (streamed = stream(res, HUGE, true));
    if (route === '/big-chunked') return void (streamed = stream(res, HUGE, false));
    if (route === '/large.png') return void res.writeHead(200, { 'content-length': String(LARGE.length) }).end(LARGE);
    if (route === '/large-chunked.png') return void res.writeHead(200).end(LARGE);
    if (route === '/hang') return; // never answers
    if (route === '/stall') return void res.writeHead(200, { 'content-length': String(IMAGE.length) }).write(IMAGE.subarray(0, 10));
    if (route === '/forbidden') return void res.writeHead(403).end('expired');
    if (route === '/gone') return void res.writeHead(404).end();
    if (route === '/html') return void res.writeHead(200, { 'content-type': 'image/png' }).end('<html>login</html>');
    if (route === '/to-ok') return void res.writeHead(302, { location: '/ok.png' }).end();
    if (route === '/to-other') return void res.writeHead(307, { location: `${otherBase}/ok.png` }).end();
    if (route === '/loop') return void res.writeHead(302, { location: '/loop' }).end();
    if (route === '/to-private') return void res.writeHead(302, { location: 'http://10.0.0.7/x.png' }).end();
    if (route === '/to-localhost') return void res.writeHead(301, { location: `http://localhost:${new URL(base).port}/ok.png` }).end();
    res.writeHead(500).end();
  };
}

async function listen(s: Server): Promise<string> {
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(s.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  server = createServer(handler('main'));
  other = createServer(handler('other'));
  host = await listen(server);
  otherHost = await listen(other);
  base = `http://${host}`;
  otherBase = `http://${otherHost}`;
});

afterAll(async () => {
  for (const s of [server, other]) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

beforeEach(() => {
  requests = [];
  streamed = undefined;
});

function opts(extra: Partial<DownloadOptions> = {}): DownloadOptions {
  return { maxBytes: 1024 * 1024, timeoutMs: 5000, allowOrigins: [`http://${host}`, `http://${otherHost}`], ...extra };
}

async function failure(promise: Promise<unknown>): Promise<BotError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof BotError)) throw new Error(`expected a BotError, got ${String(err)}`);
  return err;
}

/** An image of many network chunks: the PNG followed by 600 KB of padding. */
const LARGE = Buffer.concat([IMAGE, Buffer.alloc(600_000, 7)]);

describe('downloadImage', () => {
  it.each([
    ['with a content-length (read into one buffer of that size)', '/large.png'],
    ['streamed without a content-length', '/large-chunked.png'],
  ])('returns every byte of a large image %s', async (_name, path) => {
    const image = await downloadImage(`${base}${path}`, opts());
    expect(image.bytes.length).toBe(LARGE.length);
    expect(Buffer.compare(image.bytes, LARGE)).toBe(0);
  });

  it('downloads an image and trusts its bytes, not its content-type', async () => {
    const image = await downloadImage(`${base}/ok.png?ex=abc&hm=def`, opts());
    expect(image.mime).toBe('image/png');
    expect(image.ext).toBe('png');
    expect([image.width, image.height]).toEqual([12, 9]);
    expect(Buffer.compare(image.bytes, IMAGE)).toBe(0);
  });

  it.each([
    ['with a content-length', '/big-length'],
    ['streamed without a content-length', '/big-chunked'],
  ])('stops reading a too-large image %s and closes the connection early', async (_name, path) => {
    const err = await failure(downloadImage(`${base}${path}`, opts({ maxBytes: 256 * 1024 })));
    expect(err.code).toBe('IMAGE_TOO_LARGE');
    expect(err.context.maxMb).toBe(0.3);
    const state = streamed;
    if (!state) throw new Error('server never streamed');
    await state.closed;
    expect(state.closedEarly).toBe(true);
    expect(state.written).toBeLessThan(HUGE);
  });

  it('gives up on a server that never answers', async () => {
    const err = await failure(downloadImage(`${base}/hang`, opts({ timeoutMs: 300 })));
    expect(err.code).toBe('IMAGE_DOWNLOAD_FAILED');
    expect(err.context.reason).toBe('timeout');
  });

  it('gives up on a body that stalls halfway', async () => {
    const err = await failure(downloadImage(`${base}/stall`, opts({ timeoutMs: 300 })));
    expect(err.code).toBe('IMAGE_DOWNLOAD_FAILED');
    expect(err.context.reason).toBe('timeout');
  });

  it('reports 403 and 404 with the status so an expired signed URL can be refreshed, without leaking the token', async () => {
    const forbidden = await failure(downloadImage(`${base}/forbidden?ex=65f0&hm=SECRET_SIGNATURE`, opts()));
    expect(forbidden.code).toBe('IMAGE_DOWNLOAD_FAILED');
    expect(forbidden.context.status).toBe(403);
    expect(forbidden.message).not.toContain('SECRET_SIGNATURE');
    expect(forbidden.message).toContain('/forbidden');
    const gone = await failure(downloadImage(`${base}/gone`, opts()));
    expect(gone.context.status).toBe(404);
  });

  it('refuses a page that is not an image even when it claims to be one', async () => {
    expect((await failure(downloadImage(`${base}/html`, opts()))).code).toBe('IMAGE_INVALID');
  });

  it('follows a redirect on the same allowed host', async () => {
    const image = await downloadImage(`${base}/to-ok`, opts());
    expect(image.width).toBe(12);
    expect(requests.map((r) => r.path)).toEqual(['/to-ok', '/ok.png']);
  });

  it('keeps custom headers on the same origin and drops them when a redirect leaves it', async () => {
    await downloadImage(`${base}/to-ok`, opts({ headers: { authorization: 'Bearer k' } }));
    await downloadImage(`${base}/to-other`, opts({ headers: { authorization: 'Bearer k' } }));
    expect(requests.map((r) => [r.server, r.path, r.authorization])).toEqual([
      ['main', '/to-ok', 'Bearer k'],
      ['main', '/ok.png', 'Bearer k'],
      ['main', '/to-other', 'Bearer k'],
      ['other', '/ok.png', undefined],
    ]);
  });

  it('stops after three redirects', async () => {
    const err = await failure(downloadImage(`${base}/loop`, opts()));
    expect(err.code).toBe('IMAGE_DOWNLOAD_FAILED');
    expect(err.context.reason).toBe('redirects');
    expect(requests).toHaveLength(4);
  });

  it('refuses a redirect to a private address', async () => {
    const err = await failure(downloadImage(`${base}/to-private`, opts()));
    expect(err.context.reason).toBe('blocked');
  });

  it('refuses a redirect to a name that resolves to loopback when only the IP:port is allowed', async () => {
    const err = await failure(downloadImage(`${base}/to-localhost`, opts()));
    expect(err.context.reason).toBe('blocked');
    expect(requests.map((r) => r.path)).toEqual(['/to-localhost']);
  });

  it('refuses 127.0.0.1 when the host is not allowed, without connecting', async () => {
    const err = await failure(downloadImage(`${base}/ok.png`, opts({ allowOrigins: [] })));
    expect(err.code).toBe('IMAGE_DOWNLOAD_FAILED');
    expect(err.context.reason).toBe('blocked');
    expect(requests).toHaveLength(0);
  });

  it.each(['http://[::1]:{port}/ok.png', 'http://[::ffff:127.0.0.1]:{port}/ok.png', 'http://[::ffff:7f00:1]:{port}/ok.png', 'http://0.0.0.0:{port}/ok.png'])(
    'refuses the loopback disguise %s',
    async (template) => {
      const url = template.replace('{port}', new URL(base).port);
      const err = await failure(downloadImage(url, opts()));
      expect(err.context.reason).toBe('blocked');
      expect(requests).toHaveLength(0);
    },
  );

  it('allows a private origin only when scheme, host and port match an allowed one (or allowPrivate is set)', async () => {
    expect((await downloadImage(`${base}/ok.png`, opts({ allowOrigins: [base] }))).height).toBe(9);
    expect((await downloadImage(`${base}/ok.png`, opts({ allowOrigins: [], allowPrivate: true }))).height).toBe(9);
    // A proxy configured at its default port does not open the host's other ports (its Redis, say).
    for (const allowed of ['http://127.0.0.1', 'http://127.0.0.1:80', `https://${host}`]) {
      expect((await failure(downloadImage(`${base}/ok.png`, opts({ allowOrigins: [allowed] })))).context.reason).toBe('blocked');
    }
    expect(requests).toHaveLength(2);
  });

  it('refuses URLs that are not http or https', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://127.0.0.1/a.png', 'not a url']) {
      const err = await failure(downloadImage(url, opts()));
      expect(err.code).toBe('IMAGE_DOWNLOAD_FAILED');
      expect(err.context.reason).toBe('url');
    }
  });
});
