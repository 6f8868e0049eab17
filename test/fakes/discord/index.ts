/**
 * A fake Discord (REST + gateway on one 127.0.0.1 port) for driving a real discord.js v14 Client:
 * `new Client({ intents, rest: { api: fake.apiBase } })`. It enforces Discord's documented limits
 * and answers with the real error shapes (50035 nested form errors, 10062, 40060, 50027, 429 …).
 *
 * Routes under /api/v10: GET gateway/bot, users/@me, applications/@me; PUT/GET application (and
 * guild) commands; GET channels/{id}; POST/GET/PATCH/DELETE channel messages; POST interaction
 * callbacks; interaction webhooks (follow-ups, @original). Files: GET /cdn/{id}/{name}.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DiscordErrors, DiscordHttpError } from './errors.js';
import { FakeGateway } from './gateway.js';
import { parseBody, sendJson, type RouteRequest, type RouteResult } from './http.js';
import { handleCallback, handleInteractionWebhook } from './interaction-routes.js';
import { InteractionFactory } from './interactions.js';
import type { World } from './payloads.js';
import { DISCORD_LIMITS, RateLimits } from './rate-limit.js';
import { handleBotRoute, type CommandRegistry, type RestContext } from './rest-routes.js';
import { FakeState } from './state.js';
import type { FakeDiscord, FakeDiscordOptions, RecordedRequest } from './types.js';

export type * from './types.js';
export { INITIAL_RESPONSE_MS, TOKEN_LIFETIME_MS } from './interaction-routes.js';

const API_PREFIX = '/api/v10/';

/** Starts the fake on an ephemeral 127.0.0.1 port. */
export async function startFakeDiscord(opts: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  let offset = 0;
  const baseClock = opts.now ?? Date.now;
  const now = (): number => baseClock() + offset;
  const token = opts.token ?? 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.fake.discord-test-token';
  const requests: RecordedRequest[] = [];
  const waiters = new Set<() => void>();
  const notify = (): void => waiters.forEach((check) => check());

  const server = createServer((req, res) => void serve(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const world: World = {
    applicationId: opts.applicationId ?? '1100000000000000001',
    botUserId: opts.botUserId ?? opts.applicationId ?? '1100000000000000001',
    guildId: opts.guildId ?? '1100000000000000100',
    channelId: opts.channelId ?? '1100000000000000200',
    baseUrl: `http://127.0.0.1:${port}`,
    attachmentSizeLimit: opts.attachmentSizeLimit ?? 10 * 1024 * 1024,
  };
  const gatewayUrl = `ws://127.0.0.1:${port}`;
  const state = new FakeState(world, now);
  const limit = opts.rateLimit === false ? undefined : (opts.rateLimit ?? {});
  const limits = limit && new RateLimits({
    webhook: { limit: limit.webhookEditsPerWindow ?? DISCORD_LIMITS.webhook.limit, windowMs: limit.windowMs ?? DISCORD_LIMITS.webhook.windowMs },
    channel: limit.channel === false ? undefined : (limit.channel ?? DISCORD_LIMITS.channel),
    globalPerSecond: limit.globalPerSecond ?? DISCORD_LIMITS.globalPerSecond,
  });
  const commands: CommandRegistry = { global: [], guild: new Map(), last: [] };
  const ctx: RestContext = { world, state, now, limits, gatewayUrl, commands };
  const gateway = new FakeGateway(server, world, token, gatewayUrl, notify);
  const factory = new InteractionFactory(world, state, now, (d) => {
    gateway.dispatch('INTERACTION_CREATE', d);
    notify();
  });

  function route(req: RouteRequest, authorization: string | undefined): RouteResult {
    const [head, a = '', b = '', c] = req.segments;
    if (head === 'interactions' && c === 'callback' && req.segments.length === 4 && req.method === 'POST') {
      return handleCallback(ctx, req, a, b);
    }
    // Webhook-token routes need no auth; only interaction webhooks exist in this fake.
    if (head === 'webhooks' && req.segments.length >= 3) return handleInteractionWebhook(ctx, req, req.segments.slice(1));
    if (authorization !== `Bot ${token}`) throw DiscordErrors.unauthorized();
    limits?.takeGlobal();
    return handleBotRoute(ctx, req);
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', world.baseUrl);
    const method = req.method ?? 'GET';
    if (url.pathname.startsWith('/cdn/')) return serveCdn(url, res);
    const record: RecordedRequest = { method, path: safeDecode(url.pathname.replace(/^\/api\/v\d+/, '')), body: undefined, files: [], status: 0, at: now() };
    let result: RouteResult;
    try {
      const body = await parseBody(req);
      record.body = body.json;
      record.files = body.files.map((f) => ({ name: f.name, bytes: f.bytes, contentType: f.contentType }));
      if (!url.pathname.startsWith(API_PREFIX)) throw DiscordErrors.notFound();
      const segments = url.pathname.slice(API_PREFIX.length).split('/').filter(Boolean).map(safeDecode);
      if (body.size > 25 * 1024 * 1024) throw DiscordErrors.entityTooLarge();
      result = route({ method, segments, query: url.searchParams, body }, req.headers.authorization);
    } catch (e) {
      // A bug in the fake itself surfaces as a 500 naming the cause, instead of a hung request.
      result = e instanceof DiscordHttpError
        ? { status: e.status, body: e.body, headers: e.headers }
        : { status: 500, body: { message: `fake discord internal error: ${String(e)}`, code: 0 } };
    }
    record.status = result.status;
    requests.push(record);
    sendJson(res, result.status, result.body, result.headers);
    notify();
  }

  function serveCdn(url: URL, res: ServerResponse): void {
    const blob = state.blobs.get(url.pathname.split('/')[2] ?? '');
    if (!blob) return sendJson(res, 404, { message: 'Not Found' });
    res.writeHead(200, { 'content-type': blob.contentType ?? 'application/octet-stream', 'content-length': blob.bytes.length });
    res.end(blob.bytes);
  }

  const fake: FakeDiscord = {
    apiBase: `${world.baseUrl}/api`,
    token,
    applicationId: world.applicationId,
    botUserId: world.botUserId,
    guildId: world.guildId,
    channelId: world.channelId,
    requests,
    get commands() {
      return commands.last;
    },
    get rateLimitedCount() {
      return limits?.limited ?? 0;
    },
    get rateLimits() {
      return { ...(limits?.counts ?? { route: 0, channel: 0, global: 0 }) };
    },
    ready: () => gateway.ready(),
    slash: (o) => factory.slash(o),
    click: (o) => factory.component(o),
    select: (o) => factory.component(o),
    submitModal: (o) => factory.submitModal(o),
    messages: () => state.list(),
    message: (id) => state.messages.get(id),
    waitUntil(pred, timeoutMs = 5000, label = 'condition') {
      return new Promise<void>((resolve, reject) => {
        const check = (): void => {
          let ok = false;
          try {
            ok = pred();
          } catch {
            ok = false;
          }
          if (!ok) return;
          cleanup();
          resolve();
        };
        const poll = setInterval(check, 25);
        const timer = setTimeout(() => {
          cleanup();
          const recent = requests.slice(-15).map((r) => `  ${r.method} ${r.path} → ${r.status}`).join('\n');
          reject(new Error(`fake discord: timed out after ${timeoutMs} ms waiting for ${label}; recent requests:\n${recent || '  (none)'}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearInterval(poll);
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    advance(ms) {
      offset += ms;
    },
    disconnectClient: () => gateway.disconnect(),
    async close() {
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
