/**
 * HTTP layer: reads bodies (capped), logs every request, applies canned answers (failNext),
 * authenticates, and routes `/…/mj[-mode]/mj/<route>` to the handlers per flavour.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as actions from './actions.js';
import { isAuthorized, unauthorizedAnswer } from './auth.js';
import type { SimContext, SimRequest } from './context.js';
import { bindingError, notFound, type SimAnswer } from './flavours.js';
import { serveImage, type BinaryAnswer } from './image-routes.js';
import * as submit from './submit.js';
import type { BodyParser } from './submit.js';
import type { ImageRoute } from '../mj/routes.js';
import { cancelTask, fetchTask, imageSeed, listAll, listByCondition, refreshTask, type StaleView } from './task-routes.js';
import type { SimCannedAnswer, SimFlavour, SimRequestLogEntry, SpeedMode } from './types.js';
import { parseBody } from './validate.js';

export const MAX_BODY_BYTES = 30 * 1024 * 1024;
const MAX_LOG_ENTRIES = 5000;

export interface CannedRule { method: string | undefined; prefix: string; answer: SimCannedAnswer; remaining: number }

export interface ServerDeps {
  ctx: SimContext;
  view: StaleView;
  log: SimRequestLogEntry[];
  rules: CannedRule[];
}

type Handler = (ctx: SimContext, req: SimRequest, parse: BodyParser) => SimAnswer;
interface SubmitRoute { path: string; handler: Handler; flavours: readonly SimFlavour[] }

const ALL: readonly SimFlavour[] = ['oss', 'plus', 'trueai', 'newapi'];
const NOT_OSS: readonly SimFlavour[] = ['plus', 'trueai', 'newapi'];
const SUBMIT_ROUTES: SubmitRoute[] = [
  { path: '/submit/imagine', handler: submit.imagine, flavours: ALL },
  { path: '/submit/blend', handler: submit.blend, flavours: ALL },
  { path: '/submit/describe', handler: submit.describe, flavours: ALL },
  { path: '/submit/shorten', handler: submit.shorten, flavours: NOT_OSS },
  { path: '/submit/action', handler: actions.action, flavours: NOT_OSS },
  { path: '/submit/modal', handler: actions.modal, flavours: NOT_OSS },
  // trueai removed change/simple-change in v10 (docs/protocol.md#endpoints).
  { path: '/submit/change', handler: actions.change, flavours: ['oss', 'plus', 'newapi'] },
  { path: '/submit/simple-change', handler: actions.simpleChange, flavours: ['oss', 'plus', 'newapi'] },
  { path: '/submit/upload-discord-images', handler: submit.uploadImages, flavours: NOT_OSS },
  { path: '/submit/edits', handler: submit.edits, flavours: NOT_OSS },
  { path: '/submit/edit', handler: submit.edits, flavours: NOT_OSS },
  { path: '/submit/video', handler: submit.video, flavours: NOT_OSS },
  { path: '/insight-face/swap', handler: submit.swapFace, flavours: NOT_OSS },
];

type Body = { kind: 'empty' } | { kind: 'json'; value: unknown } | { kind: 'invalid'; raw: string } | { kind: 'too-large' };

async function readBody(req: IncomingMessage): Promise<Body> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return { kind: 'too-large' };
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  if (raw.trim() === '') return { kind: 'empty' };
  try {
    return { kind: 'json', value: JSON.parse(raw) as unknown };
  } catch {
    return { kind: 'invalid', raw };
  }
}

/**
 * Split a path at the LAST `/mj/`, so relay base URLs like `/mj-turbo-proxy` + `/mj/...` work; the
 * segment before it names the mode and the image route (docs/protocol.md#relay-routes).
 */
export function splitMjPath(pathname: string): { route: string; mode: SpeedMode | undefined; imageRoute: ImageRoute | undefined } | null {
  const at = pathname.lastIndexOf('/mj/');
  if (at < 0) return null;
  const segment = /\/mj(?:-(fast|relax|turbo))?(?:-(relay|origin|proxy))?$/i.exec(pathname.slice(0, at));
  const mode = segment?.[1]?.toUpperCase() as SpeedMode | undefined;
  const imageRoute = segment?.[2]?.toLowerCase() as ImageRoute | undefined;
  return { route: pathname.slice(at + 3), mode, imageRoute };
}

