/** Bot-authenticated REST routes: gateway info, users, applications/commands, channels/messages. */
import { validateCommands } from './commands.js';
import { DiscordErrors, DiscordHttpError } from './errors.js';
import type { RouteRequest, RouteResult } from './http.js';
import type { RouteContext } from './interaction-routes.js';
import { botUserJson, channelJson, DEFAULT_USER, messageJson, snowflake, userJson } from './payloads.js';
import { asObj } from './validate.js';

/** Mutable registry of the last command PUTs. */
export interface CommandRegistry {
  global: unknown[];
  guild: Map<string, unknown[]>;
  last: unknown[];
}

/** Extra context for bot routes. */
export interface RestContext extends RouteContext {
  gatewayUrl: string;
  commands: CommandRegistry;
}

/** A registered command as Discord stores it: its own fields plus ids, version and defaults. */
function withIds(ctx: RestContext, list: unknown[], guildId?: string): unknown[] {
  return list.map((raw) => ({
    id: snowflake(), application_id: ctx.world.applicationId, version: snowflake(), type: 1,
    default_member_permissions: null, dm_permission: true, contexts: null, integration_types: [0], nsfw: false,
    ...(guildId ? { guild_id: guildId } : {}), ...asObj(raw),
  }));
}

/** Discord leaves the localization dictionaries out of a command list unless asked (`with_localizations=true`). */
function withoutLocalizations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutLocalizations);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'name_localizations' && key !== 'description_localizations')
      .map(([key, v]) => [key, withoutLocalizations(v)]),
  );
}

function applications(ctx: RestContext, req: RouteRequest, rest: string[]): RouteResult {
  const [appId, ...tail] = rest;
  if (appId === '@me' && tail.length === 0 && req.method === 'GET') {
    return {
      status: 200,
      body: {
        id: ctx.world.applicationId, name: 'mjbot', icon: null, description: '', bot_public: true, bot_require_code_grant: false,
        flags: 0, owner: userJson(DEFAULT_USER), team: null, verify_key: '0'.repeat(64), bot: botUserJson(ctx.world),
      },
    };
  }
  if (appId !== ctx.world.applicationId) throw new DiscordHttpError(403, { message: 'Missing Access', code: 50001 });
  const isGlobal = tail.length === 1 && tail[0] === 'commands';
  const guildId = tail[0] === 'guilds' && tail[2] === 'commands' && tail.length === 3 ? tail[1] : undefined;
  if (!isGlobal && !guildId) throw DiscordErrors.notFound();
  if (guildId && guildId !== ctx.world.guildId) throw new DiscordHttpError(403, { message: 'Missing Access', code: 50001 });
  if (req.method === 'PUT') {
    const list = withIds(ctx, validateCommands(req.body.json), guildId);
    if (guildId) ctx.commands.guild.set(guildId, list);
    else ctx.commands.global = list;
    ctx.commands.last = list;
    return { status: 200, body: list };
  }
  if (req.method === 'GET') {
    const list = guildId ? (ctx.commands.guild.get(guildId) ?? []) : ctx.commands.global;
    return { status: 200, body: req.query.get('with_localizations') === 'true' ? list : withoutLocalizations(list) };
  }
  throw DiscordErrors.methodNotAllowed();
}

function channels(ctx: RestContext, req: RouteRequest, rest: string[]): RouteResult {
  const [channelId, sub, messageId, ...extra] = rest;
  if (channelId !== ctx.world.channelId) throw DiscordErrors.unknownChannel();
  if (sub === undefined && req.method === 'GET') return { status: 200, body: channelJson(ctx.world) };
  if (sub !== 'messages' || extra.length > 0) throw DiscordErrors.notFound();
  const body = asObj(req.body.json);
  // The channel's buckets (major parameter: the channel); posting and editing also count as messages in it.
  const limited = (kind: string, writes: boolean, work: () => RouteResult): RouteResult =>
    ctx.limits ? ctx.limits.run(ctx.limits.channelBucket(kind, channelId), writes ? channelId : undefined, work) : work();
  if (messageId === undefined) {
    if (req.method !== 'POST') throw DiscordErrors.methodNotAllowed();
    return limited('channel-message-create', true, () => {
      // Flag 64 (ephemeral) is only valid on interaction responses; a channel message is public.
      const msg = ctx.state.create({ ...body, flags: Number(body.flags ?? 0) & ~64 }, req.body.files);
      return { status: 200, body: messageJson(ctx.world, msg) };
    });
  }
  const msg = ctx.state.messages.get(messageId);
  // Ephemeral messages are invisible through the channel routes.
  if (!msg || msg.ephemeral) throw DiscordErrors.unknownMessage();
  if (req.method === 'GET') return { status: 200, body: messageJson(ctx.world, msg) };
  if (req.method === 'DELETE') {
    return limited('channel-message-delete', false, () => {
      ctx.state.messages.delete(messageId);
      return { status: 204 };
    });
  }
  if (req.method === 'PATCH') {
    return limited('channel-message-edit', true, () => ({
      status: 200,
      body: messageJson(ctx.world, ctx.state.edit(messageId, body, req.body.files)),
    }));
  }
  throw DiscordErrors.methodNotAllowed();
}

/** Routes that need `Authorization: Bot <token>`. */
export function handleBotRoute(ctx: RestContext, req: RouteRequest): RouteResult {
  const [head, ...rest] = req.segments;
  if (head === 'gateway' && req.method === 'GET') {
    if (rest[0] === 'bot') {
      return {
        status: 200,
        body: { url: ctx.gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 } },
      };
    }
    if (rest.length === 0) return { status: 200, body: { url: ctx.gatewayUrl } };
  }
  if (head === 'users' && rest[0] === '@me' && rest.length === 1 && req.method === 'GET') {
    return { status: 200, body: botUserJson(ctx.world) };
  }
  if (head === 'applications') return applications(ctx, req, rest);
  if (head === 'channels') return channels(ctx, req, rest);
  throw DiscordErrors.notFound();
}
