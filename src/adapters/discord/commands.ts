/**
 * Neutral commands (commands/) as Discord slash commands, and slash-command options back into
 * the neutral CommandInput. `images` options become `<name>1..<name>N` attachment options (the
 * first `min` required); Discord wants required options before optional ones.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type APIApplicationCommandBasicOption,
  type ChatInputCommandInteraction,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import type { Command, CommandInput, CommandOption, ImageInput } from '../../../commands/types.js';
import { UserInputError } from '../../errors.js';
import { maxMb } from '../../core/domain/images/data-url.js';
import type { ImageFetcher } from '../../core/domain/ports.js';
import { truncate } from './render.js';

/** Discord allows 25 options per command. */
const MAX_OPTIONS = 25;
const MAX_DESCRIPTION = 100;
const DEFAULT_IMAGES = 5;
const ZH = 'zh-CN';

/** How many attachment options an `images` option expands to. */
export function imageSlots(option: CommandOption): number {
  return Math.max(1, Math.min(10, option.max ?? DEFAULT_IMAGES));
}

function describe(o: { description: { en: string; zh: string } }) {
  return {
    description: truncate(o.description.en, MAX_DESCRIPTION) || '-',
    description_localizations: { [ZH]: truncate(o.description.zh, MAX_DESCRIPTION) || '-' },
  };
}

function optionsOf(option: CommandOption): APIApplicationCommandBasicOption[] {
  const base = { name: option.name, ...describe(option), required: option.required };
  switch (option.type) {
    case 'string':
      return [{ ...base, type: ApplicationCommandOptionType.String, ...(option.maxLength ? { max_length: Math.min(6000, option.maxLength) } : {}) }];
    case 'integer':
      return [{ ...base, type: ApplicationCommandOptionType.Integer, ...(option.min !== undefined ? { min_value: option.min } : {}), ...(option.max !== undefined ? { max_value: option.max } : {}) }];
    case 'choice':
      return [
        {
          ...base,
          type: ApplicationCommandOptionType.String,
          choices: (option.choices ?? []).slice(0, 25).map((c) => ({
            name: truncate(c.name.en, MAX_DESCRIPTION),
            name_localizations: { [ZH]: truncate(c.name.zh, MAX_DESCRIPTION) },
            value: c.value,
          })),
        },
      ];
    case 'image':
      return [{ ...base, type: ApplicationCommandOptionType.Attachment }];
    case 'images': {
      const required = option.min ?? (option.required ? 1 : 0);
      return Array.from({ length: imageSlots(option) }, (_, i) => ({
        ...base,
        name: `${option.name}${i + 1}`,
        type: ApplicationCommandOptionType.Attachment as const,
        required: i < required,
      }));
    }
  }
}

/** The slash commands to register (hidden commands left out). */
export function toSlashCommands(commands: readonly Command[]): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return commands
    .filter((c) => !c.hidden)
    .map((c) => {
      const options = c.options.flatMap(optionsOf);
      // Stable sort: required options first, as Discord demands.
      const sorted = [...options.filter((o) => o.required), ...options.filter((o) => !o.required)].slice(0, MAX_OPTIONS);
      return { type: ApplicationCommandType.ChatInput, name: c.name, ...describe(c), options: sorted };
    });
}

/** How attachments are downloaded. */
export interface AttachmentDeps {
  fetchImage: ImageFetcher;
  maxImageBytes: number;
  /** A self-hosted API base (tests, gateways) serves attachments from its own, possibly private, host. */
  trustAttachmentHost: boolean;
}

/** Read a slash command's options into the command's neutral input, downloading attached images. */
export async function inputOf(command: Command, interaction: ChatInputCommandInteraction, config: AttachmentDeps): Promise<CommandInput> {
  const input: CommandInput = {};
  for (const option of command.options) {
    switch (option.type) {
      case 'string':
      case 'choice':
        input[option.name] = interaction.options.getString(option.name) ?? undefined;
        break;
      case 'integer':
        input[option.name] = interaction.options.getInteger(option.name) ?? undefined;
        break;
      case 'image': {
        const attachment = interaction.options.getAttachment(option.name);
        input[option.name] = attachment ? await download(attachment, config) : undefined;
        break;
      }
      case 'images': {
        const images: ImageInput[] = [];
        for (let i = 1; i <= imageSlots(option); i++) {
          const attachment = interaction.options.getAttachment(`${option.name}${i}`);
          if (attachment) images.push(await download(attachment, config));
        }
        input[option.name] = images.length ? images : undefined;
        break;
      }
    }
  }
  return input;
}

/** Size-capped, content-checked download of an attachment from Discord's CDN. */
async function download(attachment: { url: string; name: string; size: number }, deps: AttachmentDeps): Promise<ImageInput> {
  const maxBytes = deps.maxImageBytes;
  if (attachment.size > maxBytes) throw new UserInputError('IMAGE_TOO_LARGE', 'attachment too large', { maxMb: maxMb(maxBytes) });
  const allowOrigins = deps.trustAttachmentHost ? [new URL(attachment.url).origin] : [];
  const image = await deps.fetchImage(attachment.url, { maxBytes, allowOrigins });
  return { bytes: image.bytes, name: attachment.name };
}
