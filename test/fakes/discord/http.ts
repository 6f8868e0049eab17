/** Reading JSON / multipart request bodies and writing JSON answers for the fake. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DiscordHttpError } from './errors.js';

/** One uploaded file part (`files[n]`). */
export interface UploadedFile {
  /** Index `n` taken from the part name `files[n]` (falls back to the part order). */
  index: string;
  name: string;
  bytes: Buffer;
  contentType?: string;
}

/** A parsed request body: JSON (or `payload_json`) plus any uploaded files. */
export interface ParsedBody {
  json: unknown;
  files: UploadedFile[];
  /** Total bytes received, for the 25 MiB whole-request cap. */
  size: number;
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Reads the body; multipart bodies (as @discordjs/rest sends them) are parsed with the Fetch API. */
export async function parseBody(req: IncomingMessage): Promise<ParsedBody> {
  const raw = await readAll(req);
  const type = req.headers['content-type'] ?? '';
  if (raw.length === 0) return { json: undefined, files: [], size: 0 };
  if (type.startsWith('multipart/form-data')) {
    const form = await new Request('http://fake.local/', {
      method: 'POST',
      headers: { 'content-type': type },
      body: raw,
    }).formData();
    let json: unknown;
    const files: UploadedFile[] = [];
    let order = 0;
    for (const [key, value] of form.entries()) {
      if (typeof value === 'string') {
        if (key === 'payload_json') json = parseJson(value);
        continue;
      }
      const match = /^files\[(\d+)\]$/.exec(key);
      files.push({
        index: match?.[1] ?? String(order),
        name: value.name,
        bytes: Buffer.from(await value.arrayBuffer()),
        contentType: value.type || undefined,
      });
      order++;
    }
    return { json, files, size: raw.length };
  }
  const text = raw.toString('utf8');
  return { json: parseJson(text), files: [], size: raw.length };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new DiscordHttpError(400, { message: 'The request body contains invalid JSON.', code: 50109 });
  }
}

/** Writes a JSON answer (or an empty 204 when `body` is undefined). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (body === undefined) {
    res.statusCode = status;
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}

/** A request as route handlers see it (path split after `/api/v10`). */
export interface RouteRequest {
  method: string;
  /** Decoded path segments, e.g. `['webhooks', appId, token, 'messages', '@original']`. */
  segments: string[];
  query: URLSearchParams;
  body: ParsedBody;
}

/** What a route handler answers; `body` undefined means 204 No Content. */
export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
