/** Wire objects (users, guild, channel, messages, interactions) shaped as discord.js v14 expects them. */
import type { FakeMessage, FakeUser } from './types.js';

/** Discord epoch (2015-01-01) used by snowflakes. */
const DISCORD_EPOCH = 1420070400000n;
let increment = 0n;

/**
 * A real-looking snowflake (17–19 digits, so @discordjs/rest buckets routes correctly). Uses the
 * wall clock, since an injected test clock may be far from the present.
 */
export function snowflake(): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment).toString();
}

/** All permissions, as a decimal string. */
export const ALL_PERMISSIONS = ((1n << 51n) - 1n).toString();

/** Static identity of the fake world. */
export interface World {
  applicationId: string;
  botUserId: string;
  guildId: string;
  channelId: string;
  baseUrl: string;
  attachmentSizeLimit: number;
}

/** The default user who runs commands and clicks buttons. */
export const DEFAULT_USER: FakeUser = { id: '200000000000000001', username: 'tester', globalName: 'Test User' };

/** A user object. */
export function userJson(u: FakeUser, bot = false): Record<string, unknown> {
  return { id: u.id, username: u.username, global_name: u.globalName ?? null, discriminator: '0', avatar: null, bot, flags: 0, public_flags: 0 };
}

/** The bot's own user object. */
export function botUserJson(w: World): Record<string, unknown> {
  return { ...userJson({ id: w.botUserId, username: 'mjbot' }, true), verified: true, mfa_enabled: false };
}

function memberJson(user: Record<string, unknown>, joinedAt: string): Record<string, unknown> {
  return { user, roles: [], nick: null, avatar: null, joined_at: joinedAt, premium_since: null, deaf: false, mute: false, flags: 0, pending: false };
}

/** The single text channel. */
export function channelJson(w: World): Record<string, unknown> {
  return {
    id: w.channelId, type: 0, name: 'general', guild_id: w.guildId, position: 0, permission_overwrites: [],
    parent_id: null, nsfw: false, topic: null, last_message_id: null, rate_limit_per_user: 0,
  };
}

/** GUILD_CREATE payload: the guild with its channel, @everyone role and the bot's member. */
export function guildCreateJson(w: World, joinedAt: string): Record<string, unknown> {
  return {
    id: w.guildId, name: 'Fake Guild', icon: null, splash: null, discovery_splash: null, owner_id: DEFAULT_USER.id,
    afk_channel_id: null, afk_timeout: 300, verification_level: 0, default_message_notifications: 0, explicit_content_filter: 0,
    roles: [{ id: w.guildId, name: '@everyone', permissions: ALL_PERMISSIONS, position: 0, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 }],
    emojis: [], stickers: [], features: [], mfa_level: 0, application_id: null, system_channel_id: null, system_channel_flags: 0,
    rules_channel_id: null, vanity_url_code: null, description: null, banner: null, premium_tier: 0, premium_subscription_count: 0,
    preferred_locale: 'en-US', public_updates_channel_id: null, nsfw_level: 0, premium_progress_bar_enabled: false,
    joined_at: joinedAt, large: false, unavailable: false, member_count: 2, voice_states: [],
    members: [memberJson(botUserJson(w), joinedAt)], channels: [channelJson(w)], threads: [], presences: [],
    stage_instances: [], guild_scheduled_events: [], soundboard_sounds: [],
  };
}

/** The message object returned by REST and embedded in component interactions. */
export function messageJson(w: World, m: FakeMessage): Record<string, unknown> {
  return {
    id: m.id, channel_id: m.channelId, guild_id: w.guildId, author: botUserJson(w), content: m.content,
    timestamp: new Date(m.createdAt).toISOString(), edited_timestamp: m.editedAt ? new Date(m.editedAt).toISOString() : null,
    tts: false, mention_everyone: false, mentions: [], mention_roles: [], mention_channels: [], pinned: false,
    type: m.interactionId ? 20 : 0, flags: m.flags, embeds: m.embeds, components: m.components,
    attachments: m.attachments.map((a) => ({
      id: a.id, filename: a.filename, size: a.size, url: a.url, proxy_url: a.url, content_type: a.contentType,
    })),
    ...(m.interactionId ? { webhook_id: w.applicationId, application_id: w.applicationId } : {}),
  };
}

/** Fields every interaction carries (Discord API docs, "Interaction Object"). */
export function interactionBase(
  w: World,
  o: { id: string; token: string; type: number; data: unknown; user: FakeUser; locale?: string; joinedAt: string },
): Record<string, unknown> {
  return {
    id: o.id, application_id: w.applicationId, type: o.type, data: o.data, token: o.token, version: 1,
    guild_id: w.guildId, channel_id: w.channelId, channel: channelJson(w),
    guild: { id: w.guildId, locale: 'en-US', features: [] },
    member: { ...memberJson(userJson(o.user), o.joinedAt), permissions: ALL_PERMISSIONS },
    app_permissions: ALL_PERMISSIONS, locale: o.locale ?? 'en-US', guild_locale: 'en-US', entitlements: [],
    authorizing_integration_owners: { '0': w.guildId }, context: 0, attachment_size_limit: w.attachmentSizeLimit,
  };
}
