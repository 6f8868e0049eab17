/** HTTP routing of the fake Bot API: /bot<token>/<method>, /file/bot<token>/<path>, errors, recording. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeContext, MethodHandler } from './context.js';
import { TelegramApiError } from './errors.js';
import { parseRequest, RequestTooLarge } from './params.js';
import type { ApiCall, ApiResponse, FailureAnswer, RecordedError, UploadedFile } from './types.js';

export interface ServerDeps {
  token: string;
  ctx: FakeContext;
  methods: Map<string, MethodHandler>;
  calls: ApiCall[];
  errors: RecordedError[];
  downloads: { filePath: string; at: number }[];
  forcedFailures: Map<string, { answer: FailureAnswer; remaining: number }[]>;
  /** Chats that refuse the bot (blocked it) or whose calls wait until released. */
  chatRules: Map<number, ChatRule>;
  /** Called after every answered call so waiters can re-check their predicates. */
  onChange: () => void;
  /** Cut every request's connection without an answer (network trouble). */
  unreachable: boolean;
}

function send(res: ServerResponse, status: number, body: ApiResponse): void {
  if (res.writableEnded || res.destroyed) return;
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

function errorResponse(err: TelegramApiError): ApiResponse {
  return {
    ok: false,
    error_code: err.status,
    description: err.description,
    ...(err.retryAfter !== undefined ? { parameters: { retry_after: err.retryAfter } } : {}),
  };
}

export interface ChatRule {
  /** Every call for the chat answers 403 "bot was blocked by the user". */
  blocked?: boolean;
  /** Calls for the chat wait for this before they are answered. */
  held?: Promise<void>;
  /** Calls waiting now. */
  waiting: number;
}

/** Apply the chat's rule to a call: wait while it is held, then refuse it if the chat blocked the bot. */
async function applyChatRule(deps: ServerDeps, params: Record<string, unknown>): Promise<void> {
  const rule = deps.chatRules.get(Number(params.chat_id));
  if (!rule) return;
  if (rule.held) {
    rule.waiting++;
    deps.onChange();
    await rule.held;
    rule.waiting--;
  }
  if (rule.blocked) throw new TelegramApiError(403, 'Forbidden: bot was blocked by the user');
}

function takeForcedFailure(deps: ServerDeps, method: string): TelegramApiError | undefined {
  const queue = deps.forcedFailures.get(method.toLowerCase());
  const next = queue?.[0];
  if (!queue || !next) return undefined;
  next.remaining -= 1;
  if (next.remaining <= 0) queue.shift();
  return new TelegramApiError(next.answer.status, next.answer.description, next.answer.retryAfter);
}

async function runMethod(deps: ServerDeps, method: string, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const at = deps.ctx.world.now();
  let params: Record<string, unknown> = {};
  let files: UploadedFile[] = [];
  let response: ApiResponse;
  let status = 200;
  let clientGone = false;
  try {
    ({ params, files } = await parseRequest(req, url));
    const forced = takeForcedFailure(deps, method);
    if (forced) throw forced;
    await applyChatRule(deps, params);
    let result: unknown;
    if (method.toLowerCase() === 'getupdates') {
      const poll = deps.ctx.updates.poll(params);
      res.on('close', () => {
        if (!res.writableEnded) {
          clientGone = true;
          poll.cancel();
        }
      });
      result = await poll.promise;
    } else {
      const handler = deps.methods.get(method.toLowerCase());
      if (!handler) throw new TelegramApiError(404, 'Not Found');
      result = await handler({ params, uploads: files }, deps.ctx);
    }
    response = { ok: true, result };
  } catch (err) {
    const apiError =
      err instanceof TelegramApiError ? err
      : err instanceof RequestTooLarge ? new TelegramApiError(413, 'Request Entity Too Large')
      : new TelegramApiError(500, `Internal Server Error: ${err instanceof Error ? err.message : String(err)}`);
    response = errorResponse(apiError);
    status = apiError.status;
  }
  if (clientGone || res.destroyed) return;
  if (!response.ok) deps.errors.push({ method, status, description: response.description ?? '' });
  deps.calls.push({ method, params, files, at, response });
  send(res, status, response);
  deps.onChange();
}

function serveFile(deps: ServerDeps, filePath: string, res: ServerResponse): void {
  const file = deps.ctx.world.filesByPath.get(filePath);
  if (!file) {
    send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    return;
  }
  deps.downloads.push({ filePath, at: deps.ctx.world.now() });
  res.writeHead(200, { 'content-type': file.mime ?? 'application/octet-stream', 'content-length': file.bytes.length });
  res.end(file.bytes);
  deps.onChange();
}

/** The request listener for the fake's http server. */
export function createRequestListener(deps: ServerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (deps.unreachable) {
      req.socket.destroy();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (fileMatch) {
      if (fileMatch[1] !== deps.token) send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      else serveFile(deps, decodeURIComponent(fileMatch[2] ?? ''), res);
      return;
    }
    const methodMatch = /^\/bot([^/]+)\/([A-Za-z]+)\/?$/.exec(url.pathname);
    if (!methodMatch) {
      req.resume();
      send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    const method = methodMatch[2] ?? '';
    if (methodMatch[1] !== deps.token) {
      req.resume();
      deps.errors.push({ method, status: 401, description: 'Unauthorized' });
      send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      deps.onChange();
      return;
    }
    void runMethod(deps, method, req, res, url);
  };
}
