/**
 * Webhook mode: Telegram POSTs updates to TELEGRAM_WEBHOOK_URL's path on the bot's HTTP server.
 * Requests without the secret token header get 403; valid ones are answered 200 at once and
 * handled afterwards (Telegram resends updates that are not acknowledged quickly).
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Update } from 'grammy/types';
import type { Logger } from '../../log.js';
import type { RouteHandler } from '../../core/domain/ports.js';

const MAX_UPDATE_BYTES = 1024 * 1024;

function sameSecret(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    total += buf.length;
    if (total > MAX_UPDATE_BYTES) return undefined;
    parts.push(buf);
  }
  return Buffer.concat(parts);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export function webhookRoute(opts: { path: string; secret: string; logger: Logger; handle: (update: Update) => Promise<void> }): RouteHandler {
  return {
    path: opts.path,
    async handle(req, res) {
      if (req.method !== 'POST') return send(res, 405, { error: 'method not allowed' });
      if (!sameSecret(req.headers['x-telegram-bot-api-secret-token'], opts.secret)) {
        opts.logger.warn('telegram webhook call without the right secret token');
        return send(res, 403, { error: 'forbidden' });
      }
      const body = await readBody(req);
      let update: Update | undefined;
      try {
        update = body ? (JSON.parse(body.toString('utf8')) as Update) : undefined;
      } catch {
        update = undefined;
      }
      if (!update || typeof update.update_id !== 'number') return send(res, 400, { error: 'not an update' });
      send(res, 200, { ok: true });
      opts.handle(update).catch((err: unknown) => opts.logger.error({ err }, 'telegram webhook update failed'));
    },
  };
}
