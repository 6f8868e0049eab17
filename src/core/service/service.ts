/**
 * The shared MJ service: the one façade every adapter and command calls, and that contains all
 * Midjourney logic. It submits jobs, binds them to chat messages (persisted before the user is
 * told anything), follows them with the tracker and drives each task's message through the
 * adapter's Presenter. Its collaborators (submit, updates, presses, modal steps, queries) share
 * a private context; no store, client or dependency is reachable through the façade.
 */
import { toBotError } from '../../errors.js';
import type { Task } from '../../mj/schemas.js';

import type { JobSpec } from '../domain/jobs.js';
import type { Presenter } from '../domain/ports.js';
import { type UserSettings } from '../domain/settings.js';
import type { ChatRef, FormAnswer, ImageRef, LoadedImage, Locale, MessageRef, Origin, PressPlan, Reply } from '../domain/types.js';
import { errorText } from '../domain/views.js';
import { adminChange, adminReport, isAdmin, queueReport, type AdminChange, type AdminOutcome } from './admin.js';
import type { ServiceContext } from './context.js';
import { Delivery } from './delivery.js';
import { fleetHost } from './fleet-host.js';
import { reportInterruptedSubmits } from './pending-submits.js';
import { answerForm, cancelForm } from './form-steps.js';
import { planPress, press } from './presses.js';
import { cancel, type CancelTarget } from './cancel.js';
import { gallery, history, seedOf, taskCard, type GalleryItem, type HistoryItem, type SeedAnswer, type TaskCard } from './queries.js';
import { resumeJob } from './resume.js';
import { submit } from './submit.js';
import { loadTaskImage } from './task-image.js';
import { Outbox } from './outbox.js';
import { Tracker, type IngestResult } from './tracker.js';
import { linkSources, wireService, type CoreDeps } from './wiring.js';

export type { ServiceConfig } from './context.js';
export type { GalleryItem, HistoryItem, SeedAnswer, TaskCard } from './queries.js';
export type { AdminChange, AdminOutcome } from './admin.js';

/** A handler for one of the bot's own buttons (settings menu …); commands declare them. */
export type InternalHandler = (args: string[], origin: Origin, service: MjService) => Promise<Reply>;

export interface ServiceDeps extends CoreDeps {
  /** The bot's own buttons, by kind (built from the commands' declarations). */
  internalButtons?: ReadonlyMap<string, InternalHandler>;
}

/** Largest clip downloaded for a chat (Telegram's bots may upload 50 MB; smaller platform limits are the adapters' to check). */
export const MAX_CLIP_BYTES = 50 * 1024 * 1024;
/** How long stopping waits for a poll and for results in flight before it gives up on them. */
const STOP_GRACE_MS = 5000;

export class MjService {
  private readonly ctx: ServiceContext;
  private readonly tracker: Tracker;
  private readonly delivery: Delivery;
  /** Work that goes on after its caller was answered (jobs waiting in line). */
  private readonly background = new Set<Promise<unknown>>();
  private readonly outbox: Outbox;

  constructor(private readonly deps: ServiceDeps) {
    const internal = deps.internalButtons ?? new Map<string, InternalHandler>();
    const { logger } = deps;
    ({ ctx: this.ctx, tracker: this.tracker, delivery: this.delivery, outbox: this.outbox } = wireService(deps, {
      errorReply: (locale, err) => this.errorReply(locale, err),
      background: (work) => {
        const tracked = work.catch((err: unknown) => logger.error({ err }, 'background job failed')).finally(() => this.background.delete(tracked));
        this.background.add(tracked);
      },
      internal: async (kind, args, origin) => {
        const handler = internal.get(kind);
        if (!handler) return this.errorReply(await this.localeOf(origin), new Error(`no handler for internal button ${kind}`));
        return handler(args, origin, this);
      },
    }));
  }

  // === Life cycle

  /** Let an adapter show task messages on its platform. */
  attach(presenter: Presenter): void {
    this.delivery.addPresenter(presenter);
  }

  /** Resume tracking what was open before a restart, then poll. In a fleet, the fleet hands tasks back instead. */
  async start(): Promise<void> {
    const fleet = this.ctx.fleet;
    if (fleet) await fleet.start(fleetHost({ records: this.ctx.records, tracker: this.tracker, outbox: this.outbox }));
    const resumed = await this.tracker.start({ resume: !fleet });
    if (resumed.length) this.ctx.logger.info({ tasks: resumed.length }, 'resumed open tasks');
    // Results that were ready but not yet in their chats when the process stopped.
    for (const record of resumed) if (record.finished) this.outbox.schedule(record);
    await reportInterruptedSubmits(this.ctx.store, this.delivery);
    // Jobs left waiting in a chat's line by a stopped process continue here.
    await this.ctx.gate.start((job) => resumeJob(this.ctx, job));
  }

