/**
 * The button catalogue: what each Midjourney proxy button is, how it looks (Midjourney's own,
 * untranslated label), where it sits (Midjourney's row layout) and whether it needs a form.
 */
import { t } from '../i18n/index.js';
import type { ButtonStyle, ButtonView, Locale } from '../types.js';
import { recognise, type ButtonKind, type FormNeed } from './patterns.js';

export type { ButtonKind, FormNeed } from './patterns.js';

/** Discord's limits (Telegram is looser, so the same layout works there). */
export const MAX_BUTTONS_PER_ROW = 5;
export const MAX_ROWS = 5;

export interface ButtonInfo {
  kind: ButtonKind;
  /** Exactly as the proxy sent it; opaque, never rebuilt. */
  customId: string;
  /** Midjourney's own label — never translated. '' when the button is emoji-only (reroll, pans). */
  label: string;
  /** A unicode emoji (Discord custom emoji names such as "upscale_1" are dropped). */
  emoji?: string;
  /** 1..4 grid cell / video clip, 1..5 prompt number, when meaningful. */
  index?: number;
  /** Midjourney's row group (0 = top); `layoutButtons` drops empty groups. */
  row: number;
  /** Position inside the row. */
  order: number;
  style: ButtonStyle;
  /** Input this button always needs (remix forms are decided by the proxy's answer, not here). */
  form: FormNeed;
  /** True for buttons never shown by default (CancelJob). */
  hidden?: boolean;
  /** Localized description of what the button does (help, toasts, accessibility). */
  hint(locale: Locale): string;
}

/** Proxy style numbers are Discord's: 1 primary, 2 secondary, 3 success, 4 danger. */
function toStyle(style: number | undefined): ButtonStyle {
  if (style === 1) return 'primary';
  if (style === 3) return 'success';
  if (style === 4) return 'danger';
  return 'secondary';
}

const EMOJI_CHARS = /^(?:\p{Extended_Pictographic}|\p{Emoji_Component}|\u200d|\ufe0f|\u20e3)+$/u;
const EMOJI_CORE = /\p{Extended_Pictographic}|\u20e3|\p{Regional_Indicator}/u;

/** A unicode emoji (incl. keycaps, ZWJ sequences, flags), not a Discord custom-emoji name or a broken escape. */
export function isUnicodeEmoji(value: string | undefined): value is string {
  if (!value || value.length > 32) return false;
  return EMOJI_CHARS.test(value) && EMOJI_CORE.test(value);
}

/** The fields of a proxy button (`Button` from src/mj/schemas.ts) the catalogue reads. */
export interface ButtonLike {
  customId: string;
  label?: string;
  emoji?: string;
  style?: number;
}

/** Everything the bot knows about one proxy button. */
export function describeButton(button: ButtonLike): ButtonInfo {
  const proxyLabel = (button.label ?? '').trim();
  const found = recognise(button.customId, proxyLabel);
  const label = proxyLabel || found.defaultLabel;
  let emoji = isUnicodeEmoji(button.emoji?.trim()) ? button.emoji?.trim() : found.defaultEmoji;
  // Keycap buttons carry the keycap as their label; repeating it as the emoji would show it twice.
  if (emoji === label) emoji = undefined;
  // Discord and Telegram both refuse a button with nothing on it.
  if (!label && !emoji) emoji = '❔';
  const info: ButtonInfo = {
    kind: found.kind,
    customId: button.customId,
    label,
    row: found.row,
    order: found.order,
    style: toStyle(button.style),
    form: found.form,
    hint: (locale) => t(locale, found.hintKey, found.hintVars),
  };
  if (emoji) info.emoji = emoji;
  if (found.index !== undefined) info.index = found.index;
  if (found.hidden) info.hidden = true;
  return info;
}

/**
 * Lay out a task's buttons into Midjourney-like rows: ≤ 5 per row, ≤ 5 rows. Buttons that
 * `canPress` rejects, hidden ones (CancelJob) and repeated customIds are dropped; rows
 * beyond the fifth are dropped too. Within a row, buttons follow `order`, then proxy order.
 */
export function layoutButtons(buttons: readonly ButtonLike[], canPress: (customId: string) => boolean): ButtonInfo[][] {
  const seen = new Set<string>();
  const groups = new Map<number, { info: ButtonInfo; position: number }[]>();
  buttons.forEach((button, position) => {
    if (seen.has(button.customId)) return;
    seen.add(button.customId);
    const info = describeButton(button);
    if (info.hidden || !canPress(button.customId)) return;
    const group = groups.get(info.row) ?? [];
    group.push({ info, position });
    groups.set(info.row, group);
  });
  const rows: ButtonInfo[][] = [];
  for (const row of [...groups.keys()].sort((a, b) => a - b)) {
    const group = (groups.get(row) ?? []).sort((a, b) => a.info.order - b.info.order || a.position - b.position);
    for (let i = 0; i < group.length; i += MAX_BUTTONS_PER_ROW) {
      rows.push(group.slice(i, i + MAX_BUTTONS_PER_ROW).map((entry) => entry.info));
    }
  }
  return rows.slice(0, MAX_ROWS);
}

/** The chat-facing view of a laid-out button, once its payload is encoded. */
export function toButtonView(info: ButtonInfo, payload: string): ButtonView {
  const view: ButtonView = { payload, label: info.label, style: info.style };
  if (info.emoji) view.emoji = info.emoji;
  return view;
}
