/**
 * The shared MJ service: every front end calls it, none contains MJ logic. It submits jobs,
 * binds them to chat messages (persisted before the user is told anything), follows them with
 * the Tracker and drives each task's message through the platform's Presenter.
 */
import type { Config } from '../../config.js';
import { toBotError, type BotError } from '../../errors.js';
import { secretValues, type Logger } from '../../log.js';
import type { MjClient } from '../../mj/client.js';
import { TaskSchema, type SpeedMode, type Task } from '../../mj/schemas.js';
import { layoutButtons } from '../domain/buttons/catalogue.js';
import type { ButtonCodec } from '../domain/buttons/codec.js';
import { Delivery } from './delivery.js';
import type { Fleet } from '../../runtime/fleet.js';
import { onModal } from './modal-step.js';
import { withOssButtons } from './oss-buttons.js';
import { FormStore } from '../domain/forms.js';
import { loadTaskImage } from './task-image.js';
import { MessageIndex } from './message-index.js';
import { markSubmitting, reportInterruptedSubmits } from './pending-submits.js';
import { submitJob, type JobSpec } from '../domain/jobs.js';
import { RecordStore, type TaskRecord } from '../domain/records.js';
import { ChatSettingsStore, SettingsStore } from '../domain/settings.js';
import type { Store } from '../../runtime/store.js';
import { Tracker, type UpdateKind } from './tracker.js';
import { answerForm, cancelForm, planPress, press } from './presses.js';
import type { ButtonView, FormAnswer, ImageRef, LoadedImage, Locale, MessageRef, Origin, PressPlan, Presenter, Reply } from '../domain/types.js';
import { errorText, failedView, queuedView, submittingView, taskView } from '../domain/views.js';

/**
 * Access control, quotas and fair scheduling plug in here (see src/core/access/). The default
 * lets everything through at once.
 */
export interface JobGate {
  /** Before anything is shown: throw BotError FORBIDDEN / QUOTA_EXCEEDED to refuse. */
  check(origin: Origin, spec: JobSpec): Promise<void>;
  /** Wait for a slot (fair per-chat scheduling); `onWait(position)` keeps the user's message current. */
  acquire(origin: Origin, onWait: (position: number) => Promise<void>): Promise<void>;
  /** The submit answered: `taskId` undefined = refused (free the slot at once). */
  submitted(origin: Origin, taskId: string | undefined): Promise<void>;
  /** The task ended: free its slot; count it against quotas only if it succeeded. */
  finished(record: TaskRecord): Promise<void>;
}

export const openGate: JobGate = {
  check: async () => undefined,
  acquire: async () => undefined,
  submitted: async () => undefined,
  finished: async () => undefined,
};

export interface ServiceDeps {
  /** Access control / quotas / fair scheduling (default: none). */
  gate?: JobGate;
  /** Tracking is shared with other processes (see fleet.ts): no local polling of the proxy. */
  fleetMode?: boolean;
  config: Config;
  store: Store;
  logger: Logger;
  /** MJ client for a speed mode (undefined = the configured default). */
  clientFor: (mode?: SpeedMode) => MjClient;
  codec: ButtonCodec;
  /** notifyHook URL to send with submits (unset = polling only). */
  notifyHook?: string;
  /** Hosts that may be private (the proxy itself) for image downloads. */
  imageAllowHosts: string[];
  now?: () => number;
}

export class MjService {
  readonly records: RecordStore;
  readonly settings: SettingsStore;
  readonly chatSettings: ChatSettingsStore;
  readonly forms: FormStore;
  readonly delivery: Delivery;
  readonly tracker: Tracker;
  readonly logger: Logger;

  readonly gate: JobGate;
  private readonly messages: MessageIndex;

  constructor(readonly deps: ServiceDeps) {
    this.logger = deps.logger;
    this.gate = deps.gate ?? openGate;
    this.messages = new MessageIndex(deps.store);
    this.records = new RecordStore(deps.store);
    this.settings = new SettingsStore(deps.store);
    this.chatSettings = new ChatSettingsStore(deps.store);
    this.forms = new FormStore(deps.store);
    this.delivery = new Delivery({
      logger: deps.logger,
      onRef: async (taskId, ref) => {
        // Update the live record in place: a reloaded copy could roll back `finished`/`delivered`.
        const record = this.tracker.get(taskId) ?? (await this.records.get(taskId));
        if (record) {
          record.ref = ref;
          await this.records.save(record);
          await this.messages.remember(record);
        }
      },
    });
    const client = deps.clientFor();
    this.tracker = new Tracker({
      client: {
        listByCondition: (ids) => client.listByCondition(ids),
        fetch: (id) => client.fetch(id),
        supportsList: async () => (await client.capabilities()).listByCondition,
      },
      records: this.records,
      intervalMs: deps.config.MJ_POLL_INTERVAL_MS,
      poll: !deps.fleetMode,
      secrets: secretValues(deps.config),
      logger: deps.logger,
      now: deps.now,
      onUpdate: (record, kind) => this.onUpdate(record, kind),
    });
  }

