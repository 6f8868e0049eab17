/**
 * Interaction callback and interaction-webhook routes (no bot auth), with Discord's time windows:
 * 3 s for the initial response (10062), one initial response only (40060), 15-minute tokens (50027).
 */
import { DiscordErrors, FormErrors } from './errors.js';
import type { RouteRequest, RouteResult } from './http.js';
import { messageJson, type World } from './payloads.js';
import type { RateLimits } from './rate-limit.js';
import { LOADING, type FakeState, type InteractionRecord } from './state.js';
import { asObj, validateModal } from './validate.js';

/** Initial response window. */
export const INITIAL_RESPONSE_MS = 3_000;
/** Interaction token lifetime. */
export const TOKEN_LIFETIME_MS = 15 * 60_000;

/** Shared context for the route handlers. */
export interface RouteContext {
  world: World;
  state: FakeState;
  now: () => number;
  limits?: RateLimits;
}

/** `POST /interactions/{id}/{token}/callback`. */
export function handleCallback(ctx: RouteContext, req: RouteRequest, id: string, token: string): RouteResult {
  const rec = ctx.state.interactions.get(id);
  if (!rec || rec.token !== token) throw DiscordErrors.unknownInteraction();
  if (rec.acknowledged) throw DiscordErrors.alreadyAcknowledged();
  if (ctx.now() - rec.createdAt > INITIAL_RESPONSE_MS) throw DiscordErrors.unknownInteraction();
  const body = asObj(req.body.json);
  const type = Number(body.type);
  const data = asObj(body.data);
  const files = req.body.files;
  const fromComponent = rec.sourceMessageId !== undefined;
  let resourceMessageId: string | undefined;
  switch (type) {
    case 4:
    case 5: {
      const flags = Number(data.flags ?? 0) | (type === 5 ? LOADING : 0);
      const msg = ctx.state.create({ ...data, flags }, files, { interactionId: rec.id, allowEmpty: type === 5, prefix: ['data'] });
      rec.originalMessageId = rec.originalTargetId = resourceMessageId = msg.id;
      break;
    }
    case 6:
    case 7: {
      if (!fromComponent || !rec.sourceMessageId) throw DiscordErrors.invalidCallbackType();
      if (type === 7) ctx.state.edit(rec.sourceMessageId, data, files, ['data']);
      rec.originalTargetId = resourceMessageId = rec.sourceMessageId;
      break;
    }
    case 9: {
      if (rec.type === 5) throw DiscordErrors.invalidCallbackType();
      const errors = new FormErrors();
      validateModal(data, errors, ['data']);
      errors.throwIfAny();
      const components = Array.isArray(data.components) ? data.components : [];
      rec.modal = { custom_id: String(data.custom_id), title: String(data.title), components };
      rec.modalComponents = components;
      break;
    }
    default:
      throw DiscordErrors.invalidCallbackType();
  }
  rec.acknowledged = true;
  rec.responses.push({ type, data: body.data, at: ctx.now() });
  if (req.query.get('with_response') !== 'true') return { status: 204 };
  const msg = resourceMessageId ? ctx.state.messages.get(resourceMessageId) : undefined;
  return {
    status: 200,
    body: {
      interaction: {
        id: rec.id, type: rec.type, activity_instance_id: null, response_message_id: msg?.id ?? null,
        response_message_loading: msg ? (msg.flags & LOADING) !== 0 : false, response_message_ephemeral: msg?.ephemeral ?? false,
      },
      resource: { type, ...(msg ? { message: messageJson(ctx.world, msg) } : {}) },
    },
  };
}

function liveInteraction(ctx: RouteContext, appId: string, token: string): InteractionRecord {
  if (appId !== ctx.world.applicationId) throw DiscordErrors.unknownWebhook();
  const rec = ctx.state.byToken.get(token);
  if (!rec) throw DiscordErrors.unknownWebhook();
  if (ctx.now() - rec.createdAt > TOKEN_LIFETIME_MS) throw DiscordErrors.invalidWebhookToken();
  // The interaction webhook exists only once the interaction has been acknowledged.
  if (!rec.acknowledged) throw DiscordErrors.unknownWebhook();
  return rec;
}

function targetMessage(ctx: RouteContext, rec: InteractionRecord, ref: string): string {
  if (ref === '@original') {
    if (!rec.originalTargetId || !ctx.state.messages.has(rec.originalTargetId)) throw DiscordErrors.unknownMessage();
    return rec.originalTargetId;
  }
  const msg = ctx.state.messages.get(ref);
  if (!msg || (msg.interactionId !== rec.id && ref !== rec.originalTargetId)) throw DiscordErrors.unknownMessage();
  return ref;
}

/** `/webhooks/{appId}/{token}` and `/webhooks/{appId}/{token}/messages/{id|@original}`. */
export function handleInteractionWebhook(ctx: RouteContext, req: RouteRequest, rest: string[]): RouteResult {
  const [appId = '', token = '', sub, ref] = rest;
  const rec = liveInteraction(ctx, appId, token);
  const limited = (channelId: string | undefined, work: () => RouteResult): RouteResult =>
    ctx.limits ? ctx.limits.run(ctx.limits.webhookBucket(token), channelId, work) : work();
  const body = asObj(req.body.json);
  if (sub === undefined && req.method === 'POST') {
    // A follow-up is a message in the channel unless only its author sees it.
    const isPublic = (Number(body.flags ?? 0) & 64) === 0;
    return limited(isPublic ? ctx.world.channelId : undefined, () => {
      const msg = ctx.state.create(body, req.body.files, { interactionId: rec.id });
      return req.query.get('wait') === 'false' ? { status: 204 } : { status: 200, body: messageJson(ctx.world, msg) };
    });
  }
  if (sub !== 'messages' || ref === undefined || rest.length !== 4) throw DiscordErrors.notFound();
  const id = targetMessage(ctx, rec, ref);
  const target = ctx.state.messages.get(id)!;
  if (req.method === 'GET') return limited(undefined, () => ({ status: 200, body: messageJson(ctx.world, target) }));
  if (req.method === 'DELETE') {
    return limited(undefined, () => {
      ctx.state.messages.delete(id);
      return { status: 204 };
    });
  }
  if (req.method === 'PATCH') {
    return limited(target.ephemeral ? undefined : target.channelId, () => ({
      status: 200,
      body: messageJson(ctx.world, ctx.state.edit(id, body, req.body.files)),
    }));
  }
  throw DiscordErrors.methodNotAllowed();
}
