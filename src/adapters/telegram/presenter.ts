/**
 * The Telegram Presenter: one message per task, replying to the command. It starts as text
 * (queued, progress bar), becomes a photo once an image exists (Telegram cannot turn a text
 * message into a photo, so a photo message replaces it) — a video for a video result — and
 * ends with the result's buttons.
 * Progress is skipped while the chat is over its flood budget; final views always wait their turn
 * (first in line, longest-waiting first). In a busy group a job has no message of its own until
 * its result (quiet.ts).
 */
import { createHash } from 'node:crypto';
import type { InlineKeyboardMarkup } from 'grammy/types';
import { t } from './texts.js';
import type { FormView, LoadedImage, MessageRef, Origin, TaskView } from '../../core/domain/types.js';
import type { Presenter, SendFailure } from '../../core/domain/ports.js';
import { clipKindFor, inputFile, mediaKindFor, UPLOAD_MAX_BYTES, type MediaKind } from './files.js';
import { chunks, keyboard, MAX_CAPTION, MAX_TEXT, renderTask } from './render.js';
import { sendOffer } from './replies.js';
import { RECORD_TTL_MS } from '../../core/domain/records.js';
import { isChatClosed, isMessageGone, isNotModified, rememberAlias, replyParams, type Shared } from './context.js';
import { isQuiet, sinceOf, type QuietMode } from './quiet.js';

/**
 * Where a task message is now. The service keeps the ref of the message first opened; when the
 * adapter replaces it (text → photo) it records the current message here instead of handing
 * the service a new ref, so the service's task record is never rewritten mid-update.
 */
interface Shown {
  messageId: number;
  /** 'none': a quiet job, nothing shown yet (its ref names the user's command). */
  kind: 'text' | MediaKind | 'none';
  /** Hash of the image URL shown now (no re-upload when only the caption changes). */
  img?: string;
  /** A final view is shown: the number of its buttons. */
  finalButtons?: number;
}

/** The media a task message shows now: the loaded file, how it is sent, and a key of its URL. */
interface Media {
  file: LoadedImage;
  kind: MediaKind;
  key: string;
}

/** The user's command message the task message replies to (kept in the ref's platformData). */
function replyToOf(ref: MessageRef): number | undefined {
  const value = ref.platformData?.replyTo;
  return typeof value === 'number' ? value : undefined;
}

const hashUrl = (url: string): string => createHash('sha1').update(url).digest('base64url').slice(0, 16);

/** How many messages' last content is remembered to skip identical edits (they cost flood budget). */
const REMEMBER_CONTENT = 5000;

export class TelegramPresenter implements Presenter {
  readonly platform = 'telegram' as const;
  private readonly lastContent = new Map<string, string>();
  /** Message states the store could not take yet (see remember). */
  private readonly unsaved = new Map<string, Shown>();
  private saveTimer?: NodeJS.Timeout;

  constructor(
    private readonly shared: Shared,
    readonly minUpdateIntervalMs: number,
    private readonly quiet: QuietMode,
  ) {}

