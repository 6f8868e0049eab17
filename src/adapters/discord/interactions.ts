/**
 * The one `interactionCreate` handler (no collectors, so buttons keep working after a restart).
 * Every interaction is acknowledged within Discord's 3 seconds: slash commands and work-starting
 * presses are deferred first; forms are shown at once (modal, or a select for Vary Region)
 * because `planPress` is network-free. Nothing here throws: failures end in a localized apology.
 */
import {
  MessageFlags,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type ModalSubmitInteraction,
  type RepliableInteraction,
  type StringSelectMenuInteraction,
} from 'discord.js';
import type { Command } from '../../../commands/types.js';
import { toLocale } from '../../core/domain/i18n/index.js';
import type { FormView, Locale, Origin, Reply } from '../../core/domain/types.js';
import { inputOf, type AttachmentDeps } from './commands.js';
import { originOf, type Deferral } from './origin.js';
import { sendPrivate, sendReply, type ReplyDeps } from './replies.js';
import { FORM_PREFIX, formModal, offerRows, offerText, PROMPT_INPUT_ID, REGION_PREFIX, regionRows, truncate } from './render.js';
import { t } from './texts.js';

export interface HandlerDeps extends ReplyDeps {
  /** Language when Discord does not say. */
  locale: Locale;
  attachments: AttachmentDeps;
  commands: readonly Command[];
}

/** How each interaction in flight was acknowledged (for the apology path). */
const deferrals = new WeakMap<Interaction, Deferral>();

/** Acknowledge (not a channel message, so never paced); returns the deferred reply's message id. */
async function defer(interaction: RepliableInteraction, deferral: Deferral): Promise<string | undefined> {
  let originalId: string | undefined;
  if (deferral === 'update' && interaction.isMessageComponent()) await interaction.deferUpdate();
  else originalId = (await interaction.deferReply({ withResponse: true })).resource?.message?.id;
  deferrals.set(interaction, deferral);
  return originalId;
}

export async function handleInteraction(deps: HandlerDeps, interaction: Interaction): Promise<void> {
  try {
    if (interaction.isChatInputCommand()) await onSlash(deps, interaction);
    else if (interaction.isButton()) await onButton(deps, interaction);
    else if (interaction.isStringSelectMenu()) await onSelect(deps, interaction);
    else if (interaction.isModalSubmit()) await onModal(deps, interaction);
    else if (interaction.isAutocomplete()) await interaction.respond([]);
  } catch (err) {
    deps.logger.error({ err, type: interaction.type }, 'discord interaction failed');
    if (interaction.isRepliable()) await apologize(deps, interaction);
  }
}

function localeOf(deps: HandlerDeps, interaction: Interaction) {
  return toLocale(interaction.locale, deps.locale);
}

/** Run the service step after acknowledging; its errors become error replies, never exceptions. */
async function run(deps: HandlerDeps, origin: Origin, step: () => Promise<Reply>): Promise<Reply> {
  try {
    return await step();
  } catch (err) {
    return deps.service.errorReply(await deps.service.localeOf(origin), err);
  }
}

async function onSlash(deps: HandlerDeps, interaction: ChatInputCommandInteraction): Promise<void> {
  const command = deps.commands.find((c) => c.name === interaction.commandName);
  if (!command) {
    await interaction.reply({ content: t(localeOf(deps, interaction), 'dc.unknownCommand'), flags: MessageFlags.Ephemeral });
    return;
  }
  // Results are public; errors replace this with an ephemeral follow-up.
  const origin = originOf(interaction, deps.locale, 'reply', await defer(interaction, 'reply'));
  const reply = await run(deps, origin, async () => {
    const locale = await deps.service.localeOf(origin);
    const input = await inputOf(command, interaction, deps.attachments);
    return command.execute(input, { service: deps.service, origin, locale, commands: deps.commands });
  });
  await sendReply(deps, interaction, reply, 'reply');
}

async function onButton(deps: HandlerDeps, interaction: ButtonInteraction): Promise<void> {
  const plain = originOf(interaction, deps.locale);
  const plan = await deps.service.planPress(interaction.customId, plain);
  if (plan.type === 'error') {
    await interaction.reply({ content: plan.text, flags: MessageFlags.Ephemeral });
    return;
  }
  if (plan.type === 'form') return showForm(interaction, plan.form);
  // A press on a task message starts new work: its own public message. Presses on the bot's
  // other messages (menus, form offers) edit that message in place.
  const deferral: Deferral = interaction.message.embeds.length > 0 ? 'reply' : 'update';
  const origin = originOf(interaction, deps.locale, deferral, await defer(interaction, deferral));
  const reply = await run(deps, origin, () => deps.service.press(interaction.customId, origin));
  await sendReply(deps, interaction, reply, deferral);
}

/** A form at once: Vary Region → an ephemeral select of areas; prompts → a modal. */
async function showForm(interaction: ButtonInteraction, form: FormView): Promise<void> {
  if (form.regions?.length) {
    await interaction.reply({ content: truncate(`**${form.title}**\n${form.hint}`, 2000), components: regionRows(form), flags: MessageFlags.Ephemeral });
    return;
  }
  if (form.prompt) {
    await interaction.showModal(formModal(form));
    return;
  }
  await interaction.reply({ content: offerText(form), components: offerRows(form), flags: MessageFlags.Ephemeral });
}

async function onSelect(deps: HandlerDeps, interaction: StringSelectMenuInteraction): Promise<void> {
  if (!interaction.customId.startsWith(REGION_PREFIX)) {
    await interaction.reply({ content: t(localeOf(deps, interaction), 'dc.unknownComponent'), flags: MessageFlags.Ephemeral });
    return;
  }
  const formId = interaction.customId.slice(REGION_PREFIX.length);
  const origin = originOf(interaction, deps.locale, 'reply', await defer(interaction, 'reply'));
  const reply = await run(deps, origin, () => deps.service.answerForm(formId, { region: interaction.values[0] }, origin));
  await sendReply(deps, interaction, reply, 'reply');
}

async function onModal(deps: HandlerDeps, interaction: ModalSubmitInteraction): Promise<void> {
  if (!interaction.customId.startsWith(FORM_PREFIX)) {
    await interaction.reply({ content: t(localeOf(deps, interaction), 'dc.unknownComponent'), flags: MessageFlags.Ephemeral });
    return;
  }
  const formId = interaction.customId.slice(FORM_PREFIX.length);
  const origin = originOf(interaction, deps.locale, 'reply', await defer(interaction, 'reply'));
  const reply = await run(deps, origin, () => deps.service.answerForm(formId, { prompt: interaction.fields.getTextInputValue(PROMPT_INPUT_ID) }, origin));
  await sendReply(deps, interaction, reply, 'reply');
}

/** Last resort after an unexpected failure: a localized apology only the user sees. */
async function apologize(deps: HandlerDeps, interaction: RepliableInteraction): Promise<void> {
  const text = t(localeOf(deps, interaction), 'error.INTERNAL');
  try {
    const deferral = deferrals.get(interaction);
    if (interaction.deferred || interaction.replied) await sendPrivate(deps, interaction, text, deferral ?? 'update');
    else await interaction.reply({ content: text, flags: MessageFlags.Ephemeral });
  } catch (err) {
    deps.logger.warn({ err }, 'could not apologize on discord');
  }
}
