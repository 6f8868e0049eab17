/**
 * HTTP receiver for notifyHook callbacks, plus /healthz. The hook path carries an unguessable
 * secret; bodies are size-capped and validated; known tasks are answered 200 at once and applied
 * in the background, so the proxy's notify pool never waits on a chat platform.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import type { RouteHandler } from '../core/domain/ports.js';
import type { Logger } from '../log.js';
import type { Task } from '../mj/schemas.js';
import { parseTask } from '../mj/task-parse.js';

export const NOTIFY_MAX_BYTES = 1024 * 1024;

export interface HttpServerOptions {
  port: number;
  host?: string;
  /** Secret path segment: POST /mj/notify/<secret>. */
  secret: string;
  logger: Logger;
  /** Is the task one of ours? (a boolean when it can tell at once: the answer then goes out without waiting a turn) */
  knows: (taskId: string) => boolean | Promise<boolean>;
  ingest: (task: Task) => Promise<unknown>;
  health: () => Promise<{ ok: boolean; [k: string]: unknown }>;
}

export type { RouteHandler };

export interface HttpServer {
  readonly url: string;
  readonly server: Server;
  addRoute(handler: RouteHandler): void;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Constant-time comparison with the secret (kept as bytes once). */
function secretMatcher(secret: string): (given: string) => boolean {
  const expected = Buffer.from(secret);
  return (given) => {
    const bytes = Buffer.from(given);
    return bytes.length === expected.length && timingSafeEqual(bytes, expected);
  };
}

const OK_BODY = JSON.stringify({ ok: true });
const NOTIFY_PATH = /^\/mj\/notify\/([^/]+)$/;

/**
 * The body, by 'data' and 'end' callbacks: the notify path is the hot one (a proxy's whole notify
 * pool), and a promise or an async iterator per POST costs it measurably. A request that is
 * aborted never calls `done` (nobody is left to answer); with no 'error' listener, node does not
 * emit the abort as an error.
 */
function readBody(req: IncomingMessage, max: number, done: (body: Buffer | 'too-large') => void): void {
  if (Number(req.headers['content-length'] ?? 0) > max) return done('too-large');
  const chunks: Buffer[] = [];
  let size = 0;
  const onData = (chunk: Buffer): void => {
    size += chunk.length;
    if (size <= max) return void chunks.push(chunk);
    req.off('data', onData);
    req.pause();
    done('too-large');
  };
  req.on('data', onData);
  req.on('end', () => {
    if (size <= max) done(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
  });
}

export async function startHttpServer(opts: HttpServerOptions): Promise<HttpServer> {
  const routes = new Map<string, RouteHandler>();
  const sameSecret = secretMatcher(opts.secret);
  const failed = (res: ServerResponse) => (err: unknown): void => {
    opts.logger.error({ err }, 'notify server error');
    send(res, 500, { error: 'internal' });
  };

  const server = createServer((req, res) => {
    try {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (req.method === 'GET' && path === '/healthz') {
        opts.health().then((health) => send(res, health.ok ? 200 : 503, health), failed(res));
        return;
      }
      const route = routes.get(path);
      if (route) return void route.handle(req, res).catch(failed(res));
      notify(req, res, path);
    } catch (err) {
      failed(res)(err);
    }
  });

  function notify(req: IncomingMessage, res: ServerResponse, path: string): void {
    const match = NOTIFY_PATH.exec(path);
    if (!match || !sameSecret(match[1] ?? '')) return send(res, 404, { error: 'not found' });
    if (req.method !== 'POST') return send(res, 405, { error: 'method not allowed' });
    readBody(req, NOTIFY_MAX_BYTES, (body) => {
      try {
        onBody(res, body);
      } catch (err) {
        failed(res)(err);
      }
    });
  }

  function onBody(res: ServerResponse, body: Buffer | 'too-large'): void {
    if (body === 'too-large') {
      opts.logger.warn({ path: '/mj/notify/…' }, 'notify body too large');
      res.setHeader('connection', 'close');
      return send(res, 413, { error: 'body too large' });
    }
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      opts.logger.warn('notify body is not JSON');
      return send(res, 400, { error: 'invalid JSON' });
    }
    const task = parseTask(json);
    if (!task) {
      opts.logger.warn('notify body is not a task');
      return send(res, 400, { error: 'not a task' });
    }
    const known = opts.knows(task.id);
    if (typeof known === 'boolean') return answer(res, task, known);
    known.then((yes) => answer(res, task, yes), failed(res));
  }

  function answer(res: ServerResponse, task: Task, known: boolean): void {
    if (!known) {
      opts.logger.info({ taskId: task.id }, 'notify for an unknown task');
      return send(res, 404, { error: 'unknown task' });
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(OK_BODY);
    applyLater(task);
  }

  // Answers first, work after: updates are applied in arrival order once the sockets that are ready
  // have been answered (setImmediate runs after the poll phase), so a burst of POSTs is not answered
  // one apply at a time.
  let pending: Task[] = [];
  const applyPending = (): void => {
    const batch = pending;
    pending = [];
    for (const task of batch) opts.ingest(task).catch((err: unknown) => opts.logger.warn({ err, taskId: task.id }, 'notify ingest failed'));
  };
  const applyLater = (task: Task): void => {
    if (pending.push(task) === 1) setImmediate(applyPending);
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '0.0.0.0', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1';
  return {
    url: `http://${host}:${address.port}`,
    server,
    addRoute: (route) => void routes.set(route.path, route),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
