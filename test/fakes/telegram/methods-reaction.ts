/**
 * setMessageReaction as the Bot API validates it: the message must exist, bots set at most one
 * reaction, and only emojis from Telegram's reaction list (ReactionTypeEmoji) are accepted.
 * Not counted against flood limits: a reaction is not a message (the Bot FAQ's limits are about
 * messages; see docs/telegram-throughput.md for the assumption).
 */
import { badRequest, TG } from './errors.js';
import { intParam, type MethodHandler } from './context.js';

/** The emojis Telegram accepts as a reaction (Bot API, ReactionTypeEmoji). Note "✍" has no variation selector. */
export const REACTION_EMOJIS: ReadonlySet<string> = new Set(
  '👍 👎 ❤ 🔥 🥰 👏 😁 🤔 🤯 😱 🤬 😢 🎉 🤩 🤮 💩 🙏 👌 🕊 🤡 🥱 🥴 😍 🐳 ❤‍🔥 🌚 🌭 💯 🤣 ⚡ 🍌 🏆 💔 🤨 😐 🍓 🍾 💋 🖕 😈 😴 😭 🤓 👻 👨‍💻 👀 🎃 🙈 😇 😨 🤝 ✍ 🤗 🫡 🎅 🎄 ☃ 💅 🤪 🗿 🆒 💘 🙉 🦄 😘 💊 🙊 😎 👾 🤷‍♂ 🤷 🤷‍♀ 😡'.split(' '),
);

function reactionList(value: unknown): unknown[] {
  if (value === undefined) return [];
  let parsed: unknown = value;
  try {
    if (typeof value === 'string') parsed = JSON.parse(value);
  } catch {
    throw badRequest(TG.reactionInvalid);
  }
  if (!Array.isArray(parsed)) throw badRequest(TG.reactionInvalid);
  return parsed;
}

const setMessageReaction: MethodHandler = ({ params }, ctx) => {
  const chatId = intParam(params, 'chat_id');
  ctx.world.chatFor(chatId);
  const stored = ctx.world.find(chatId, intParam(params, 'message_id'));
  if (!stored) throw badRequest(TG.reactNotFound);
  const list = reactionList(params.reaction);
  if (list.length > 1) throw badRequest(TG.reactionsTooMany);
  const emojis = list.map((r) => {
    const item = typeof r === 'object' && r !== null ? (r as Record<string, unknown>) : {};
    if (item.type !== 'emoji' || typeof item.emoji !== 'string' || !REACTION_EMOJIS.has(item.emoji)) throw badRequest(TG.reactionInvalid);
    return item.emoji;
  });
  stored.reactions = emojis;
  return true;
};

export const reactionMethods: Record<string, MethodHandler> = { setMessageReaction };