  /** Stop following tasks and let results in flight reach their chats, within a bound. */
  async stop(): Promise<void> {
    // Jobs still waiting in line stay in the store for the next start (or another process).
    await this.ctx.gate.close();
    await within(Promise.allSettled([...this.background]), STOP_GRACE_MS);
    this.tracker.stop();
    await within(this.tracker.idle(), STOP_GRACE_MS);
    await within(this.outbox.stop(), STOP_GRACE_MS);
    await within(this.delivery.drain(), STOP_GRACE_MS);
    this.delivery.close();
  }

  /** A task snapshot from the proxy's notifyHook (already validated). */
  ingest(task: Task): Promise<IngestResult | 'published'> {
    return this.ctx.fleet ? this.ctx.fleet.route(task) : this.tracker.ingest(task);
  }

  /** Is this one of our tasks? Open tasks are answered from memory at once; others need a store lookup. */
  knowsTask(taskId: string): boolean | Promise<boolean> {
    if (this.tracker.get(taskId)) return true;
    return this.ctx.records.get(taskId).then((record) => record !== undefined);
  }

  /** Resolves once the task is finished and its result delivered (or it is not followed by this process). */
  whenSettled(taskId: string): Promise<void> {
    return this.tracker.whenDone(taskId);
  }

  /** Wait until every view queued for the chats was handed over. */
  async flush(): Promise<void> {
    await this.outbox.idle();
    await this.delivery.drain();
  }

  /** Counters for metrics, tests and benchmarks. */
  diagnostics(): { tracked: number; pollRequests: number; finalsWaiting: number } {
    return { tracked: this.tracker.size, pollRequests: this.tracker.pollRequests, finalsWaiting: this.outbox.size };
  }

  // === Users, languages, errors

  /** The user's chosen language, else the one their client reports. */
  localeOf(origin: Origin): Promise<Locale> {
    return this.ctx.localeOf(origin);
  }

  /** Any error as a localized, safe answer (unexpected ones are logged). */
  errorReply(locale: Locale, err: unknown): Extract<Reply, { type: 'error' }> {
    const e = toBotError(err);
    if (e.code === 'INTERNAL') this.ctx.logger.error({ err }, 'unexpected error');
    const detail = (e as { details?: { description?: string } }).details?.description;
    return { type: 'error', code: e.code, text: errorText(locale, e.code, { detail, ...e.context }) };
  }

  settingsOf(origin: Origin): Promise<UserSettings> {
    return this.ctx.settings.get(origin.chat.platform, origin.actor.userId);
  }

  updateSettings(origin: Origin, patch: Partial<UserSettings>): Promise<UserSettings> {
    return this.ctx.settings.update(origin.chat.platform, origin.actor.userId, patch);
  }

  async isCollaborative(chat: ChatRef): Promise<boolean> {
    return (await this.ctx.chatSettings.get(chat.platform, chat.chatId)).collaborative === true;
  }

  async setCollaborative(chat: ChatRef, on: boolean): Promise<void> {
    await this.ctx.chatSettings.update(chat.platform, chat.chatId, { collaborative: on });
  }

  /** A bot admin (ADMIN_USERS): exempt from quotas, may use /admin. */
  isAdmin(origin: Origin): boolean {
    return isAdmin(this.ctx, origin);
  }

  // === Jobs, buttons, forms

  /** Submit a job; `display` is what its message shows as the prompt. */
  submit(origin: Origin, spec: JobSpec, display: string): Promise<Reply> {
    return submit(this.ctx, origin, spec, display);
  }

  /** Network-free check of a press: a form to show at once, or work to run (adapters acknowledge first). */
  planPress(payload: string, origin: Origin): Promise<PressPlan> {
    return planPress(this.ctx, payload, origin);
  }

  /** Handle a button press (result buttons and the bot's own buttons). */
  press(payload: string, origin: Origin): Promise<Reply> {
    return press(this.ctx, payload, origin);
  }

  /** A signed payload for one of the bot's own buttons (`kind` registered through `internalButtons`). */
  buttonPayload(kind: string, args: string[]): string {
    return this.ctx.codec.encodeInternal(kind, args);
  }