  now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  attach(presenter: Presenter): void {
    this.delivery.addPresenter(presenter);
  }

  private fleet?: Fleet;

  /** Share tracking with other processes (Redis): tasks are handed to the fleet instead of tracked here. */
  useFleet(fleet: Fleet): void {
    this.fleet = fleet;
  }

  /** Resume tracking what was open before a restart, then poll. In a fleet, BullMQ hands tasks back instead. */
  async start(): Promise<void> {
    const resumed = await this.tracker.start({ resume: !this.fleet });
    if (resumed.length) this.logger.info({ tasks: resumed.length }, 'resumed open tasks');
    await reportInterruptedSubmits(this.deps.store, this.delivery);
  }

  async stop(): Promise<void> {
    this.tracker.stop();
    await this.tracker.idle();
    await this.delivery.drain();
    this.delivery.close();
  }

  /** A notifyHook body (already validated as a Task). */
  ingest(task: Task) {
    return this.fleet ? this.fleet.route(task) : this.tracker.ingest(task);
  }

  async localeOf(origin: Origin): Promise<Locale> {
    return this.settings.locale(origin.chat.platform, origin.actor.userId, origin.actor.locale);
  }

  errorReply(locale: Locale, err: unknown): Reply {
    const e: BotError = toBotError(err);
    if (e.code === 'INTERNAL') this.logger.error({ err }, 'unexpected error');
    const detail = (e as { details?: { description?: string } }).details?.description;
    return { type: 'error', code: e.code, text: errorText(locale, e.code, { detail, ...e.context }) };
  }

  /**
   * Submit a job for `origin`: open its message, submit, persist the binding, start tracking.
   * `display` is what the message shows as the prompt.
   */
  async startJob(origin: Origin, spec: JobSpec, display: string): Promise<Reply> {
    const locale = await this.localeOf(origin);
    const owner = { ...origin.actor, locale };
    const presenter = this.delivery.presenter(origin.chat.platform);
    if (!presenter) return this.errorReply(locale, new Error(`no presenter for ${origin.chat.platform}`));
    try {
      await this.gate.check(origin, spec);
    } catch (err) {
      return this.errorReply(locale, err);
    }
    const ref = await presenter.open(origin, submittingView(display, owner.name, locale));
    await this.gate.acquire(origin, async (position) => {
      await this.delivery.push(`submit:${ref.messageId}`, ref, queuedView(display, owner.name, locale, position));
    });
    const settings = await this.settings.get(origin.chat.platform, origin.actor.userId);
    const client = this.deps.clientFor(settings.mode);
    // If the process dies during the submit, the next start tells the user instead of leaving "Submitting…".
    const pendingKey = await markSubmitting(this.deps.store, { ref, display, owner });
    let submitted;
    try {
      const caps = await client.capabilities();
      const notifyHook = caps.notifyHook ? this.deps.notifyHook : undefined;
      submitted = await submitJob(client, spec, { notifyHook });
    } catch (err) {
      const e = toBotError(err);
      this.logger.info({ code: e.code, kind: spec.kind }, 'submit refused');
      const detail = (e as { details?: { description?: string } }).details?.description;
      await this.gate.submitted(origin, undefined);
      await this.delivery.push(`submit:${ref.messageId}`, ref, failedView(display, owner.name, locale, e.code, { detail, ...e.context }));
      await this.deps.store.delete('pending', pendingKey);
      return { type: 'task', ref };
    }
    await this.gate.submitted(origin, submitted.taskId);
    const now = this.now();
    const record: TaskRecord = {
      taskId: submitted.taskId,
      kind: spec.kind,
      prompt: display,
      chat: origin.chat,
      owner,
      ref,
      status: submitted.modal ? 'MODAL' : 'NOT_START',
      percent: 0,
      rank: 0,
      queuePosition: submitted.queuePosition,
      submittedAt: now,
      deadline: now + this.deps.config.MJ_TASK_TIMEOUT_MS,
      finished: false,
      delivered: false,
      parentTaskId: spec.kind === 'action' ? spec.parentTaskId : undefined,
      customId: spec.kind === 'action' ? spec.customId : undefined,
      pendingModal: spec.kind === 'action' ? spec.pendingModal : undefined,
    };
    if (submitted.finalPrompt !== undefined) record.task = TaskSchema.parse({ id: record.taskId, status: record.status, properties: { finalPrompt: submitted.finalPrompt } });
    await this.records.save(record);
    await this.deps.store.delete('pending', pendingKey);
    await this.messages.remember(record);
    // Show the first state before tracking starts, so a fast proxy's result can never be overtaken by it.
    if (submitted.modal) await this.onUpdate(record, 'modal');
    else void this.delivery.push(record.taskId, ref, taskView(record, locale));
    // In a fleet, hand the task over only once the modal step (if any) is settled in the store.
    if (this.fleet) await this.fleet.track(record.taskId);
    else this.tracker.add(record);
    return { type: 'task', taskId: record.taskId, ref };
  }

