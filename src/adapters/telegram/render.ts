/**
 * Pure rendering of neutral views into Telegram text (HTML parse mode) and inline keyboards,
 * within Telegram's limits: text 4096, caption 1024 (counted after entity parsing, in UTF-16
 * units, which is what String#length counts), callback_data 64 bytes.
 */
import { chunkText } from '../../core/domain/text.js';
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import { t } from './texts.js';
import type { ButtonView, FormView, TaskView } from '../../core/domain/types.js';

export const MAX_TEXT = 4096;
export const MAX_CAPTION = 1024;
export const MAX_CALLBACK_BYTES = 64;
export const MAX_ALERT = 200;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Cut `text` to `max` characters, ending with "…" when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return text.slice(0, Math.max(0, max));
  return `${text.slice(0, max - 1).trimEnd()}…`;
}

/** One inline button per ButtonView; payloads over 64 bytes are dropped (Telegram would refuse the whole message). */
export function keyboard(rows: ButtonView[][]): InlineKeyboardMarkup | undefined {
  const out: InlineKeyboardButton[][] = [];
  for (const row of rows) {
    const buttons = row
      .filter((b) => Buffer.byteLength(b.payload, 'utf8') <= MAX_CALLBACK_BYTES && b.payload.length > 0)
      .map((b) => ({ text: buttonText(b), callback_data: b.payload }));
    if (buttons.length > 0) out.push(buttons);
  }
  return out.length > 0 ? { inline_keyboard: out } : undefined;
}

export function buttonText(b: ButtonView): string {
  return `${b.emoji ?? ''} ${b.label}`.trim() || '•';
}

export interface RenderedTask {
  /** HTML for a text message or caption. */
  html: string;
  /** Detail that did not fit (sent as a follow-up text message), plain text. */
  overflow?: string;
}

/**
 * The task's headline, prompt, requester and detail in at most `limit` visible characters.
 * The prompt is shortened first; a detail that still does not fit is cut and returned as overflow.
 */
export function renderTask(view: TaskView, limit: number): RenderedTask {
  const headline = view.headline.trim();
  const by = t(view.locale, 'task.by', { name: view.requester });
  const detail = view.detail?.trim() ?? '';
  const promptText = view.prompt.trim();
  // Visible characters: headline \n prompt \n by [\n\n detail].
  const fixed = headline.length + by.length + 2;
  const keepPrompt = Math.min(promptText.length, 200);
  let shownDetail = detail;
  let overflow: string | undefined;
  if (detail && fixed + keepPrompt + 2 + detail.length > limit) {
    // Keep a readable piece of the prompt; cut the detail and send it in full afterwards.
    const note = t(view.locale, 'tg.moreText');
    const room = limit - fixed - keepPrompt - 2 - note.length - 1;
    shownDetail = room > 20 ? `${truncate(detail, room)}\n${note}` : '';
    overflow = detail;
  }
  const promptRoom = limit - fixed - (shownDetail ? shownDetail.length + 2 : 0);
  const prompt = truncate(promptText, Math.max(0, promptRoom));
  const parts = [`<b>${escapeHtml(headline)}</b>`, prompt ? `<i>${escapeHtml(prompt)}</i>` : '', escapeHtml(by)].filter(Boolean);
  let html = parts.join('\n');
  if (shownDetail) html += `\n\n${escapeHtml(shownDetail)}`;
  return { html, overflow };
}

/** Split text into message-sized chunks on line breaks where possible. */
export function chunks(text: string, max = MAX_TEXT): string[] {
  return chunkText(text, max);
}

/** The ForceReply message of a form: hint plus the prompt in a copyable code block. */
export function renderForm(form: FormView, inGroup = false): string {
  const lines = [`<b>${escapeHtml(form.title)}</b>`, escapeHtml(form.hint)];
  // In a group the question mentions whom it asks: the selective ForceReply opens on their client only.
  if (inGroup && /^\d+$/.test(form.owner.userId)) lines[0] = `<a href="tg://user?id=${form.owner.userId}">${escapeHtml(form.owner.name)}</a> · ${lines[0]}`;
  if (form.prompt?.value) {
    const head = `${lines.join('\n')}\n\n${escapeHtml(t(form.locale, 'tg.formPrompt'))}\n`;
    const room = MAX_TEXT - head.length - 10;
    lines.push('', escapeHtml(t(form.locale, 'tg.formPrompt')), `<code>${escapeHtml(truncate(form.prompt.value, room))}</code>`);
  }
  return lines.join('\n');
}

/** ForceReply placeholder: 1–64 characters. */
export function placeholder(form: FormView): string {
  const text = form.prompt?.placeholder || t(form.locale, 'tg.replyHint');
  return truncate(text, 64);
}

/** Inline keyboard of a form: region presets (if any) two per row, then Cancel. */
export function formKeyboard(form: FormView): InlineKeyboardMarkup {
  const rows: ButtonView[][] = [];
  const regions = (form.regions ?? []).filter((r) => form.regionPayloads?.[r.id]);
  for (let i = 0; i < regions.length; i += 3) {
    rows.push(regions.slice(i, i + 3).map((r) => ({ payload: form.regionPayloads?.[r.id] ?? '', label: r.label, style: 'secondary' as const })));
  }
  rows.push([{ payload: form.cancelPayload, label: t(form.locale, 'word.cancel'), emoji: '✖️', style: 'danger' }]);
  return keyboard(rows) ?? { inline_keyboard: [] };
}
