/**
 * Running a command from Telegram messages: its images (the message's own, in album order, then
 * the replied-to photo or album) and its text mapped onto the command's options.
 */
import type { Message } from 'grammy/types';
import { findCommand } from '../../../commands/index.js';
import type { Command, CommandInput, ImageInput } from '../../../commands/types.js';
import type { AlbumCollector } from './albums.js';
import { taskOfMessage, type Shared } from './context.js';
import { attachedImage, downloadAttached, type AttachedFile } from './files.js';
import { originOf, type ParsedCommand } from './origin.js';
import { sendReply } from './replies.js';
import { t } from './texts.js';

export interface MessageDeps extends Shared {
  botId: number;
  botUsername: string;
  albums: AlbumCollector;
  commands: readonly Command[];
}

/** Run `parsed` for `message` (one message, or the messages of one album in `all`). */
export async function runCommand(deps: MessageDeps, message: Message, all: Message[], parsed: ParsedCommand): Promise<void> {
  if (!message.from) return;
  const origin = originOf(message.chat, message.from, message.message_id, deps.locale);
  // The job answers the user's own message: in a busy group it may stand for the job (quiet.ts).
  origin.platformData = { ownMessage: true };
  const locale = await deps.service.localeOf(origin);
  const target = { chat: origin.chat, chatId: message.chat.id, replyTo: message.message_id };
  const command = findCommand(parsed.name, deps.commands);
  if (!command) {
    // In groups, other bots' commands are none of our business unless addressed to us.
    const addressed = (message.text ?? message.caption ?? '').toLowerCase().includes(`@${deps.botUsername.toLowerCase()}`);
    if (message.chat.type === 'private' || addressed) await sendReply(deps, { type: 'message', text: t(locale, 'tg.unknownCommand') }, target);
    return;
  }
  try {
    const images = await gatherImages(deps, command, message, all);
    if (images === 'missing' || (images.length === 0 && !parsed.rest && wantsAnImage(command))) {
      await sendReply(deps, { type: 'message', text: t(locale, 'tg.needPhoto', { command: parsed.name }) }, target);
      return;
    }
    const replied = message.reply_to_message;
    // A job is pointed at by a reply to its message, or (a quiet job in a busy group) to the user's own command.
    const pointsAtJob = replied !== undefined && (replied.from?.id === deps.botId || replied.from?.id === message.from.id);
    const replyToTaskId = pointsAtJob ? await taskOfMessage(deps, origin.chat, String(replied.message_id)) : undefined;
    const input = buildInput(command, parsed.rest, images);
    if (command.needsChatAdmin && message.chat.type !== 'private') origin.actor.isChatAdmin = await isChatAdmin(deps, message.chat.id, message.from.id);
    const replyToMessageId = pointsAtJob ? String(replied.message_id) : undefined;
    const reply = await command.execute(input, { service: deps.service, origin, locale, replyToTaskId, replyToMessageId, commands: deps.commands });
    await sendReply(deps, reply, target);
  } catch (err) {
    await sendReply(deps, deps.service.errorReply(locale, err), target);
  }
}

/** A command that has nothing to work on without an image (describe: an image, or a link to one). */
function wantsAnImage(command: Command): boolean {
  const takesImages = command.options.some((o) => o.type === 'image' || o.type === 'images');
  return takesImages && command.options.every((o) => o.type === 'image' || o.type === 'images' || !o.required);
}

/** Images for the command's image options: the message's own (album order), then the replied-to photo(s). */
async function gatherImages(deps: MessageDeps, command: Command, message: Message, all: Message[]): Promise<ImageInput[] | 'missing'> {
  const options = command.options.filter((o) => o.type === 'image' || o.type === 'images');
  if (options.length === 0) return [];
  const own = all.map((m) => attachedImage(m)).filter((f): f is AttachedFile => f !== undefined);
  const replied = message.reply_to_message;
  const repliedAlbum = replied ? (deps.albums.albumOf(replied) ?? [replied]) : [];
  const fromReply = repliedAlbum.map((m) => attachedImage(m)).filter((f): f is AttachedFile => f !== undefined);
  const files = command.repliedImageFirst ? [...fromReply, ...own] : [...own, ...fromReply];
  const needed = options.some((o) => o.required || (o.min ?? 0) > 0);
  if (files.length === 0) return needed ? 'missing' : [];
  const capacity = options.reduce((n, o) => n + (o.type === 'image' ? 1 : (o.max ?? 10)), 0);
  // One more than fits, so the command can say "too many" instead of silently dropping some.
  const wanted = files.slice(0, capacity + 1);
  const images: ImageInput[] = [];
  for (const file of wanted) images.push({ bytes: await downloadAttached(file, deps), name: file.name });
  return images;
}

/** Map free text and images onto the command's options. */
export function buildInput(command: Command, rest: string, images: ImageInput[]): CommandInput {
  const input: CommandInput = {};
  let next = 0;
  const imageOptions = command.options.filter((o) => o.type === 'image' || o.type === 'images');
  for (const [i, option] of imageOptions.entries()) {
    if (option.type === 'image') {
      const image = images[next];
      if (image) input[option.name] = image;
      next += 1;
    } else {
      const isLast = i === imageOptions.length - 1;
      const take = isLast ? images.length - next : (option.max ?? images.length - next);
      const slice = images.slice(next, next + take);
      if (slice.length > 0) input[option.name] = slice;
      next += take;
    }
  }
  if (command.textOption) {
    if (rest) input[command.textOption] = rest;
    return input;
  }
  let remaining = rest;
  for (const option of command.options) {
    if (option.type === 'image' || option.type === 'images' || !remaining) continue;
    const words = remaining.split(/\s+/);
    if (option.type === 'choice') {
      const index = words.findIndex((w) => option.choices?.some((c) => matchesChoice(w, c)));
      if (index < 0) continue;
      const choice = option.choices?.find((c) => matchesChoice(words[index] ?? '', c));
      input[option.name] = choice?.value;
      words.splice(index, 1);
      remaining = words.join(' ');
    } else if (option.type === 'integer') {
      const index = words.findIndex((w) => /^-?\d+$/.test(w));
      if (index < 0) continue;
      input[option.name] = Number(words[index]);
      words.splice(index, 1);
      remaining = words.join(' ');
    } else {
      input[option.name] = remaining;
      remaining = '';
    }
  }
  return input;
}

function matchesChoice(word: string, choice: { value: string; name: { en: string; zh: string } }): boolean {
  const w = word.toLowerCase();
  return w === choice.value.toLowerCase() || w === choice.name.en.toLowerCase() || w === choice.name.zh;
}

/** Group admins may switch chat-wide modes; Telegram only tells on request (getChatMember). */
async function isChatAdmin(deps: MessageDeps, chatId: number, userId: number): Promise<boolean> {
  try {
    const member = await deps.api.getChatMember(chatId, userId);
    return member.status === 'creator' || member.status === 'administrator';
  } catch (err) {
    deps.logger.warn({ err }, 'getChatMember failed');
    return false;
  }
}