function dispatch(deps: ServerDeps, method: string, pathname: string, query: URLSearchParams, headers: IncomingMessage['headers'], body: Body): SimAnswer | BinaryAnswer {
  const { ctx, view } = deps;
  const flavour = ctx.flavour;
  const image = serveImage(ctx, method, pathname, query);
  if (image) return image;
  const split = splitMjPath(pathname);
  if (!split) return notFound(flavour, method, pathname);
  if (!isAuthorized(flavour, ctx.opts.apiKey, headers)) return unauthorizedAnswer(flavour);
  const { route } = split;
  const value = body.kind === 'json' ? body.value : undefined;
  const request: SimRequest = { method, route, mode: split.mode, body: value, rawPath: pathname };
  const parse: BodyParser = (schema) => {
    if (body.kind === 'invalid') return { ok: false, answer: bindingError(flavour, pathname, "'<' is an invalid start of a value.") };
    const parsed = parseBody(schema, value);
    return parsed.ok ? parsed : { ok: false, answer: bindingError(flavour, pathname, parsed.message) };
  };
  if (method === 'POST') {
    const submitRoute = SUBMIT_ROUTES.find((r) => r.path === route && r.flavours.includes(flavour));
    if (submitRoute) return submitRoute.handler(ctx, request, parse);
    if (route === '/task/list-by-condition' || (route === '/task/list-by-ids' && flavour === 'trueai')) {
      if (body.kind === 'invalid') return bindingError(flavour, pathname, 'invalid JSON');
      return listByCondition(ctx, view, value, pathname);
    }
    const refresh = /^\/task\/([^/]+)\/refresh$/.exec(route);
    if (refresh && flavour === 'newapi') return refreshTask(ctx, decodeURIComponent(refresh[1] ?? ''));
    const cancel = /^\/task\/([^/]+)\/cancel$/.exec(route);
    if (cancel && (flavour === 'plus' || flavour === 'trueai')) return cancelTask(ctx, decodeURIComponent(cancel[1] ?? ''));
  }
  if (method === 'GET') {
    const fetchMatch = /^\/task\/([^/]+)\/fetch$/.exec(route);
    if (fetchMatch) return fetchTask(ctx, view, decodeURIComponent(fetchMatch[1] ?? ''));
    const seed = /^\/task\/([^/]+)\/image-seed$/.exec(route);
    if (seed && flavour !== 'oss') return imageSeed(ctx, decodeURIComponent(seed[1] ?? ''));
    if (route === '/task/list' && (flavour === 'oss' || flavour === 'trueai')) return listAll(ctx, view);
  }
  return notFound(flavour, method, pathname);
}

function matchRule(rules: CannedRule[], method: string, pathname: string): CannedRule | undefined {
  const normalized = splitMjPath(pathname);
  const candidates = normalized ? [pathname, `/mj${normalized.route}`] : [pathname];
  const rule = rules.find((r) => (r.method === undefined || r.method === method) && candidates.some((p) => p.startsWith(r.prefix)));
  if (rule) {
    rule.remaining -= 1;
    if (rule.remaining <= 0) rules.splice(rules.indexOf(rule), 1);
  }
  return rule;
}

function cannedToAnswer(answer: Exclude<SimCannedAnswer, 'drop-connection'>): SimAnswer {
  const body = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  const isJson = answer.body !== undefined && typeof answer.body !== 'string';
  return { status: answer.status, body, headers: answer.headers, contentType: isJson ? 'application/json' : undefined };
}

function write(res: ServerResponse, answer: SimAnswer | BinaryAnswer): void {
  const bytes = 'bytes' in answer ? answer.bytes : Buffer.from(answer.body, 'utf8');
  const contentType = answer.contentType ?? ('body' in answer && answer.body !== '' ? 'application/json; charset=utf-8' : undefined);
  const headers: Record<string, string | number> = { 'content-length': bytes.length, ...answer.headers };
  if (contentType && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = contentType;
  res.writeHead(answer.status, headers);
  res.end(res.req.method === 'HEAD' ? undefined : bytes);
}

/** The node:http request listener. Never throws: any internal error becomes HTTP 500. */
export function createListener(deps: ServerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void handle(deps, req, res).catch(() => {
      if (!res.headersSent) write(res, { status: 500, body: JSON.stringify({ error: 'simulator internal error' }) });
      else res.destroy();
    });
  };
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const url = new URL(req.url ?? '/', 'http://sim.local');
  const pathname = url.pathname;
  const body = await readBody(req);
  const entry: SimRequestLogEntry = {
    method,
    path: pathname,
    headers: { ...req.headers },
    body: body.kind === 'json' ? body.value : body.kind === 'invalid' ? body.raw : undefined,
    status: 0,
    at: deps.ctx.opts.now(),
  };
  deps.log.push(entry);
  // Long demo runs poll forever: keep the log bounded.
  if (deps.log.length > MAX_LOG_ENTRIES) deps.log.splice(0, deps.log.length - MAX_LOG_ENTRIES);
  if (body.kind === 'too-large') {
    entry.status = 413;
    res.setHeader('connection', 'close');
    write(res, { status: 413, body: '' });
    req.destroy();
    return;
  }
  const rule = matchRule(deps.rules, method, pathname);
  if (rule?.answer === 'drop-connection') {
    req.socket.destroy();
    return;
  }
  const answer = rule ? cannedToAnswer(rule.answer) : dispatch(deps, method, pathname, url.searchParams, req.headers, body);
  entry.status = answer.status;
  write(res, answer);
}
