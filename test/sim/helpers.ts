/** Shared helpers for the simulator tests: start/stop simulators and talk to them over HTTP. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PNG } from 'pngjs';
import { afterEach } from 'vitest';
import { startSimulator, type SimOptions, type Simulator } from '../../src/sim/index.js';

const running: Simulator[] = [];
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => {
    s.close(() => resolve());
    s.closeAllConnections();
  })));
});

/** Start a simulator (fast steps unless given) that is closed after the test. */
export async function sim(opts: SimOptions = {}): Promise<Simulator> {
  const s = await startSimulator({ stepMs: 20, ...opts });
  running.push(s);
  return s;
}

export interface Reply { status: number; text: string; json: unknown; headers: Headers }

async function reply(res: Response): Promise<Reply> {
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, headers: res.headers };
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return reply(await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw }));
}

export async function get(url: string, headers: Record<string, string> = {}): Promise<Reply> {
  return reply(await fetch(url, { headers }));
}

/** A submit envelope as a plain record. */
export type Envelope = { code: number; description: string; result: unknown; properties: Record<string, unknown> };
export type WireTask = Record<string, unknown> & { id: string; status: string; buttons?: { customId: string; label: string; emoji: string }[] };

export function envelope(r: Reply): Envelope {
  return r.json as Envelope;
}

/** Submit an imagine and wait for it to finish; returns the finished task. */
export async function imagineDone(s: Simulator, prompt = 'a red fox', headers: Record<string, string> = {}): Promise<WireTask> {
  const res = envelope(await post(`${s.url}/mj/submit/imagine`, { prompt }, headers));
  return (await s.waitFor(String(res.result))) as WireTask;
}

/** Press a button of `task` (the customId whose text includes `needle`). */
export async function press(s: Simulator, task: WireTask, needle: string, extra: Record<string, unknown> = {}): Promise<Envelope> {
  const button = task.buttons?.find((b) => b.customId.includes(needle));
  if (!button) throw new Error(`no button containing ${needle}`);
  return envelope(await post(`${s.url}/mj/submit/action`, { taskId: task.id, customId: button.customId, ...extra }));
}

export function decodePng(bytes: ArrayBuffer): PNG {
  return PNG.sync.read(Buffer.from(bytes));
}

/** A PNG data URL of the given size. */
export function pngDataUrl(width: number, height: number): string {
  const png = new PNG({ width, height });
  png.data.fill(255);
  return `data:image/png;base64,${PNG.sync.write(png).toString('base64')}`;
}

/** A local HTTP server recording JSON POST bodies (notifyHook receiver). */
export async function hookReceiver(): Promise<{ url: string; bodies: WireTask[] }> {
  const bodies: WireTask[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as WireTask);
      res.writeHead(204).end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies };
}

/** Poll `check` until it returns true (for asynchronous side effects such as callbacks). */
export async function eventually(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
