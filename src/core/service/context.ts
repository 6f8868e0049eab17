/**
 * What the service's collaborators (submit, updates, presses, modal steps, queries) share. The
 * façade (service.ts) builds one context and hands it to them; nothing outside
 * src/core/service/ ever sees it, so stores and the MJ client stay behind the façade.
 */
import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';
import type { SpeedMode } from '../../mj/schemas.js';
import type { ButtonCodec } from '../domain/buttons/codec.js';

import type { AccessControl, JobGate, MjPort, Store, TaskFleet } from '../domain/ports.js';
import type { RecordStore, FormStore, SettingsStore, ChatSettingsStore } from '../domain/stores.js';

import type { ImageRef, LoadedImage, Locale, Origin, Reply } from '../domain/types.js';
import type { Delivery } from './delivery.js';
import type { MessageIndex } from './message-index.js';
import type { Outbox } from './outbox.js';
import type { Tracker } from './tracker.js';
import type { Owned } from './visibility.js';
import type { ImageUploads } from './uploads.js';

/** The settings the service reads. */
export type ServiceConfig = Pick<
  Config,
  'MJ_POLL_INTERVAL_MS' | 'MJ_TASK_TIMEOUT_MS' | 'MAX_IMAGE_BYTES' | 'OWNER_ONLY_BUTTONS' | 'ADMIN_USERS' | 'DAILY_QUOTA'
>;

export interface ServiceContext {
  readonly config: ServiceConfig;
  readonly logger: Logger;
  readonly store: Store;
  readonly records: RecordStore;
  readonly forms: FormStore;
  readonly settings: SettingsStore;
  readonly chatSettings: ChatSettingsStore;
  readonly messages: MessageIndex;
  readonly codec: ButtonCodec;
  readonly gate: JobGate;
  /** Set when access control is on (/queue, /gallery, /admin). */
  readonly access?: AccessControl;
  readonly tracker: Tracker;
  readonly delivery: Delivery;
  /** Images uploaded once per content where the flavour uploads. */
  readonly uploads: ImageUploads;
  /** Final results, delivered and retried on their own schedule. */
  readonly outbox: Outbox;
  readonly fleet?: TaskFleet;
  /** notifyHook URL to send with submits (unset = polling only). */
  readonly notifyHook?: string;
  /** MJ client for a speed mode (undefined = the configured default). */
  clientFor(mode?: SpeedMode): MjPort;
  now(): number;
  localeOf(origin: Origin): Promise<Locale>;
  errorReply(locale: Locale, err: unknown): Extract<Reply, { type: 'error' }>;
  /** The visibility rule (visibility.ts): may `origin` see the task or form at all? */
  maySee(item: Owned, origin: Origin): boolean;
  /** …and press its buttons or answer it? */
  mayPress(item: Owned, origin: Origin): Promise<boolean>;
  loadImage(ref: ImageRef): Promise<LoadedImage>;
  /** Keep `work` going after the caller got its answer (a job waiting in line); stop() waits for it. */
  background(work: Promise<unknown>): void;
  /** Run one of the bot's own buttons (settings menu …) registered by the commands. */
  internal(kind: string, args: string[], origin: Origin): Promise<Reply>;
}