  /** The user's answer to a form step. */
  answerForm(formId: string, answer: FormAnswer, origin: Origin): Promise<Reply> {
    return answerForm(this.ctx, formId, answer, origin);
  }

  cancelForm(formId: string, origin: Origin): Promise<Reply> {
    return cancelForm(this.ctx, formId, origin);
  }

  /** Remember a message that asks for a form's answer (question or buttons), so a reply to it finds the form. */
  async bindFormMessage(formId: string, ref: MessageRef): Promise<void> {
    await this.ctx.forms.bindMessage(formId, ref);
  }

  /** The form a reply answers, if the replied-to message asked for one (also once it expired: answering says so). */
  formForReply(chat: ChatRef, messageId: string): Promise<string | undefined> {
    return this.ctx.forms.byMessage(chat, messageId);
  }

  /** The form `origin`'s user is being asked in this chat, if one is open (a private chat's next plain text answers it). */
  openFormOf(origin: Origin): Promise<string | undefined> {
    return this.ctx.forms.openFor(origin.chat, origin.actor.userId);
  }

  // === Questions about tasks

  /** The task shown by a bot message (for commands sent as a reply to a result). */
  taskForMessage(chat: ChatRef, messageId: string): Promise<string | undefined> {
    return this.ctx.messages.taskFor(chat, messageId);
  }

  /** The user's most recent task. */
  lastTaskOf(origin: Origin): Promise<string | undefined> {
    return this.ctx.messages.lastOf(origin.chat.platform, origin.actor.userId);
  }

  /** A task's card as `origin` may see it (undefined: unknown, or not theirs to see). */
  taskCard(origin: Origin, taskId: string, locale: Locale): Promise<TaskCard | undefined> {
    return taskCard(this.ctx, origin, taskId, locale);
  }

  /** The seed of a finished image (the given task, else the user's latest). */
  seedOf(origin: Origin, taskId: string | undefined): Promise<SeedAnswer> {
    return seedOf(this.ctx, origin, taskId);
  }

  /** The user's recent jobs across chats, newest first (/history). */
  history(origin: Origin, locale: Locale, limit = 20): Promise<HistoryItem[]> {
    return history(this.ctx, origin, locale, limit);
  }

  /** Cancel the user's open question, or a job (by id, or by the message that shows it): it leaves the line, or is stopped on the proxy. */
  cancel(origin: Origin, target: CancelTarget = {}): Promise<Reply> {
    return cancel(this.ctx, origin, target);
  }

  /** An image a user linked (http/https), downloaded size-capped and SSRF-guarded (private addresses only at the proxy's own origin, whose images users see anyway). */
  async downloadUserImage(url: string): Promise<Uint8Array> {
    return (await this.deps.fetchImage(url, { maxBytes: this.ctx.config.MAX_IMAGE_BYTES, allowOrigins: this.deps.imageAllowOrigins })).bytes;
  }

  /** Bytes of a task image for upload; an expired signed URL is renewed (relay refresh, else a fresh fetch). */
  loadImage(ref: ImageRef): Promise<LoadedImage> {
    return this.ctx.loadImage(ref);
  }

  /** Bytes of a video task's clip (`TaskView.video`), renewed like images when its link expired. */
  loadVideo(ref: ImageRef): Promise<LoadedImage> {
    const sources = { ...linkSources(this.deps), maxBytes: MAX_CLIP_BYTES };
    return loadTaskImage(ref, sources, (task) => task.videoUrl || task.videoUrls[0], 'video');
  }

  // === Access control (undefined when it is off)

  gallery(origin: Origin, limit: number): Promise<GalleryItem[] | undefined> {
    return gallery(this.ctx, origin, limit);
  }

  queueReport(origin: Origin, locale: Locale): Promise<string | undefined> {
    return queueReport(this.ctx, origin, locale);
  }

  /** Admins only (FORBIDDEN otherwise). */
  adminReport(origin: Origin, what: 'stats' | 'running', locale: Locale): Promise<string | undefined> {
    return adminReport(this.ctx, origin, what, locale);
  }

  /** Admins only (FORBIDDEN otherwise). */
  adminChange(origin: Origin, change: AdminChange): Promise<AdminOutcome | undefined> {
    return adminChange(this.ctx, origin, change);
  }

}

/** Wait for `work`, but no longer than `ms` (shutdown must end even when a peer hangs). */
async function within(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref?.();
  });
  await Promise.race([work.catch(() => undefined), bound]);
  clearTimeout(timer);
}
