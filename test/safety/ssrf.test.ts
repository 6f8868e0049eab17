/**
 * Image URLs come from users and from proxies: the downloader must not be usable to reach the
 * bot's own network. A real server listens on loopback in each case, so a refusal is proven by
 * it never receiving the request (not by nothing being there).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PNG } from 'pngjs';
import { downloadImage } from '../../src/runtime/images/download.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((resolve) => { s.closeAllConnections(); s.close(resolve); });
});

const png = PNG.sync.write(new PNG({ width: 2, height: 2 }));

async function serve(handler: (path: string) => { status: number; headers?: Record<string, string>; body?: Buffer }): Promise<{ port: number; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const answer = handler(req.url ?? '');
    res.writeHead(answer.status, answer.headers).end(answer.body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, hits };
}

const opts = { maxBytes: 1024 * 1024, timeoutMs: 5000 };

describe('image downloads refuse private addresses', () => {
  it.each([
    ['loopback IPv4', (port: number) => `http://127.0.0.1:${port}/secret.png`],
    ['localhost by name', (port: number) => `http://localhost:${port}/secret.png`],
    ['IPv4 written as one hex number', (port: number) => `http://0x7f000001:${port}/secret.png`],
    ['IPv4-mapped IPv6 loopback', (port: number) => `http://[::ffff:127.0.0.1]:${port}/secret.png`],
  ])('refuses %s without sending it a request', async (_name, urlFor) => {
    const target = await serve(() => ({ status: 200, headers: { 'content-type': 'image/png' }, body: png }));
    await expect(downloadImage(urlFor(target.port), opts)).rejects.toMatchObject({ code: 'IMAGE_DOWNLOAD_FAILED', context: { reason: 'blocked' } });
    expect(target.hits).toEqual([]);
  });

  it('refuses the cloud metadata address before connecting', async () => {
    await expect(downloadImage('http://169.254.169.254/latest/meta-data/iam', opts)).rejects.toMatchObject({ context: { reason: 'blocked' } });
  });

  it('refuses a redirect from an allowed host to a private one, and the private one is never asked', async () => {
    const inner = await serve(() => ({ status: 200, headers: { 'content-type': 'image/png' }, body: png }));
    const outer = await serve(() => ({ status: 302, headers: { location: `http://127.0.0.1:${inner.port}/admin.png` } }));
    const allowOrigins = [`http://127.0.0.1:${outer.port}`];
    await expect(downloadImage(`http://127.0.0.1:${outer.port}/img.png`, { ...opts, allowOrigins })).rejects.toMatchObject({ context: { reason: 'blocked' } });
    expect(outer.hits).toEqual(['/img.png']);
    expect(inner.hits).toEqual([]);
  });

  it('still downloads from an explicitly allowed host (the configured proxy), so the guard is not blanket-refusing', async () => {
    const proxy = await serve(() => ({ status: 200, headers: { 'content-type': 'image/png' }, body: png }));
    const image = await downloadImage(`http://127.0.0.1:${proxy.port}/ok.png`, { ...opts, allowOrigins: [`http://127.0.0.1:${proxy.port}`] });
    expect(image).toMatchObject({ mime: 'image/png', width: 2, height: 2 });
  });
});