  async open(origin: Origin, view: TaskView): Promise<MessageRef> {
    const quiet = await this.quiet.open(origin, view);
    if (quiet) return quiet;
    const replyTo = origin.replyTo ? Number(origin.replyTo) : undefined;
    const { html } = renderTask(view, MAX_TEXT);
    const markup = keyboard(view.rows);
    const chatId = Number(origin.chat.chatId);
    const sent = await this.shared.budget.in('ack', () =>
      this.shared.api.sendMessage(chatId, html, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, reply_markup: markup, ...replyParams(replyTo) }),
    );
    this.markShown(sent.chat.id, sent.message_id, html, markup);
    const ref: MessageRef = { chat: origin.chat, messageId: String(sent.message_id), platformData: { replyTo, since: this.quiet.now() } };
    this.quiet.track(ref);
    return ref;
  }

  async update(ref: MessageRef, view: TaskView): Promise<void> {
    if (view.final) this.quiet.end(ref);
    else if (isQuiet(ref)) return this.quiet.show(ref, view);
    // Counted again after a restart (the live set is this process's own): idempotent.
    else this.quiet.track(ref);
    // Flood control: progress gives way; the first queued view waits as an acknowledgement, a
    // final view in the first lane (both in the API transformer).
    const chatId = Number(ref.chat.chatId);
    if (!view.final && !view.keep && !this.shared.budget.hasRoom(chatId, this.quiet.liveIn(chatId))) return;
    await this.shared.budget.in(view.final ? 'final' : view.keep ? 'ack' : 'progress', () => this.apply(ref, view), sinceOf(ref));
  }

  private async apply(ref: MessageRef, view: TaskView): Promise<void> {
    const shown = await this.shown(ref);
    const buttons = view.rows.flat().length;
    // A result reaches the chat once: a repeated final (re-delivery after a restart, a late
    // duplicate) is dropped unless it brings buttons the shown one lacks.
    if (shown.finalButtons !== undefined && (!view.final || buttons <= shown.finalButtons)) return;
    if (shown.kind === 'none') {
      // A quiet job's result: a new message replying to the command, remembered at once (docs/delivery.md).
      if (view.final) await this.remember(ref, { ...(await this.sendFresh(ref, view)), finalButtons: buttons }, view);
      return;
    }
    try {
      const next = (await this.show(ref, shown, view)) ?? shown;
      if (view.final) next.finalButtons = buttons;
      if (next !== shown || view.final) await this.remember(ref, next, view);
    } catch (err) {
      if (isNotModified(err)) return;
      if (view.final && isMessageGone(err)) {
        await this.remember(ref, await this.sendFresh(ref, view), view);
        return;
      }
      if (!view.final) {
        this.shared.logger.debug({ err, taskId: view.taskId }, 'progress update failed; skipped');
        return;
      }
      throw err;
    }
  }

  classifyFailure(err: unknown): SendFailure {
    return isChatClosed(err) ? 'permanent' : 'transient';
  }

  async offerForm(ref: MessageRef, form: FormView): Promise<void> {
    const shown = await this.shown(ref);
    await sendOffer(this.shared, form, ref.chat, replyToOf(ref) ?? shown.messageId);
  }

  /** Show `view` on the message as it is now; returns the new state when the message changed. */
  private async show(ref: MessageRef, shown: Shown, view: TaskView): Promise<Shown | undefined> {
    const chatId = Number(ref.chat.chatId);
    const { messageId } = shown;
    const { media, note } = await this.media(view);
    const markup = keyboard(view.rows);
    if (note) view = { ...view, detail: view.detail ? `${view.detail}\n${note}` : note };
    if (!media) {
      if (shown.kind === 'text') {
        const { html, overflow } = renderTask(view, MAX_TEXT);
        if (this.unchanged(chatId, messageId, html, markup)) return undefined;
        await this.shared.api.editMessageText(chatId, messageId, html, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, reply_markup: markup });
        this.markShown(chatId, messageId, html, markup);
        await this.followUp(chatId, messageId, view, overflow);
      } else {
        const { html, overflow } = renderTask(view, MAX_CAPTION);
        if (this.unchanged(chatId, messageId, html, markup)) return undefined;
        await this.shared.api.editMessageCaption(chatId, messageId, { caption: html, parse_mode: 'HTML', reply_markup: markup });
        this.markShown(chatId, messageId, html, markup);
        await this.followUp(chatId, messageId, view, overflow);
      }
      return undefined;
    }
    if (shown.kind === 'text') {
      // Telegram cannot turn a text message into a photo or video: send the media, then remove the text.
      const sent = await this.sendMedia(chatId, media, view, markup, replyToOf(ref));
      const next: Shown = { messageId: sent.messageId, kind: media.kind, img: media.key, finalButtons: view.final ? view.rows.flat().length : undefined };
      // Remember the new message before anything else: a replay after a crash edits it instead of
      // sending another photo (the only window left is the send call itself, docs/delivery.md).
      await this.remember(ref, next, view);
      await this.followUp(chatId, sent.messageId, view, sent.overflow);
      await this.shared.api.deleteMessage(chatId, messageId).catch(() => undefined);
      return next;
    }
    const { html, overflow } = renderTask(view, MAX_CAPTION);
    if (shown.img === media.key) {
      if (this.unchanged(chatId, messageId, html, markup)) return undefined;
      await this.shared.api.editMessageCaption(chatId, messageId, { caption: html, parse_mode: 'HTML', reply_markup: markup });
      this.markShown(chatId, messageId, html, markup);
      await this.followUp(chatId, messageId, view, overflow);
      return undefined;
    }
    // A preview photo becomes the result photo, or the result clip (Telegram edits one medium into another in place).
    await this.shared.api.editMessageMedia(chatId, messageId, { type: media.kind, media: inputFile(media.file), caption: html, parse_mode: 'HTML' }, { reply_markup: markup });
    this.markShown(chatId, messageId, html, markup);
    await this.followUp(chatId, messageId, view, overflow);
    return { messageId, kind: media.kind, img: media.key };
  }

  /** The task message was deleted: post the final state as a new message. */
  private async sendFresh(ref: MessageRef, view: TaskView): Promise<Shown> {
    const chatId = Number(ref.chat.chatId);
    const { media, note } = await this.media(view);
    if (note) view = { ...view, detail: view.detail ? `${view.detail}\n${note}` : note };
    const markup = keyboard(view.rows);
    if (media) {
      const sent = await this.sendMedia(chatId, media, view, markup, replyToOf(ref));
      await this.followUp(chatId, sent.messageId, view, sent.overflow);
      return { messageId: sent.messageId, kind: media.kind, img: media.key };
    }
    const { html, overflow } = renderTask(view, MAX_TEXT);
    const sent = await this.shared.api.sendMessage(chatId, html, { parse_mode: 'HTML', reply_markup: markup, ...replyParams(replyToOf(ref)) });
    await this.followUp(chatId, sent.message_id, view, overflow);
    return { messageId: sent.message_id, kind: 'text' };
  }

  /** Send the task's media with its caption and buttons as a new message; the caller sends the `overflow` text after it. */
  private async sendMedia(chatId: number, media: Media, view: TaskView, markup: InlineKeyboardMarkup | undefined, replyTo: number | undefined): Promise<{ messageId: number; overflow?: string }> {
    const { html, overflow } = renderTask(view, MAX_CAPTION);
    const opts = { caption: html, parse_mode: 'HTML' as const, reply_markup: markup, ...replyParams(replyTo) };
    const file = inputFile(media.file);
    const api = this.shared.api;
    const sent =
      media.kind === 'photo' ? await api.sendPhoto(chatId, file, opts)
      : media.kind === 'video' ? await api.sendVideo(chatId, file, { ...opts, supports_streaming: true })
      : media.kind === 'animation' ? await api.sendAnimation(chatId, file, opts)
      : await api.sendDocument(chatId, file, opts);
    this.markShown(chatId, sent.message_id, html, markup);
    return { messageId: sent.message_id, overflow };
  }

  /**
   * What the view shows as media: a video result's clip (a video, a GIF as an animation), else
   * its image. A clip that cannot be sent falls back to the still, with a note saying why.
   */
  private async media(view: TaskView): Promise<{ media?: Media; note?: string }> {
    let note: string | undefined;
    if (view.video) {
      try {
        const clip = await this.shared.service.loadVideo(view.video);
        if (clip.bytes.length <= UPLOAD_MAX_BYTES) return { media: { file: clip, kind: clipKindFor(clip), key: hashUrl(view.video.url) } };
        note = t(view.locale, 'tg.videoTooLarge', { url: view.video.url });
      } catch (err) {
        this.shared.logger.warn({ err, taskId: view.taskId }, 'could not load task video');
        note = t(view.locale, 'tg.videoUnavailable');
      }
    }
    const image = view.image ? await this.load(view) : undefined;
    if (image && view.image) return { media: { file: image, kind: mediaKindFor(image), key: hashUrl(view.image.url) }, note };
    // A final image that could not be loaded is said so, instead of silently missing.
    if (view.image && !view.image.preview && view.final) note = note ?? t(view.locale, 'tg.imageUnavailable');
    return { note };
  }

  /** Text that did not fit in a caption (describe/shorten results) follows as its own message, on the final view. */
  private async followUp(chatId: number, replyTo: number, view: TaskView, overflow: string | undefined): Promise<void> {
    if (!overflow || !view.final) return;
    for (const part of chunks(overflow)) await this.shared.api.sendMessage(chatId, part, replyParams(replyTo));
  }

  private async load(view: TaskView): Promise<LoadedImage | undefined> {
    if (!view.image) return undefined;
    try {
      return await this.shared.service.loadImage(view.image);
    } catch (err) {
      this.shared.logger.warn({ err, taskId: view.taskId, preview: view.image.preview }, 'could not load task image');
      return undefined;
    }
  }

  /** True when the message already shows exactly this (as far as this process knows). */
  private unchanged(chatId: number, messageId: number, html: string, markup: InlineKeyboardMarkup | undefined): boolean {
    return this.lastContent.get(`${chatId}:${messageId}`) === JSON.stringify([html, markup ?? null]);
  }

  /** Remember what a message shows after a successful send or edit. */
  private markShown(chatId: number, messageId: number, html: string, markup: InlineKeyboardMarkup | undefined): void {
    const key = `${chatId}:${messageId}`;
    const content = JSON.stringify([html, markup ?? null]);
    this.lastContent.delete(key);
    this.lastContent.set(key, content);
    if (this.lastContent.size > REMEMBER_CONTENT) {
      const oldest = this.lastContent.keys().next().value;
      if (oldest !== undefined) this.lastContent.delete(oldest);
    }
  }

  private async shown(ref: MessageRef): Promise<Shown> {
    const unsaved = this.unsaved.get(shownKey(ref));
    if (unsaved) return unsaved;
    const saved = await this.shared.state.get<Shown>(shownKey(ref));
    return saved ?? { messageId: Number(ref.messageId), kind: isQuiet(ref) ? 'none' : 'text' };
  }

  /**
   * Remember what the message shows now. The message was sent already: if the store cannot take
   * it (Redis down), keep it here and save it as soon as the store is back — a replay must find
   * it, or the result would be posted a second time.
   */
  private async remember(ref: MessageRef, next: Shown, view: TaskView): Promise<void> {
    const key = shownKey(ref);
    try {
      await this.shared.state.set(key, next, RECORD_TTL_MS);
      this.unsaved.delete(key);
    } catch (err) {
      this.shared.logger.warn({ err, taskId: view.taskId }, 'could not save what a message shows; keeping it until the store is back');
      this.unsaved.set(key, next);
      this.saveLater();
    }
    if (next.messageId !== Number(ref.messageId)) await rememberAlias(this.shared, ref.chat, String(next.messageId), view.taskId);
  }

  private saveLater(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void Promise.all([...this.unsaved].map(([key, shown]) => this.shared.state.set(key, shown, RECORD_TTL_MS).then(() => this.unsaved.get(key) === shown && this.unsaved.delete(key), () => undefined))).then(() => {
        if (this.unsaved.size > 0) this.saveLater();
      });
    }, SAVE_RETRY_MS);
    this.saveTimer.unref?.();
  }
}

/** How often states that could not be saved are tried again. */
const SAVE_RETRY_MS = 500;

function shownKey(ref: MessageRef): string {
  return `shown:${ref.chat.chatId}:${ref.messageId}`;
}
