/**
 * Platform-neutral command definitions. Each file in commands/ exports one `Command`; the
 * Discord adapter turns them into slash commands, the Telegram adapter into /commands, the
 * console into typed lines. Handlers validate with their zod schema and call the MJ service.
 */
import type { InternalHandler, MjService } from '../src/core/service/service.js';
import type { Locale, Origin, Reply } from '../src/core/domain/types.js';

export interface Localized {
  en: string;
  zh: string;
}

export type OptionType = 'string' | 'integer' | 'choice' | 'image' | 'images';

export interface CommandOption {
  /** Lowercase [a-z0-9_], ≤ 32 chars (Discord and Telegram rules). */
  name: string;
  type: OptionType;
  required: boolean;
  /** ≤ 100 chars in each language (Discord limit). */
  description: Localized;
  choices?: { value: string; name: Localized }[];
  /** `images`: how many. Discord expands to `<name>1..<name>N` attachment options (first `min` required). */
  min?: number;
  max?: number;
  /** String options: max length. */
  maxLength?: number;
}

/** An image the user attached (bytes already downloaded by the adapter, size-capped). */
export interface ImageInput {
  bytes: Uint8Array;
  name?: string;
}

export type CommandInput = Record<string, string | number | ImageInput | ImageInput[] | undefined>;

export interface CommandContext {
  service: MjService;
  origin: Origin;
  locale: Locale;
  /** Task id of the bot message the command replies to (Telegram reply, console "last result"), if any. */
  replyToTaskId?: string;
  /** Id of the bot message the command replies to (a job still waiting in line has no task yet). */
  replyToMessageId?: string;
  /** Every command the adapter serves (for /help). */
  commands: readonly Command[];
}

export interface Command {
  name: string;
  description: Localized;
  options: CommandOption[];
  /** Free text after the command (Telegram, console) fills this option (e.g. imagine → prompt). */
  textOption?: string;
  /** Hidden from menus (e.g. start). */
  hidden?: boolean;
  /** A replied-to photo fills the first image option before the message's own (Telegram: reply to the photo with a mask file). */
  repliedImageFirst?: boolean;
  /** The handler checks `origin.actor.isChatAdmin`: adapters that must ask the platform (Telegram) do so for this command only. */
  needsChatAdmin?: boolean;
  /** The bot's own buttons this command puts on its answers, by kind (e.g. the settings menu's 'st'). */
  buttons?: Record<string, InternalHandler>;
  execute(input: CommandInput, ctx: CommandContext): Promise<Reply>;
}
