/**
 * A faulty network between the bot and the MJ simulator, on 127.0.0.1: forwards every request to
 * the simulator (rewriting the simulator's URLs in JSON answers to its own, so images come
 * through it too) unless a fault is injected for matching paths:
 * - `hold`: no answer until `release()` (or the proxy closes) — a download or poll that hangs;
 * - `trickle`: answer 200 at once, then one byte every 500 ms, forever;
 * - `huge`: answer 200 with a JSON body of `bytes` bytes, streamed as fast as the client reads;
 * - `status`: answer at once with that HTTP status and an empty body;
 * - `delay`: forward it after `ms` (a slow network or a slow upload).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { request } from 'undici';

export type Fault = { kind: 'hold' } | { kind: 'trickle' } | { kind: 'huge'; bytes: number } | { kind: 'status'; status: number } | { kind: 'delay'; ms: number };

export interface ChaosProxy {
  readonly url: string;
  /** Paths of every request received, in order. */
  readonly paths: string[];
  /** Requests answered with a fault so far. */
  readonly faulted: number;
  /** Requests held unanswered right now. */
  readonly holding: number;
  /** Answer the next `times` requests whose path matches with `fault` (default: all of them). */
  inject(match: RegExp, fault: Fault, times?: number): void;
  /** Forward everything from now on. */
  clear(): void;
  /** Forward everything from now on, the requests held so far included. */
  release(): void;
  close(): Promise<void>;
}

interface Rule {
  match: RegExp;
  fault: Fault;
  remaining: number;
}

export async function startChaosProxy(target: string): Promise<ChaosProxy> {
  const rules: Rule[] = [];
  const paths: string[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const held = new Set<() => void>();
  let faulted = 0;
  let self = '';

  const takeRule = (path: string): Fault | undefined => {
    const rule = rules.find((r) => r.remaining > 0 && r.match.test(path));
    if (!rule) return undefined;
    rule.remaining -= 1;
    return rule.fault;
  };

  const trickle = (res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('[');
    const timer = setInterval(() => res.write(' '), 500);
    timers.add(timer);
    res.on('close', () => {
      clearInterval(timer);
      timers.delete(timer);
    });
  };

  const huge = async (res: ServerResponse, bytes: number): Promise<void> => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    res.write('[');
    for (let sent = 0; sent < bytes && !res.destroyed; sent += chunk.length) {
      if (!res.write(chunk)) await drainedOrClosed(res);
    }
    if (!res.destroyed) res.end(']');
  };

  const forward = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = { ...req.headers };
    // The body is forwarded whole: hop-by-hop and length headers are the proxy's own business.
    for (const name of ['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive']) delete headers[name];
    const answer = await request(`${target}${req.url ?? '/'}`, {
      method: req.method as 'GET' | 'POST',
      headers,
      body: chunks.length ? Buffer.concat(chunks) : undefined,
    });
    const type = String(answer.headers['content-type'] ?? '');
    let body = Buffer.from(await answer.body.arrayBuffer());
    if (type.includes('json')) body = Buffer.from(body.toString('utf8').split(target).join(self));
    res.writeHead(answer.statusCode, { 'content-type': type || 'application/octet-stream', 'content-length': body.length });
    res.end(body);
  };

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    paths.push(path);
    const fault = takeRule(path);
    if (!fault) {
      forward(req, res).catch(() => res.destroy());
      return;
    }
    faulted += 1;
    if (fault.kind === 'hold') {
      const resume = (): void => void forward(req, res).catch(() => res.destroy());
      held.add(resume);
      res.on('close', () => held.delete(resume));
      return;
    }
    if (fault.kind === 'trickle') return trickle(res);
    if (fault.kind === 'delay') {
      const timer = setTimeout(() => {
        timers.delete(timer);
        forward(req, res).catch(() => res.destroy());
      }, fault.ms);
      timers.add(timer);
      return;
    }
    if (fault.kind === 'status') {
      res.writeHead(fault.status, { 'content-length': 0 });
      res.end();
      return;
    }
    void huge(res, fault.bytes);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  self = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

  return {
    url: self,
    paths,
    get faulted() {
      return faulted;
    },
    get holding() {
      return held.size;
    },
    inject(match, fault, times = Number.POSITIVE_INFINITY) {
      rules.push({ match, fault, remaining: times });
    },
    clear() {
      rules.length = 0;
    },
    release() {
      rules.length = 0;
      for (const resume of [...held]) {
        held.delete(resume);
        resume();
      }
    },
    async close() {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Wait for room in the socket, or for the client to go away (leaving no listener behind either way). */
export function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}
