/**
 * Request parsing: JSON, urlencoded, query string and grammY's multipart (which Node's
 * `Request.formData()` rejects, hence busboy), with Telegram-like coercion of text fields.
 */
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { badRequest } from './errors.js';
import type { UploadedFile } from './types.js';

/** Upper bound for one request body; above Telegram's 50 MB document limit so the fake can answer 413 itself. */
const MAX_BODY_BYTES = 60 * 1024 * 1024;

/** Fields that are JSON-serialized objects/arrays when they arrive as text (multipart, urlencoded). */
const JSON_FIELDS = new Set([
  'reply_markup', 'media', 'entities', 'caption_entities', 'reply_parameters', 'link_preview_options',
  'commands', 'scope', 'allowed_updates', 'results', 'menu_button',
]);

/** Fields Telegram parses as integers. */
const INT_FIELDS = new Set([
  'chat_id', 'message_id', 'reply_to_message_id', 'offset', 'limit', 'timeout', 'user_id', 'cache_time',
  'message_thread_id', 'from_chat_id', 'max_connections', 'duration', 'width', 'height',
]);

const BOOL_FIELDS = new Set([
  'disable_notification', 'protect_content', 'allow_sending_without_reply', 'show_alert', 'has_spoiler',
  'disable_web_page_preview', 'disable_content_type_detection', 'drop_pending_updates', 'show_caption_above_media',
]);

export interface ParsedRequest {
  params: Record<string, unknown>;
  files: UploadedFile[];
}

/** Converts a text field the way the Bot API would (numbers, booleans, JSON objects). */
export function coerceField(name: string, value: string): unknown {
  if (JSON_FIELDS.has(name)) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      throw badRequest(`can't parse ${name} JSON object`);
    }
  }
  if (INT_FIELDS.has(name) && /^-?\d+$/.test(value)) return Number(value);
  if (BOOL_FIELDS.has(name) && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    total += buf.length;
    if (total > MAX_BODY_BYTES) throw new RequestTooLarge();
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** The body exceeded what the fake is willing to buffer. */
export class RequestTooLarge extends Error {}

function parseMultipart(req: IncomingMessage): Promise<ParsedRequest> {
  return new Promise((resolve, reject) => {
    const params: Record<string, unknown> = {};
    const files: UploadedFile[] = [];
    let total = 0;
    let failed = false;
    const fail = (err: unknown): void => {
      if (failed) return;
      failed = true;
      req.resume();
      reject(err);
    };
    const bb = busboy({ headers: req.headers, limits: { fileSize: MAX_BODY_BYTES, fieldSize: MAX_BODY_BYTES } });
    bb.on('field', (name, value) => {
      try {
        params[name] = coerceField(name, value);
      } catch (err) {
        fail(err);
      }
    });
    bb.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => {
        total += c.length;
        if (total > MAX_BODY_BYTES) fail(new RequestTooLarge());
        else chunks.push(c);
      });
      stream.on('end', () => files.push({ field, name: info.filename ?? field, bytes: Buffer.concat(chunks) }));
    });
    bb.on('error', fail);
    bb.on('close', () => {
      if (!failed) resolve({ params, files });
    });
    req.pipe(bb);
  });
}

/** Parses a Bot API request into coerced params plus uploaded files. Query-string params are merged in. */
export async function parseRequest(req: IncomingMessage, url: URL): Promise<ParsedRequest> {
  const params: Record<string, unknown> = {};
  for (const [k, v] of url.searchParams) params[k] = coerceField(k, v);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    const parsed = await parseMultipart(req);
    return { params: { ...params, ...parsed.params }, files: parsed.files };
  }
  const body = await readBody(req);
  if (body.length === 0) return { params, files: [] };
  if (type.startsWith('application/json')) {
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      throw badRequest("can't parse JSON encoded request body");
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw badRequest('request body must be an object');
    return { params: { ...params, ...(json as Record<string, unknown>) }, files: [] };
  }
  for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params[k] = coerceField(k, v);
  return { params, files: [] };
}
