/**
 * Showing the service's answers (Reply) on an interaction that was already acknowledged — with
 * a public deferred reply ('reply') or a deferred update of the pressed message ('update').
 * Errors and ephemeral answers are only shown to the user: a public "thinking…" reply is deleted
 * and an ephemeral follow-up takes its place. Public writes wait for the channel's pacer like
 * task messages do (ephemeral ones are not channel messages).
 */
import { MessageFlags, type APIEmbed, type RepliableInteraction } from 'discord.js';
import type { Logger } from '../../log.js';
import type { MjService } from '../../core/service/service.js';
import type { FormView, ImageRef, Reply } from '../../core/domain/types.js';
import { fitAttachment } from './images.js';
import type { Deferral } from './origin.js';
import type { DiscordPresenter } from './presenter.js';
import { buttonRows, chunks, offerRows, offerText, type MessageRow } from './render.js';

export interface ReplyDeps {
  service: MjService;
  presenter: DiscordPresenter;
  logger: Logger;
}

const MAX_FILES = 10;

/** Show `reply` for an interaction acknowledged with `deferral`. */
export async function sendReply(deps: ReplyDeps, interaction: RepliableInteraction, reply: Reply, deferral: Deferral): Promise<void> {
  switch (reply.type) {
    case 'task':
      // The presenter turned the deferred reply into the task message; if it could not, do not leave "thinking…".
      if (deferral === 'reply' && !deps.presenter.usedOriginal(interaction.id)) await interaction.deleteReply().catch(() => undefined);
      return;
    case 'form':
      return offerForm(deps, interaction, reply.form, deferral);
    case 'error':
      return sendPrivate(deps, interaction, reply.text, deferral);
    case 'message':
      return sendMessage(deps, interaction, reply, deferral);
  }
}

/** Only the user sees `text`; the public deferred reply (if unused) is removed. */
export async function sendPrivate(deps: ReplyDeps, interaction: RepliableInteraction, text: string, deferral: Deferral, components: MessageRow[] = []): Promise<void> {
  if (deferral === 'reply' && !deps.presenter.usedOriginal(interaction.id)) await interaction.deleteReply().catch(() => undefined);
  const parts = chunks(text.trim() || '…');
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    await interaction.followUp({ content: part, flags: MessageFlags.Ephemeral, components: last ? components : [] });
  }
}

/** A public write in the channel's line (pacer.ts), as a first view. */
function paced<T>(deps: ReplyDeps, interaction: RepliableInteraction, work: () => Promise<T>): Promise<T> {
  return deps.presenter.paced(interaction.channelId ?? `dm:${interaction.user.id}`, work);
}

/** A form cannot be shown as a modal once the interaction is deferred: offer a button that opens it. */
async function offerForm(deps: ReplyDeps, interaction: RepliableInteraction, form: FormView, deferral: Deferral): Promise<void> {
  if (deferral === 'reply') {
    await paced(deps, interaction, () => interaction.editReply({ content: offerText(form), components: offerRows(form) }));
    return;
  }
  await interaction.followUp({ content: offerText(form), components: offerRows(form), flags: MessageFlags.Ephemeral });
}

async function sendMessage(deps: ReplyDeps, interaction: RepliableInteraction, reply: Extract<Reply, { type: 'message' }>, deferral: Deferral): Promise<void> {
  const components = buttonRows(reply.rows ?? []);
  if (reply.replace && deferral === 'update') {
    // Edit the pressed message in place (settings menus, cancelled forms).
    await paced(deps, interaction, () => interaction.editReply({ content: chunks(reply.text.trim() || '…')[0], components, embeds: [], attachments: [] }));
    return;
  }
  if (reply.ephemeral) return sendPrivate(deps, interaction, reply.text, deferral, components);
  const images = await loadImages(deps, [...(reply.image ? [reply.image] : []), ...(reply.images ?? [])], interaction.attachmentSizeLimit);
  const [first = '', ...rest] = chunks(reply.text.trim());
  const content = first || (images.files.length ? '' : '…');
  const body = { components: rest.length ? [] : components, files: images.files, embeds: images.embeds };
  if (deferral === 'reply' && !deps.presenter.usedOriginal(interaction.id)) await paced(deps, interaction, () => interaction.editReply({ ...body, content }));
  else await paced(deps, interaction, () => interaction.followUp({ ...body, content: content || undefined }));
  for (const [i, part] of rest.entries()) {
    await paced(deps, interaction, () => interaction.followUp({ content: part, components: i === rest.length - 1 ? components : [] }));
  }
}

async function loadImages(deps: ReplyDeps, refs: ImageRef[], limit: number): Promise<{ files: { attachment: Buffer; name: string }[]; embeds: APIEmbed[] }> {
  const files: { attachment: Buffer; name: string }[] = [];
  const embeds: APIEmbed[] = [];
  for (const ref of refs.slice(0, MAX_FILES)) {
    try {
      const fitted = fitAttachment(await deps.service.loadImage(ref), limit || Number.MAX_SAFE_INTEGER);
      if (!fitted) continue;
      const name = files.some((f) => f.name === fitted.fileName) ? `${files.length}-${fitted.fileName}` : fitted.fileName;
      files.push({ attachment: fitted.bytes, name });
      embeds.push({ image: { url: `attachment://${name}` } });
    } catch (err) {
      deps.logger.warn({ err, taskId: ref.taskId }, 'could not load image for a reply');
    }
  }
  return { files, embeds };
}
