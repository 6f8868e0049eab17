/**
 * Pure rendering of neutral views into Discord message parts (embeds, action rows, modals,
 * selects) within Discord's documented limits (the message components and modal pages of Discord's API docs): custom_id ≤ 100, button label
 * ≤ 80, ≤ 5 buttons per row, ≤ 5 rows, modal title ≤ 45, text input value ≤ 4000, placeholder ≤ 100.
 */
import { chunkText } from '../../core/domain/text.js';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  LabelBuilder,
  ModalBuilder,
  StringSelectMenuBuilder,
  TextInputBuilder,
  TextInputStyle,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIModalInteractionResponseCallbackData,
} from 'discord.js';
import { t } from './texts.js';
import type { ButtonStyle as NeutralStyle, ButtonView, FormView, TaskPhase, TaskView } from '../../core/domain/types.js';

export const MAX_CUSTOM_ID = 100;
export const MAX_LABEL = 80;
export const MAX_ROW_BUTTONS = 5;
export const MAX_ROWS = 5;
export const MAX_CONTENT = 2000;
const MAX_TITLE = 256;
const MAX_DESCRIPTION = 4096;
const MAX_FOOTER = 256;
const MAX_MODAL_TITLE = 45;
const MAX_INPUT_LABEL = 45;
const MAX_LABEL_DESCRIPTION = 100;
const MAX_INPUT_VALUE = 4000;
const MAX_PLACEHOLDER = 100;
const MAX_SELECT_OPTIONS = 25;
const MAX_OPTION_TEXT = 100;

/** custom_ids of the adapter's own components (MJ buttons carry the codec's signed payloads). */
export const FORM_PREFIX = 'form:';
export const REGION_PREFIX = 'region:';
/** The modal's one text input. */
export const PROMPT_INPUT_ID = 'prompt';

export type MessageRow = APIActionRowComponent<APIComponentInMessageActionRow>;

/** Cut `text` to `max` characters (code points), ending with "…" when cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  if (max <= 1) return chars.slice(0, Math.max(0, max)).join('');
  return `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

const STYLES: Record<NeutralStyle, ButtonStyle> = {
  primary: ButtonStyle.Primary,
  secondary: ButtonStyle.Secondary,
  success: ButtonStyle.Success,
  danger: ButtonStyle.Danger,
};

function button(view: ButtonView): ButtonBuilder {
  const b = new ButtonBuilder().setCustomId(view.payload).setStyle(STYLES[view.style]);
  const label = truncate(view.label.trim(), MAX_LABEL);
  if (view.emoji) b.setEmoji({ name: view.emoji });
  if (label) b.setLabel(label);
  else if (!view.emoji) b.setLabel('•');
  return b;
}

/**
 * One action row per view row (a row with more than 5 buttons is split), at most 5 rows.
 * Buttons whose payload does not fit a custom_id are dropped: Discord would refuse the whole message.
 */
export function buttonRows(rows: ButtonView[][]): MessageRow[] {
  const out: MessageRow[] = [];
  for (const row of rows) {
    const usable = row.filter((b) => b.payload.length > 0 && b.payload.length <= MAX_CUSTOM_ID);
    for (let i = 0; i < usable.length; i += MAX_ROW_BUTTONS) {
      const builder = new ActionRowBuilder<ButtonBuilder>().addComponents(usable.slice(i, i + MAX_ROW_BUTTONS).map(button));
      out.push(builder.toJSON());
    }
  }
  return out.slice(0, MAX_ROWS);
}

const COLORS: Record<TaskPhase, number> = {
  submitting: 0x99aab5,
  queued: 0xfee75c,
  progress: 0x5865f2,
  'waiting-input': 0xeb459e,
  result: 0x57f287,
  failed: 0xed4245,
};

/** The task's embed: headline as title, prompt (+ detail) as description, requester in the footer. */
export function taskEmbed(view: TaskView, imageName?: string, note?: string): APIEmbed {
  const parts = [view.prompt.trim(), view.detail?.trim(), note].filter((p): p is string => Boolean(p));
  const embed: APIEmbed = {
    title: truncate(view.headline.trim() || '…', MAX_TITLE),
    description: truncate(parts.join('\n\n') || '…', MAX_DESCRIPTION),
    footer: { text: truncate(t(view.locale, 'task.by', { name: view.requester }), MAX_FOOTER) },
    color: COLORS[view.phase],
  };
  if (imageName) embed.image = { url: `attachment://${imageName}` };
  return embed;
}

/** The modal of a form with a prompt; custom_id `form:<formId>`, one text input prefilled. */
export function formModal(form: FormView): APIModalInteractionResponseCallbackData {
  const prompt = form.prompt;
  const input = new TextInputBuilder()
    .setCustomId(PROMPT_INPUT_ID)
    .setStyle(TextInputStyle.Paragraph)
    .setRequired(true)
    .setMaxLength(Math.min(MAX_INPUT_VALUE, Math.max(1, prompt?.maxLength ?? MAX_INPUT_VALUE)));
  const value = truncate(prompt?.value ?? '', MAX_INPUT_VALUE);
  if (value) input.setValue(value);
  if (prompt?.placeholder) input.setPlaceholder(truncate(prompt.placeholder, MAX_PLACEHOLDER));
  const label = new LabelBuilder()
    .setLabel(truncate(prompt?.label || t(form.locale, 'form.promptLabel'), MAX_INPUT_LABEL))
    .setTextInputComponent(input);
  if (form.hint) label.setDescription(truncate(form.hint, MAX_LABEL_DESCRIPTION));
  return new ModalBuilder()
    .setCustomId(`${FORM_PREFIX}${form.formId}`.slice(0, MAX_CUSTOM_ID))
    .setTitle(truncate(form.title || t(form.locale, 'form.promptLabel'), MAX_MODAL_TITLE))
    .addLabelComponents(label)
    .toJSON();
}

/** Vary (Region): a select of the preset areas (custom_id `region:<formId>`, values = region ids), then Cancel. */
export function regionRows(form: FormView): MessageRow[] {
  const select = new StringSelectMenuBuilder()
    .setCustomId(`${REGION_PREFIX}${form.formId}`.slice(0, MAX_CUSTOM_ID))
    .setPlaceholder(truncate(t(form.locale, 'dc.regionPlaceholder'), MAX_OPTION_TEXT))
    .addOptions(
      (form.regions ?? []).slice(0, MAX_SELECT_OPTIONS).map((r) => ({ label: truncate(r.label || r.id, MAX_OPTION_TEXT), value: r.id.slice(0, MAX_OPTION_TEXT) })),
    );
  return [
    new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(select).toJSON(),
    ...buttonRows([[{ payload: form.cancelPayload, label: t(form.locale, 'word.cancel'), emoji: '✖️', style: 'danger' }]]),
  ];
}

/** A form that cannot be shown as a modal right now: a message with Open (→ modal) and Cancel. */
export function offerRows(form: FormView): MessageRow[] {
  return buttonRows([
    [
      { payload: form.openPayload, label: t(form.locale, 'word.open'), emoji: '✏️', style: 'primary' },
      { payload: form.cancelPayload, label: t(form.locale, 'word.cancel'), emoji: '✖️', style: 'danger' },
    ],
  ]);
}

/** Text of an offered form: bold title, hint, and what to press. */
export function offerText(form: FormView): string {
  return truncate(`**${form.title}**\n${form.hint}\n\n${t(form.locale, 'dc.formOffer')}`, MAX_CONTENT);
}

/** Split text into message-sized chunks on line breaks where possible. */
export function chunks(text: string, max = MAX_CONTENT): string[] {
  return chunkText(text, max);
}
