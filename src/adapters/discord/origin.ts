/**
 * Interactions → neutral Origin, and the opaque data the presenter keeps on a MessageRef so a
 * task message can be edited later (also after a restart): the interaction webhook (app id +
 * token, valid 15 minutes from the interaction's creation) and the channel for the bot-token
 * fallback.
 */
import { PermissionFlagsBits, type Interaction } from 'discord.js';
import { toLocale } from '../../core/domain/i18n/index.js';
import type { ChatRef, Locale, MessageRef, Origin } from '../../core/domain/types.js';
import { DEFAULT_ATTACHMENT_LIMIT } from './images.js';

/** How the interaction was acknowledged before the service ran: a new reply, or an update of the pressed message. */
export type Deferral = 'reply' | 'update';

/** What origin.platformData / ref.platformData carry on Discord. */
export interface DiscordData {
  interactionId?: string;
  token?: string;
  appId?: string;
  /** Creation time of the interaction (ms since epoch): the webhook token lives 15 minutes from here. */
  createdAt?: number;
  channelId: string;
  /** Per-file upload limit reported by the interaction. */
  attLimit: number;
  deferred?: Deferral;
  /** Id of the deferred reply's message, so its first view can wait in line without holding the job. */
  originalId?: string;
  /** Key of the image currently attached to the message (so unchanged previews are not uploaded again). */
  img?: string;
}

/** Read Discord data back from platformData (values are stored as plain JSON). */
export function discordData(data: Record<string, string | number | boolean | undefined> | undefined): DiscordData {
  const str = (k: string) => (typeof data?.[k] === 'string' ? (data[k] as string) : undefined);
  const num = (k: string) => (typeof data?.[k] === 'number' ? (data[k] as number) : undefined);
  const deferred = str('deferred');
  return {
    interactionId: str('interactionId'),
    token: str('token'),
    appId: str('appId'),
    createdAt: num('createdAt'),
    channelId: str('channelId') ?? '',
    attLimit: num('attLimit') ?? DEFAULT_ATTACHMENT_LIMIT,
    deferred: deferred === 'reply' || deferred === 'update' ? deferred : undefined,
    originalId: str('originalId'),
    img: str('img'),
  };
}

/** Drop undefined fields so the data stays plain JSON. */
export function toPlatformData(data: DiscordData): Record<string, string | number | boolean | undefined> {
  const out: Record<string, string | number | boolean | undefined> = {};
  for (const [k, v] of Object.entries(data)) if (v !== undefined) out[k] = v;
  return out;
}

export function chatOf(interaction: Interaction): ChatRef {
  const guildId = interaction.guildId ?? undefined;
  return { platform: 'discord', chatId: interaction.channelId ?? `dm:${interaction.user.id}`, isGroup: guildId !== undefined, guildId };
}

/** The neutral origin of an interaction; `deferred` says how it was acknowledged, `originalId` is the deferred reply's message. */
export function originOf(interaction: Interaction, fallbackLocale: Locale, deferred?: Deferral, originalId?: string): Origin {
  const member = interaction.member;
  const name = member && 'displayName' in member && typeof member.displayName === 'string' ? member.displayName : interaction.user.displayName;
  const data: DiscordData = {
    interactionId: interaction.id,
    token: interaction.token,
    appId: interaction.applicationId,
    createdAt: interaction.createdTimestamp,
    channelId: interaction.channelId ?? '',
    attLimit: attachmentLimitOf(interaction),
    deferred,
    originalId,
  };
  return {
    chat: chatOf(interaction),
    actor: {
      userId: interaction.user.id,
      name,
      locale: toLocale(interaction.locale, fallbackLocale),
      isChatAdmin: interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false,
    },
    platformData: toPlatformData(data),
  };
}

/** `attachment_size_limit` of the interaction (discord.js keeps it as attachmentSizeLimit). */
export function attachmentLimitOf(interaction: Interaction): number {
  const limit = (interaction as { attachmentSizeLimit?: unknown }).attachmentSizeLimit;
  return typeof limit === 'number' && limit > 0 ? limit : DEFAULT_ATTACHMENT_LIMIT;
}

/** A ref with new Discord data (same chat). */
export function withData(ref: Pick<MessageRef, 'chat'>, messageId: string, data: DiscordData): MessageRef {
  return { chat: ref.chat, messageId, platformData: toPlatformData(data) };
}
