import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MjError } from '../../src/errors.js';
import { MjClient } from '../../src/mj/client.js';

const servers: Server[] = [];
const clients: MjClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  for (const s of servers.splice(0)) { s.closeAllConnections(); await new Promise((r) => s.close(r)); }
});

/** A real loopback server whose handler decides how to misbehave. */
async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function client(baseUrl: string, extra: Partial<ConstructorParameters<typeof MjClient>[0]> = {}): MjClient {
  const c = new MjClient({ baseUrl, apiKey: 'sk-net-secret-42', flavour: 'plus', timeoutMs: 300, retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 5 }, ...extra });
  clients.push(c);
  return c;
}
const caught = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a rejection'); }, (e: unknown) => e as MjError);

describe('network failures over real sockets', () => {
  it('marks a refused connection as never sent', async () => {
    const url = await serve(() => undefined);
    const server = servers.pop();
    await new Promise((r) => server?.close(r)); // the port is now closed
    const err = await caught(client(url).imagine({ prompt: 'cat' }));
    expect(err).toMatchObject({ code: 'MJ_NETWORK', details: { notSent: true, endpoint: 'POST /mj/submit/imagine' } });
    expect(err.message).not.toContain('sk-net-secret-42');
  });

  it('does not resend a submit whose answer timed out, because the proxy may have taken it', async () => {
    let received = 0;
    const url = await serve(() => { received++; }); // never answers
    const err = await caught(client(url).imagine({ prompt: 'cat' }));
    expect(err).toMatchObject({ code: 'MJ_NETWORK', details: { notSent: false } });
    expect(received).toBe(1);
  });

  it('does not resend a submit whose connection was reset after sending', async () => {
    let received = 0;
    const url = await serve((req) => { received++; req.socket.destroy(); });
    const err = await caught(client(url).imagine({ prompt: 'cat' }));
    expect(err).toMatchObject({ code: 'MJ_NETWORK', details: { notSent: false } });
    expect(received).toBe(1);
  });

  it('retries a fetch whose connection was reset and gets the task', async () => {
    let received = 0;
    const url = await serve((req, res) => {
      received++;
      if (received === 1) return req.socket.destroy();
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ id: '5', status: 'IN_PROGRESS', progress: '46%' }));
    });
    const t = await client(url).fetch('5');
    expect(t).toMatchObject({ id: '5', status: 'IN_PROGRESS', progress: '46%' });
    expect(received).toBe(2);
  });
});
