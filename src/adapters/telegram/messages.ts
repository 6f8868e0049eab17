/**
 * Incoming messages: commands (text, photo captions, albums, replies to photos or results) and
 * answers to form steps (a reply to the form's ForceReply message). Commands come from
 * commands/ and are the same on every platform; this file only gathers their input.
 */
import type { Message } from 'grammy/types';
import { findCommand } from '../../../commands/index.js';
import type { Command, CommandInput, ImageInput } from '../../../commands/types.js';
import { t } from './texts.js';
import type { FormAnswer } from '../../core/domain/types.js';
import type { AlbumCollector } from './albums.js';
import { attachedImage, downloadAttached, type AttachedFile } from './files.js';
import { chatRef, originOf, parseCommand } from './origin.js';
import { sendReply } from './replies.js';
import { taskOfMessage, type Shared } from './context.js';

export interface MessageDeps extends Shared {
  botId: number;
  botUsername: string;
  albums: AlbumCollector;
  commands: readonly Command[];
}

/** Handle one message, or the messages of one album (oldest first). */
export async function handleMessages(deps: MessageDeps, messages: Message[]): Promise<void> {
  const first = messages[0];
  if (!first?.from) return;
  const commandMessage = messages.find((m) => parseCommand(m.text ?? m.caption, deps.botUsername));
  if (commandMessage) return runCommand(deps, commandMessage, messages);
  const repliedTo = messages.find((m) => m.reply_to_message)?.reply_to_message;
  if (repliedTo && repliedTo.from?.id === deps.botId && (await answerForm(deps, first, repliedTo))) return;
  if (first.chat.type === 'private') {
    const origin = originOf(first.chat, first.from, first.message_id, deps.locale);
    const locale = await deps.service.localeOf(origin);
    await deps.api.sendMessage(first.chat.id, t(locale, 'tg.privateHint'), { reply_parameters: { message_id: first.message_id, allow_sending_without_reply: true } });
  }
}

async function runCommand(deps: MessageDeps, message: Message, all: Message[]): Promise<void> {
  const parsed = parseCommand(message.text ?? message.caption, deps.botUsername);
  if (!parsed || !message.from) return;
  const origin = originOf(message.chat, message.from, message.message_id, deps.locale);
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
    if (images === 'missing') {
      await sendReply(deps, { type: 'message', text: t(locale, 'tg.needPhoto', { command: parsed.name }) }, target);
      return;
    }
    const replied = message.reply_to_message;
    const replyToTaskId = replied && replied.from?.id === deps.botId ? await taskOfMessage(deps, origin.chat, String(replied.message_id)) : undefined;
    const input = buildInput(command, parsed.rest, images);
    if (command.needsChatAdmin && message.chat.type !== 'private') origin.actor.isChatAdmin = await isChatAdmin(deps, message.chat.id, message.from.id);
    const reply = await command.execute(input, { service: deps.service, origin, locale, replyToTaskId, commands: deps.commands });
    await sendReply(deps, reply, target);
  } catch (err) {
    await sendReply(deps, deps.service.errorReply(locale, err), target);
  }
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

/** A reply to a form's message: its text is the prompt; an image (PNG document) is the mask. */
async function answerForm(deps: MessageDeps, message: Message, repliedTo: Message): Promise<boolean> {
  if (!message.from) return false;
  const chat = chatRef(message.chat);
  const formId = await deps.service.formForReply(chat, String(repliedTo.message_id));
  if (!formId) return false;
  const origin = originOf(message.chat, message.from, message.message_id, deps.locale);
  const locale = await deps.service.localeOf(origin);
  const target = { chat, chatId: message.chat.id, replyTo: message.message_id };
  try {
    const answer: FormAnswer = {};
    const text = (message.text ?? message.caption)?.trim();
    if (text) answer.prompt = text;
    const file = attachedImage(message);
    if (file) answer.mask = await downloadAttached({ ...file, isDocument: false }, deps);
    if (!text && !file) return true;
    await sendReply(deps, await deps.service.answerForm(formId, answer, origin), target);
  } catch (err) {
    await sendReply(deps, deps.service.errorReply(locale, err), target);
  }
  return true;
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
