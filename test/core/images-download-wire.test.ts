/**
 * downloadImage reads the body through one reused buffer with its own HTTP/1.1 reader: the
 * framings servers actually use must all give back every byte, a cut-off body must fail, and
 * HTTPS must be verified against the trusted certificates.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { downloadImage } from '../../src/runtime/images/download.js';
import { BotError } from '../../src/errors.js';

const IMAGE = Buffer.concat([PNG.sync.write(new PNG({ width: 12, height: 9 })), Buffer.alloc(300_000, 9)]);
const TLS_DIR = new URL('../fixtures/tls/', import.meta.url);
const servers: Server[] = [];

/** A raw TCP server that answers every request with `answer(socket)`. */
async function rawServer(answer: (socket: Socket) => void): Promise<string> {
  const server = createServer((socket) => socket.once('data', () => answer(socket)));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

async function download(base: string): Promise<Buffer> {
  return (await downloadImage(`${base}/x.png`, { maxBytes: 1024 * 1024, timeoutMs: 5000, allowOrigins: [base] })).bytes;
}

/** Write `bytes` in small pieces, as a slow network delivers them. */
function trickle(socket: Socket, bytes: Buffer, end: boolean): void {
  for (let at = 0; at < bytes.length; at += 7001) socket.write(bytes.subarray(at, at + 7001));
  if (end) socket.end();
}

describe('downloadImage on the wire', () => {
  it('reassembles a chunked body with chunk extensions and trailers', async () => {
    const base = await rawServer((socket) => {
      const parts = [IMAGE.subarray(0, 1), IMAGE.subarray(1, 70_000), IMAGE.subarray(70_000)];
      const body = Buffer.concat([...parts.flatMap((p, i) => [Buffer.from(`${p.length.toString(16)}${i === 1 ? ';name=value' : ''}\r\n`), p, Buffer.from('\r\n')]), Buffer.from('0\r\nx-checksum: none\r\n\r\n')]);
      trickle(socket, Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'), body]), false);
    });
    expect(Buffer.compare(await download(base), IMAGE)).toBe(0);
  });

  it('skips an interim 103 Early Hints answer and reads the image that follows', async () => {
    const base = await rawServer((socket) => trickle(socket, Buffer.concat([Buffer.from(`HTTP/1.1 103 Early Hints\r\nLink: </x.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: ${IMAGE.length}\r\n\r\n`), IMAGE]), false));
    expect(Buffer.compare(await download(base), IMAGE)).toBe(0);
  });

  it('reads a body that ends when the server closes the connection (no length)', async () => {
    const base = await rawServer((socket) => trickle(socket, Buffer.concat([Buffer.from('HTTP/1.0 200 OK\r\nContent-Type: image/png\r\n\r\n'), IMAGE]), true));
    expect(Buffer.compare(await download(base), IMAGE)).toBe(0);
  });

  it('reads an answer that arrives whole, in one write followed by the server closing', async () => {
    const small = IMAGE.subarray(0, 2000);
    const base = await rawServer((socket) => socket.end(Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${small.length}\r\n\r\n`), small])));
    expect(Buffer.compare(await download(base), small)).toBe(0);
  });

  it('fails, without returning a partial image, when the connection drops before the declared length', async () => {
    const base = await rawServer((socket) => trickle(socket, Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${IMAGE.length}\r\n\r\n`), IMAGE.subarray(0, 100_000)]), true));
    const err = await download(base).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(BotError);
    expect((err as BotError).code).toBe('IMAGE_DOWNLOAD_FAILED');
    expect((err as BotError).context.reason).toBe('network');
  });

  it('refuses a body over the cap that arrives without a length, and hangs up', async () => {
    let hungUp!: () => void;
    const closed = new Promise<void>((resolve) => (hungUp = resolve));
    const base = await rawServer((socket) => {
      socket.on('close', hungUp);
      socket.on('error', () => undefined);
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
      const chunk = Buffer.concat([Buffer.from('10000\r\n'), Buffer.alloc(0x10000, 1), Buffer.from('\r\n')]);
      for (let i = 0; i < 40; i++) socket.write(chunk); // 2.5 MB, over the 1 MB cap
    });
    const err = await download(base).then(() => undefined, (e: unknown) => e);
    expect((err as BotError).code).toBe('IMAGE_TOO_LARGE');
    await closed;
  });

  it('verifies HTTPS: a self-signed server is refused, and downloads once its certificate is trusted', async () => {
    const server = createHttpsServer({ key: readFileSync(new URL('key.pem', TLS_DIR)), cert: readFileSync(new URL('cert.pem', TLS_DIR)) }, (_req, res) => {
      res.writeHead(200, { 'content-length': IMAGE.length }).end(IMAGE);
    });
    servers.push(server as unknown as Server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const run = (env: NodeJS.ProcessEnv): Promise<Record<string, unknown>> =>
      new Promise((resolve, reject) => {
        execFile(process.execPath, ['--import', 'tsx', 'test/helpers/download-child.ts', `${origin}/x.png?sig=SECRET`, origin], { env: { ...process.env, ...env } }, (err, stdout) => {
          if (err) return reject(err);
          resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Record<string, unknown>);
        });
      });
    expect(await run({ NODE_EXTRA_CA_CERTS: '' })).toEqual({ code: 'IMAGE_DOWNLOAD_FAILED', reason: 'network' });
    expect(await run({ NODE_EXTRA_CA_CERTS: new URL('cert.pem', TLS_DIR).pathname })).toEqual({ size: IMAGE.length, mime: 'image/png' });
  });
});
