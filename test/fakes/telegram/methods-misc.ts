/** getMe, webhooks, commands, callback answers, files, chat members, getUpdates. */
import { badRequest, TG } from './errors.js';
import { intParam, type MethodHandler } from './context.js';

const MAX_CALLBACK_ANSWER = 200;
const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;
const COMMAND_NAME = /^[a-z0-9_]{1,32}$/;

/** Storage key for commands: scope object plus language code, as Telegram keys them. */
export function commandsKey(scope: unknown, languageCode: unknown): string {
  const normalized = typeof scope === 'object' && scope !== null ? scope : { type: 'default' };
  return `${JSON.stringify(normalized)}|${typeof languageCode === 'string' ? languageCode : ''}`;
}

function checkLanguageCode(code: unknown): void {
  if (code !== undefined && code !== '' && (typeof code !== 'string' || !/^[a-z]{2}$/.test(code))) throw badRequest('LANG_CODE_INVALID');
}

const setMyCommands: MethodHandler = ({ params }, ctx) => {
  const commands = params.commands;
  if (!Array.isArray(commands)) throw badRequest('parameter "commands" is required');
  if (commands.length > 100) throw badRequest('BOT_COMMANDS_TOO_MUCH');
  checkLanguageCode(params.language_code);
  const stored = commands.map((c: unknown) => {
    const obj = typeof c === 'object' && c !== null ? (c as Record<string, unknown>) : {};
    const command = typeof obj.command === 'string' ? obj.command : '';
    const description = typeof obj.description === 'string' ? obj.description : '';
    if (!COMMAND_NAME.test(command)) throw badRequest(TG.commandInvalid);
    const length = [...description.trim()].length;
    if (length < 1 || length > 256) throw badRequest(TG.commandDescriptionInvalid);
    return { command, description };
  });
  ctx.commands.set(commandsKey(params.scope, params.language_code), stored);
  return true;
};

const getMyCommands: MethodHandler = ({ params }, ctx) => ctx.commands.get(commandsKey(params.scope, params.language_code)) ?? [];

const deleteMyCommands: MethodHandler = ({ params }, ctx) => {
  ctx.commands.delete(commandsKey(params.scope, params.language_code));
  return true;
};

const answerCallbackQuery: MethodHandler = ({ params }, ctx) => {
  const id = typeof params.callback_query_id === 'string' ? params.callback_query_id : String(params.callback_query_id ?? '');
  const query = ctx.callbackQueries.get(id);
  const now = ctx.world.now();
  if (!query || query.answered || now - query.at > ctx.callbackAnswerWindowMs) throw badRequest(TG.queryTooOld);
  const text = typeof params.text === 'string' ? params.text : undefined;
  if (text !== undefined && [...text].length > MAX_CALLBACK_ANSWER) throw badRequest(TG.answerTooLong);
  query.answered = true;
  ctx.callbackAnswers.set(id, {
    ...(text !== undefined ? { text } : {}),
    ...(params.show_alert !== undefined ? { show_alert: params.show_alert === true } : {}),
    ...(typeof params.url === 'string' ? { url: params.url } : {}),
    at: now,
  });
  return true;
};

const getFile: MethodHandler = ({ params }, ctx) => {
  const file = ctx.world.lookupFile(params.file_id);
  if (!file) throw badRequest('wrong file_id or the file is temporarily unavailable');
  if (file.size > MAX_DOWNLOAD_BYTES) throw badRequest(TG.fileTooBig);
  return { file_id: params.file_id, file_unique_id: file.fileUniqueId, file_size: file.size, file_path: file.filePath };
};

const getChatMember: MethodHandler = ({ params }, ctx) => {
  const chatId = intParam(params, 'chat_id');
  ctx.world.chatFor(chatId);
  const userId = intParam(params, 'user_id');
  if (userId === ctx.world.bot.id) return { status: 'member', user: ctx.world.bot };
  const user = ctx.world.users.get(userId);
  if (!user) throw badRequest('user not found');
  if (ctx.world.admins.get(chatId)?.has(userId)) return { status: 'creator', user, is_anonymous: false };
  return { status: 'member', user };
};

const getChat: MethodHandler = ({ params }, ctx) => ({ ...ctx.world.chatFor(params.chat_id).chat, accent_color_id: 0, max_reaction_count: 11, accepted_gift_types: {} });

const getMe: MethodHandler = (_req, ctx) => ({
  ...ctx.world.bot,
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
});

const setWebhook: MethodHandler = ({ params }, ctx) => {
  const url = typeof params.url === 'string' ? params.url : '';
  ctx.webhook.url = url;
  ctx.webhook.params = params;
  ctx.updates.webhookUrl = url;
  return true;
};

const deleteWebhook: MethodHandler = ({ params }, ctx) => {
  if (params.drop_pending_updates === true) ctx.updates.dropPending();
  ctx.webhook.url = '';
  ctx.updates.webhookUrl = '';
  return true;
};

const getWebhookInfo: MethodHandler = (_req, ctx) => ({
  url: ctx.webhook.url,
  has_custom_certificate: false,
  pending_update_count: ctx.updates.unconfirmed.length,
});

const acceptAndIgnore: MethodHandler = () => true;

export const miscMethods: Record<string, MethodHandler> = {
  getMe,
  setWebhook,
  deleteWebhook,
  getWebhookInfo,
  setMyCommands,
  getMyCommands,
  deleteMyCommands,
  answerCallbackQuery,
  getFile,
  getChatMember,
  getChat,
  setMyDescription: acceptAndIgnore,
  setMyShortDescription: acceptAndIgnore,
  setChatMenuButton: acceptAndIgnore,
};
