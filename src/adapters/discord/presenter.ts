/**
 * Task messages on Discord. A task's message is the response of the interaction that started it
 * (the deferred "thinking…" reply is edited into the task). Updates go through the interaction
 * webhook while its token lives (15 minutes); after that — or when the webhook answers
 * 50027/10015 — the message is edited with the bot token, and if even that is impossible a new
 * channel message is posted and its ref returned (the core persists it). Every write waits for
 * its channel's pacer (pacer.ts): results first, then first views; progress is dropped when the
 * channel is busy.
 */
import { createHash } from 'node:crypto';
import { DiscordAPIError, Routes, type APIMessage, type RESTPatchAPIWebhookWithTokenMessageJSONBody, type REST, type RawFile } from 'discord.js';
import { BotError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { MjService } from '../../core/service/service.js';
import { t } from './texts.js';
import type { FormView, MessageRef, Origin, TaskView } from '../../core/domain/types.js';
import type { Presenter, SendFailure } from '../../core/domain/ports.js';
import { fitAttachment } from './images.js';
import { discordData, withData, type DiscordData } from './origin.js';
import { ChannelPacer, type Paced, type WritePriority } from './pacer.js';
import { buttonRows, offerRows, offerText, taskEmbed } from './render.js';

/** Use the interaction webhook only while its token has this much life left (Discord: 15 minutes). */
export const WEBHOOK_MAX_AGE_MS = 14 * 60_000;
/** Webhook errors that mean "the token (or its message) is gone": fall back to the bot token. */
const WEBHOOK_GONE = new Set([50027, 10015, 10062, 10008]);
/** Bot-token edit errors that mean "cannot edit this message": post a new one. */
const MESSAGE_GONE = new Set([10008, 10003, 50001, 50013, 50005]);
const KEEP_USED = 2000;
/**
 * Errors no retry changes (once the fallbacks above were tried): unknown channel or guild, no
 * access or permission, a user who does not accept messages from the bot.
 */
const CHAT_CLOSED = new Set([10003, 10004, 50001, 50007, 50013]);

export interface PresenterDeps {
  rest: REST;
  service: MjService;
  logger: Logger;
  minUpdateIntervalMs: number;
  /** Per-channel pacing of public message writes (default: Discord's 5 per 5 s). */
  pacer?: ChannelPacer;
  now?: () => number;
}

interface Rendered {
  body: RESTPatchAPIWebhookWithTokenMessageJSONBody;
  files: RawFile[];
  img?: string;
}

export class DiscordPresenter implements Presenter {
  readonly platform = 'discord' as const;
  readonly minUpdateIntervalMs: number;
  readonly pacer: ChannelPacer;
  /** Interactions whose deferred reply already became a task message (a second task posts a follow-up). */
  private readonly usedOriginals = new Set<string>();
  private closed = false;

  constructor(private readonly deps: PresenterDeps) {
    this.minUpdateIntervalMs = deps.minUpdateIntervalMs;
    this.pacer = deps.pacer ?? new ChannelPacer();
  }

  /** Stop writing: queued writes are dropped (a final not yet shown stays open in the core). */
  close(): void {
    this.closed = true;
    this.pacer.close();
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  async open(origin: Origin, view: TaskView): Promise<MessageRef> {
    const data = discordData(origin.platformData);
    const rendered = await this.render(view, { ...data, img: undefined });
    const keep: DiscordData = { token: data.token, appId: data.appId, createdAt: data.createdAt, channelId: data.channelId, attLimit: data.attLimit, img: rendered.img };
    const id = data.interactionId;
    if (id && data.deferred === 'reply' && !this.usedOriginals.has(id) && this.webhookAlive(data)) {
      this.markUsed(id);
      const original = data.originalId;
      if (original && !this.pacer.canWriteNow(data.channelId, original, 'ack')) {
        // A busy channel: the user sees the deferred reply ("thinking…") already, so the first
        // view waits its turn in the background and the job goes on meanwhile.
        this.inBackground(data.channelId, original, 'ack', () => this.webhookEdit(data, '@original', rendered), view.taskId);
        return withData(origin, original, keep);
      }
      try {
        const msg = this.ran(await this.pacer.write(data.channelId, original ?? `original:${id}`, 'ack', () => this.webhookEdit(data, '@original', rendered)));
        return withData(origin, msg.id, { ...keep, channelId: msg.channel_id || data.channelId });
      } catch (err) {
        if (!isWebhookGone(err)) {
          // Not shown: the reply is still "thinking…", so the error answer may replace it.
          this.usedOriginals.delete(id);
          throw err;
        }
      }
    }
    const msg = await this.paced(data.channelId, () => this.post(data, rendered));
    return withData(origin, msg.id, { ...keep, channelId: msg.channel_id || data.channelId, ...(msg.webhook ? {} : noToken) });
  }

  async update(ref: MessageRef, view: TaskView): Promise<MessageRef | void> {
    const channelId = discordData(ref.platformData).channelId;
    const key = ref.messageId;
    if (view.final) {
      // The picture is fetched before the write takes one of the channel's slots.
      const rendered = await this.render(view, discordData(ref.platformData));
      const paced = await this.pacer.write(channelId, key, 'final', () => this.show(ref, view, rendered));
      // Not run: a newer final of this message took its place (and shows it).
      return paced.ran ? paced.value : this.notClosed();
    }
    const priority = view.keep ? 'ack' : 'progress';
    if (this.pacer.canWriteNow(channelId, key, priority)) {
      const paced = await this.pacer.write(channelId, key, priority, () => this.show(ref, view));
      return paced.ran ? paced.value : undefined;
    }
    // A busy channel: the view waits in the background (replacing an older one of this message
    // still waiting), so a result of this message is never held up behind it.
    this.inBackground(channelId, key, priority, () => this.editOnly(ref, view), view.taskId);
  }

  /** Show `view` on the message: webhook, else bot token, else a new channel message (its ref returned). */
  private async show(ref: MessageRef, view: TaskView, prerendered?: Rendered): Promise<MessageRef | void> {
    const data = discordData(ref.platformData);
    const rendered = prerendered ?? (await this.render(view, data));
    const changed = rendered.img !== data.img;
    if (this.webhookAlive(data)) {
      try {
        await this.webhookEdit(data, ref.messageId, rendered);
        return changed ? withData(ref, ref.messageId, { ...data, img: rendered.img }) : undefined;
      } catch (err) {
        if (!isWebhookGone(err)) throw err;
        this.deps.logger.info({ taskId: view.taskId }, 'interaction token expired; editing with the bot token');
      }
    }
    // The token is gone: from now on the ref carries no token, so later updates go straight here.
    const botData: DiscordData = { ...data, ...noToken, img: rendered.img };
    try {
      await this.deps.rest.patch(Routes.channelMessage(data.channelId, ref.messageId), { body: rendered.body, files: rendered.files });
      return withData(ref, ref.messageId, botData);
    } catch (err) {
      if (!(err instanceof DiscordAPIError) || !MESSAGE_GONE.has(Number(err.code))) throw err;
    }
    // Cannot edit it (deleted, or ephemeral): post the state as a new channel message.
    const fresh = await this.render(view, { ...botData, img: undefined });
    const msg = (await this.deps.rest.post(Routes.channelMessages(data.channelId), { body: fresh.body, files: fresh.files })) as APIMessage;
    return withData(ref, msg.id, { ...botData, img: fresh.img });
  }

  classifyFailure(err: unknown): SendFailure {
    if (!(err instanceof DiscordAPIError)) return 'transient';
    return CHAT_CLOSED.has(Number(err.code)) || err.status === 403 ? 'permanent' : 'transient';
  }

  async offerForm(ref: MessageRef, form: FormView): Promise<void> {
    const data = discordData(ref.platformData);
    await this.paced(data.channelId, () => this.post(data, { body: { content: offerText(form), components: offerRows(form) }, files: [] }));
  }

  /** A public write of its own (a new message, a reply) in the channel's line, as an acknowledgement. */
  async paced<T>(channelId: string, work: () => Promise<T>): Promise<T> {
    return this.ran(await this.pacer.write(channelId, `once:${++this.onceSeq}`, 'ack', work));
  }

  private onceSeq = 0;

  private ran<T>(paced: Paced<T>): T {
    if (paced.ran) return paced.value;
    throw new BotError('INTERNAL', 'the Discord adapter stopped before the message was written');
  }

  /** A superseded final is shown by the newer one; after close() nothing was shown, so the core tries again later. */
  private notClosed(): undefined {
    if (this.closed) throw new BotError('INTERNAL', 'the Discord adapter stopped before the result was written');
    return undefined;
  }

  /** A write nobody waits for; a failure is logged, and the next view (or the result) repairs the message. */
  private inBackground(channelId: string, key: string, priority: WritePriority, work: () => Promise<unknown>, taskId: string | undefined): void {
    this.pacer.write(channelId, key, priority, work).catch((err: unknown) => this.deps.logger.info({ err, taskId }, 'discord: a queued view could not be shown; the next one will'));
  }

  /** Edit the message in place (webhook while it lives, else bot token); never posts a new one. */
  private async editOnly(ref: MessageRef, view: TaskView): Promise<void> {
    const data = discordData(ref.platformData);
    const rendered = await this.render(view, data);
    if (this.webhookAlive(data)) await this.webhookEdit(data, ref.messageId, rendered);
    else await this.deps.rest.patch(Routes.channelMessage(data.channelId, ref.messageId), { body: rendered.body, files: rendered.files });
  }

  /** A new message: a follow-up while the interaction webhook lives, else a channel message. */
  private async post(data: DiscordData, rendered: Rendered): Promise<APIMessage & { webhook?: boolean }> {
    if (this.webhookAlive(data)) {
      try {
        const msg = (await this.deps.rest.post(Routes.webhook(data.appId!, data.token!), {
          body: rendered.body,
          files: rendered.files,
          query: new URLSearchParams({ wait: 'true' }),
          auth: false,
        })) as APIMessage;
        return { ...msg, webhook: true };
      } catch (err) {
        if (!isWebhookGone(err)) throw err;
      }
    }
    return (await this.deps.rest.post(Routes.channelMessages(data.channelId), { body: rendered.body, files: rendered.files })) as APIMessage;
  }

  private webhookEdit(data: DiscordData, messageId: string, rendered: Rendered): Promise<APIMessage> {
    return this.deps.rest.patch(Routes.webhookMessage(data.appId!, data.token!, messageId), { body: rendered.body, files: rendered.files, auth: false }) as Promise<APIMessage>;
  }

  private webhookAlive(data: DiscordData): boolean {
    if (!data.token || !data.appId) return false;
    return data.createdAt === undefined || this.now() - data.createdAt < WEBHOOK_MAX_AGE_MS;
  }

  /** True when the interaction's deferred reply already became a task message. */
  usedOriginal(interactionId: string): boolean {
    return this.usedOriginals.has(interactionId);
  }

  private markUsed(interactionId: string): void {
    this.usedOriginals.add(interactionId);
    if (this.usedOriginals.size > KEEP_USED) {
      const oldest = this.usedOriginals.values().next().value;
      if (oldest !== undefined) this.usedOriginals.delete(oldest);
    }
  }

  /** Embed + buttons; the image is uploaded only when it changed (`img` = key:fileName of the attached one). */
  private async render(view: TaskView, data: DiscordData): Promise<Rendered> {
    const components = buttonRows(view.rows);
    if (view.video) {
      const clip = await this.renderVideo(view, data, components);
      if (clip) return clip;
    }
    if (!view.image) {
      return { body: { content: '', embeds: [taskEmbed(view)], components, attachments: [] }, files: [] };
    }
    const key = createHash('sha1').update(view.image.url).digest('base64url').slice(0, 12);
    const [oldKey, oldName] = splitImg(data.img);
    if (oldKey === key && oldName) {
      // Same picture as shown now: leave the attachment alone.
      return { body: { content: '', embeds: [taskEmbed(view, oldName)], components }, files: [], img: data.img };
    }
    let note: string | undefined;
    try {
      const loaded = await this.deps.service.loadImage(view.image);
      const fitted = fitAttachment(loaded, data.attLimit);
      if (fitted) {
        const body = { content: '', embeds: [taskEmbed(view, fitted.fileName)], components, attachments: [{ id: '0', filename: fitted.fileName }] };
        return { body, files: [{ name: fitted.fileName, data: fitted.bytes, contentType: fitted.mime }], img: `${key}:${fitted.fileName}` };
      }
      note = t(view.locale, 'dc.imageTooLarge', { url: view.image.url });
    } catch (err) {
      this.deps.logger.warn({ err, taskId: view.taskId, preview: view.image.preview }, 'could not load task image');
      if (view.final) note = t(view.locale, 'dc.imageUnavailable');
    }
    return { body: { content: '', embeds: [taskEmbed(view, undefined, note)], components, attachments: [] }, files: [] };
  }

  /**
   * A video result: the clip as an attachment (Discord plays it under the embed), the buttons
   * below. Undefined when it cannot be attached — then the still is shown, with a note saying why.
   */
  private async renderVideo(view: TaskView, data: DiscordData, components: Rendered['body']['components']): Promise<Rendered | undefined> {
    const video = view.video;
    if (!video) return undefined;
    const key = createHash('sha1').update(video.url).digest('base64url').slice(0, 12);
    const [oldKey, oldName] = splitImg(data.img);
    if (oldKey === key && oldName) return { body: { content: '', embeds: [taskEmbed(view)], components }, files: [], img: data.img };
    let note: string;
    try {
      const clip = await this.deps.service.loadVideo(video);
      if (clip.bytes.length <= data.attLimit) {
        const body = { content: '', embeds: [taskEmbed(view)], components, attachments: [{ id: '0', filename: clip.fileName }] };
        return { body, files: [{ name: clip.fileName, data: clip.bytes, contentType: clip.mime }], img: `${key}:${clip.fileName}` };
      }
      note = t(view.locale, 'dc.videoTooLarge', { url: video.url });
    } catch (err) {
      this.deps.logger.warn({ err, taskId: view.taskId }, 'could not load task video');
      note = t(view.locale, 'dc.videoUnavailable');
    }
    // The still, with the note where the clip would be.
    const detail = view.detail ? `${view.detail}\n\n${note}` : note;
    return this.render({ ...view, video: undefined, detail }, data);
  }
}

const noToken = { token: undefined, appId: undefined, createdAt: undefined, interactionId: undefined } as const;

function splitImg(img: string | undefined): [string | undefined, string | undefined] {
  if (!img) return [undefined, undefined];
  const at = img.indexOf(':');
  return at < 0 ? [img, undefined] : [img.slice(0, at), img.slice(at + 1)];
}

function isWebhookGone(err: unknown): boolean {
  return err instanceof DiscordAPIError && (WEBHOOK_GONE.has(Number(err.code)) || err.status === 401);
}
