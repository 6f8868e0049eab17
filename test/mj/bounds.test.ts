/**
 * Hard bounds on what a proxy can make the client do: a total deadline per request (a trickled
 * answer is cut off), a size cap (an oversized answer is refused unread), and a close that never
 * waits for a proxy that does not answer.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { MjError } from '../../src/errors.js';
import { MjClient } from '../../src/mj/client.js';
import { drainedOrClosed } from '../helpers/chaos-proxy.js';

const servers: Server[] = [];
const clients: MjClient[] = [];
const timers: NodeJS.Timeout[] = [];
afterEach(async () => {
  for (const t of timers.splice(0)) clearInterval(t);
  await Promise.all(clients.splice(0).map((c) => c.close()));
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

let received = 0;
async function serve(handler: (res: ServerResponse, n: number) => void): Promise<string> {
  received = 0;
  const server = createServer((req, res) => {
    req.resume();
    handler(res, ++received);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function client(baseUrl: string, extra: Partial<ConstructorParameters<typeof MjClient>[0]> = {}): MjClient {
  const c = new MjClient({ baseUrl, flavour: 'plus', timeoutMs: 400, retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 5 }, ...extra });
  clients.push(c);
  return c;
}
const caught = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e: unknown) => e as MjError);

/** Headers at once, then one byte every 100 ms forever: no idle timeout ever fires. */
function trickle(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('[');
  const timer = setInterval(() => res.write(' '), 100);
  timers.push(timer);
  res.on('close', () => clearInterval(timer));
}

describe('bounds on proxy answers', () => {
  it('cuts off an answer trickled byte by byte at the request deadline, and the next poll gets through', async () => {
    const url = await serve((res, n) => {
      if (n === 1) return trickle(res);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify([{ id: '1730000000000001', status: 'SUCCESS', progress: '100%' }]));
    });
    const c = client(url);
    const err = await caught(c.listByCondition(['1730000000000001']));
    expect(err).toMatchObject({ code: 'MJ_NETWORK', details: { endpoint: 'POST /mj/task/list-by-condition' } });
    expect(err.message).toMatch(/deadline/);
    expect(await c.listByCondition(['1730000000000001'])).toHaveLength(1);
  });

  it('refuses an oversized answer without reading it all', async () => {
    let written = 0;
    let finished = false;
    const total = 64 * 1024 * 1024;
    const url = await serve(async (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      while (written < total && !res.destroyed) {
        written += chunk.length;
        if (!res.write(chunk)) await drainedOrClosed(res);
      }
      if (!res.destroyed) {
        finished = true;
        res.end(']');
      }
    });
    const err = await caught(client(url, { timeoutMs: 20_000, maxResponseBytes: 1024 * 1024 }).listByCondition(['1']));
    expect(err).toMatchObject({ code: 'MJ_BAD_RESPONSE' });
    expect(err.message).toMatch(/larger than 1048576 bytes/);
    expect(finished).toBe(false);
  });

  it('refuses an answer whose Content-Length is over the cap before reading its body', async () => {
    const url = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(9 * 1024 * 1024) });
      res.write('[');
    });
    const err = await caught(client(url, { timeoutMs: 20_000 }).listByCondition(['1']));
    expect(err).toMatchObject({ code: 'MJ_BAD_RESPONSE' });
  });

  it('closes while a request still waits for a proxy that never answers, and that request fails', async () => {
    const url = await serve(() => undefined);
    const c = new MjClient({ baseUrl: url, flavour: 'plus', timeoutMs: 600_000, retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 5 } });
    const pending = caught(c.fetch('1730000000000001'));
    while (received === 0) await new Promise((r) => setTimeout(r, 10));
    await c.close();
    expect(await pending).toMatchObject({ code: 'MJ_NETWORK' });
  });
});
