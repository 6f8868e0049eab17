/** reply_markup validation with the Bot API's limits and error texts. */
import { badRequest, TG } from './errors.js';
import type { ReplyMarkup } from './types.js';

const MAX_BUTTONS_PER_ROW = 8;
const MAX_BUTTONS_TOTAL = 100;
const MAX_CALLBACK_DATA_BYTES = 64;
const MAX_PLACEHOLDER_CHARS = 64;

const BUTTON_ACTIONS = ['callback_data', 'url', 'switch_inline_query', 'switch_inline_query_current_chat', 'switch_inline_query_chosen_chat', 'web_app', 'login_url', 'pay', 'callback_game', 'copy_text'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function validateInlineButton(button: unknown): void {
  if (!isObject(button)) throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
  if (typeof button.text !== 'string' || button.text.trim() === '') throw badRequest('BUTTON_TEXT_INVALID');
  if (!BUTTON_ACTIONS.some((k) => k in button)) {
    throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
  }
  if ('callback_data' in button) {
    const data = button.callback_data;
    const bytes = typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : 0;
    if (bytes < 1 || bytes > MAX_CALLBACK_DATA_BYTES) throw badRequest(TG.buttonDataInvalid);
  }
  if ('url' in button && (typeof button.url !== 'string' || !/^(https?|tg):\/\/\S+$/i.test(button.url))) {
    throw badRequest('BUTTON_URL_INVALID');
  }
}

function validateRows(rows: unknown, field: string): void {
  if (!Array.isArray(rows)) throw badRequest(`can't parse reply keyboard markup JSON object: Field "${field}" must be an Array`);
  let total = 0;
  for (const row of rows) {
    if (!Array.isArray(row)) throw badRequest(`can't parse reply keyboard markup JSON object: Field "${field}" must be an Array of Arrays`);
    if (row.length > MAX_BUTTONS_PER_ROW) throw badRequest('BUTTONS_TOO_MUCH');
    total += row.length;
    if (field === 'inline_keyboard') row.forEach(validateInlineButton);
  }
  if (total > MAX_BUTTONS_TOTAL) throw badRequest('BUTTONS_TOO_MUCH');
}

function validatePlaceholder(markup: Record<string, unknown>): void {
  const placeholder = markup.input_field_placeholder;
  if (placeholder === undefined) return;
  const length = typeof placeholder === 'string' ? [...placeholder].length : 0;
  if (length < 1 || length > MAX_PLACEHOLDER_CHARS) throw badRequest('INPUT_FIELD_PLACEHOLDER_INVALID');
}

/**
 * Validates a reply_markup value and returns it normalized (undefined when absent), throwing the
 * Bot API's error for oversized callback data, too many buttons or a bad ForceReply placeholder.
 */
export function validateReplyMarkup(markup: unknown): ReplyMarkup | undefined {
  if (markup === undefined || markup === null) return undefined;
  if (!isObject(markup)) throw badRequest("can't parse reply keyboard markup JSON object");
  if ('inline_keyboard' in markup) validateRows(markup.inline_keyboard, 'inline_keyboard');
  else if ('keyboard' in markup) {
    validateRows(markup.keyboard, 'keyboard');
    validatePlaceholder(markup);
  } else if ('force_reply' in markup) {
    if (markup.force_reply !== true) throw badRequest("can't parse reply keyboard markup JSON object: force_reply must be true");
    validatePlaceholder(markup);
  } else if (!('remove_keyboard' in markup)) {
    throw badRequest("can't parse reply keyboard markup JSON object: Unsupported reply markup type");
  }
  return markup;
}

/** True when the inline keyboard of `markup` has a button with this callback_data. */
export function hasCallbackButton(markup: ReplyMarkup | undefined, data: string): boolean {
  const rows = markup?.inline_keyboard;
  if (!Array.isArray(rows)) return false;
  return rows.some((row) => Array.isArray(row) && row.some((b) => isObject(b) && b.callback_data === data));
}

/** Only inline keyboards stay attached to a message (reply keyboards and ForceReply act on the client). */
export function attachedMarkup(markup: ReplyMarkup | undefined): ReplyMarkup | undefined {
  if (!markup || !('inline_keyboard' in markup)) return undefined;
  const rows = markup.inline_keyboard;
  return Array.isArray(rows) && rows.length > 0 ? markup : undefined;
}