  /** Called by the tracker after every applied change. */
  private async onUpdate(record: TaskRecord, kind: UpdateKind): Promise<void> {
    const ref = record.ref;
    if (!ref) return;
    if (kind === 'modal') return this.onModal(record);
    if (kind === 'final') {
      const rows = record.status === 'SUCCESS' && !record.failure ? await this.buttonRows(record) : [];
      // Only a result that reached the chat counts as delivered; otherwise the tracker tries again.
      if (!(await this.delivery.push(record.taskId, ref, taskView(record, record.owner.locale, rows)))) return;
      record.delivered = true;
      await this.records.save(record);
      await this.gate.finished(record);
      return;
    }
    void this.delivery.push(record.taskId, ref, taskView(record, record.owner.locale));
  }

  /** MODAL: answer it with the stored form answer, or ask the user (remix). */
  private async onModal(record: TaskRecord): Promise<void> {
    await onModal(this, record);
  }

  /** Encode the task's buttons (hidden ones dropped) into signed payloads, in Midjourney's rows. */
  async buttonRows(record: TaskRecord): Promise<ButtonView[][]> {
    const task = record.task;
    if (!task) return [];
    const caps = await this.deps.clientFor().capabilities();
    const buttons = withOssButtons(task, caps.flavour);
    const rows = layoutButtons(buttons, (id) => caps.canPress(id));
    return Promise.all(
      rows.map((row) =>
        Promise.all(row.map(async (info) => ({ payload: await this.deps.codec.encode(record.taskId, info.customId), label: info.label, emoji: info.emoji, style: info.style }))),
      ),
    );
  }

  /** Bytes of a task image for upload; an expired signed URL is refreshed by fetching the task again. */
  loadImage(ref: ImageRef): Promise<LoadedImage> {
    return loadTaskImage(ref, {
      maxBytes: this.deps.config.MAX_IMAGE_BYTES,
      allowHosts: this.deps.imageAllowHosts,
      refetch: (taskId) => this.deps.clientFor().fetch(taskId),
    });
  }

  /** Owner check for buttons and forms: requester only in groups unless the chat is collaborative. */
  async mayAct(owner: { userId: string }, chat: { platform: Origin['chat']['platform']; chatId: string; isGroup: boolean }, origin: Origin): Promise<boolean> {
    if (owner.userId === origin.actor.userId) return true;
    if (this.deps.config.ADMIN_USERS.includes(`${origin.chat.platform}:${origin.actor.userId}`)) return true;
    if (!this.deps.config.OWNER_ONLY_BUTTONS) return true;
    return (await this.chatSettings.get(chat.platform, chat.chatId)).collaborative === true;
  }

  /** The task shown by a bot message (for commands sent as a reply to a result). */
  taskForMessage(chat: Origin['chat'], messageId: string): Promise<string | undefined> {
    return this.messages.taskFor(chat, messageId);
  }

  /** The user's most recent task. */
  lastTaskOf(origin: Origin): Promise<string | undefined> {
    return this.messages.lastOf(origin.chat.platform, origin.actor.userId);
  }

  /** Network-free check of a press: a form to show at once, or work to run (adapters defer first). */
  planPress(payload: string, origin: Origin): Promise<PressPlan> {
    return planPress(this, payload, origin);
  }

  /** Handle a button press (result buttons and the bot's own buttons). */
  press(payload: string, origin: Origin): Promise<Reply> {
    return press(this, payload, origin);
  }

  /** The user's answer to a form step. */
  answerForm(formId: string, answer: FormAnswer, origin: Origin): Promise<Reply> {
    return answerForm(this, formId, answer, origin);
  }

  cancelForm(formId: string, origin: Origin): Promise<Reply> {
    return cancelForm(this, formId, origin);
  }

  /** Remember the message that asks for a form's answer (Telegram ForceReply), so a reply to it finds the form. */
  async bindFormMessage(formId: string, ref: MessageRef): Promise<void> {
    const form = await this.forms.get(formId);
    if (!form) return;
    form.promptMessage = ref;
    await this.forms.save(form);
  }

  /** The form a reply answers, if the replied-to message asked for one. */
  formForReply(chat: Origin['chat'], messageId: string): Promise<string | undefined> {
    return this.forms.byMessage(chat, messageId);
  }
}
