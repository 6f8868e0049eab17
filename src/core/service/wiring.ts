/**
 * How the façade's private collaborators are built and joined: stores over the one Store, the
 * delivery, the tracker, the outbox, and the context they share. Only service.ts calls this.
 */
import type { Logger } from '../../log.js';
import type { RetryPolicy } from '../../mj/retry.js';
import type { SpeedMode } from '../../mj/schemas.js';
import type { ButtonCodec } from '../domain/buttons/codec.js';
import type { AccessControl, Admission, ImageFetcher, JobGate, MjPort, ServiceObserver, Store, TaskFleet } from '../domain/ports.js';
import { ChatSettingsStore, FormStore, RecordStore, SettingsStore } from '../domain/stores.js';
import type { Locale, Origin, Reply } from '../domain/types.js';
import type { ServiceConfig, ServiceContext } from './context.js';
import { Delivery } from './delivery.js';
import { MessageIndex } from './message-index.js';
import { Outbox } from './outbox.js';
import { loadTaskImage, type TaskImageOptions } from './task-image.js';
import { Tracker } from './tracker.js';
import { finalView, onUpdate } from './updates.js';
import { ImageUploads } from './uploads.js';
import { mayPress, maySee, type VisibilityDeps } from './visibility.js';

/** Lets everything through at once (no access control configured). */
const openAdmission: Admission = {
  acquire: async () => true,
  submitted: async () => undefined,
  release: async () => undefined,
};

export const openGate: JobGate = {
  check: async () => openAdmission,
  finished: async () => undefined,
  start: async () => undefined,
  close: async () => undefined,
};

/** What the service is built from (the bot's own buttons aside: see ServiceDeps in service.ts). */
export interface CoreDeps {
  config: ServiceConfig;
  store: Store;
  logger: Logger;
  /** MJ client for a speed mode (undefined = the configured default). */
  clientFor: (mode?: SpeedMode) => MjPort;
  codec: ButtonCodec;
  /** Size-capped, SSRF-guarded image downloads. */
  fetchImage: ImageFetcher;
  /** Origins that may be private (the proxy itself) for image downloads. */
  imageAllowOrigins: string[];
  /** notifyHook URL to send with submits (unset = polling only). */
  notifyHook?: string;
  /** Access control, quotas and fair scheduling (default: none). */
  access?: AccessControl;
  /** Tracking shared with other processes (Redis): no local polling of the proxy. */
  fleet?: TaskFleet;
  /** Told when a task ends (metrics). */
  observer?: ServiceObserver;
  /** Secret values never to show users (a proxy may echo its key in failure texts). */
  secrets?: readonly string[];
  /** How often and how far apart a refused final result is tried again (default: outbox.ts). */
  finalRetry?: RetryPolicy;
  now?: () => number;
}

/** What the façade lends its collaborators. */
export interface FacadeHooks {
  errorReply(locale: Locale, err: unknown): Extract<Reply, { type: 'error' }>;
  /** Run one of the bot's own buttons. */
  internal(kind: string, args: string[], origin: Origin): Promise<Reply>;
  /** Work that goes on after its caller was answered. */
  background(work: Promise<unknown>): void;
}

export interface Wired {
  ctx: ServiceContext;
  tracker: Tracker;
  delivery: Delivery;
  outbox: Outbox;
}

export function wireService(deps: CoreDeps, hooks: FacadeHooks): Wired {
  const { store, logger } = deps;
  const records = new RecordStore(store);
  const messages = new MessageIndex(store);
  const chatSettings = new ChatSettingsStore(store);
  const settings = new SettingsStore(store);
  const now = () => deps.now?.() ?? Date.now();
  const visibility: VisibilityDeps = { config: deps.config, isCollaborative: async (c) => (await chatSettings.get(c.platform, c.chatId)).collaborative === true };
  const delivery = new Delivery({
    logger,
    onRef: async (taskId, ref) => {
      // Update the live record in place: a reloaded copy could roll back `finished`/`delivered`.
      const record = tracker.get(taskId) ?? (await records.get(taskId));
      if (record) {
        record.ref = ref;
        await records.save(record);
        await messages.remember(record);
      }
    },
  });
  const client = deps.clientFor();
  const tracker: Tracker = new Tracker({
    client: {
      listByCondition: (ids, signal) => client.listByCondition(ids, { signal }),
      fetch: (id, signal) => client.fetch(id, { signal }),
      supportsList: async () => (await client.capabilities()).listByCondition,
    },
    records,
    intervalMs: deps.config.MJ_POLL_INTERVAL_MS,
    poll: !deps.fleet,
    secrets: deps.secrets ?? [],
    logger,
    now: deps.now,
    onUpdate: (record, kind) => onUpdate(ctx, record, kind),
  });
  if (deps.observer) {
    const observer = deps.observer;
    tracker.onFinished((record) => observer.taskFinished(record));
  }
  const gate = deps.access ?? openGate;
  const outbox = new Outbox({
    records,
    tracker,
    delivery,
    gate,
    fleet: deps.fleet,
    logger,
    finalView: (record) => finalView({ clientFor: deps.clientFor, codec: deps.codec }, record),
    retry: deps.finalRetry,
    now,
    onSettled: (record, outcome) => deps.observer?.resultSettled?.(record, outcome),
  });
  const ctx: ServiceContext = {
    config: deps.config,
    logger,
    store,
    records,
    forms: new FormStore(store),
    settings,
    chatSettings,
    messages,
    codec: deps.codec,
    gate,
    access: deps.access,
    tracker,
    delivery,
    uploads: new ImageUploads(store, logger),
    outbox,
    fleet: deps.fleet,
    notifyHook: deps.notifyHook,
    clientFor: deps.clientFor,
    now,
    // With the store unreachable, answer in the language the platform reports rather than not at all.
    localeOf: (origin) => settings.locale(origin.chat.platform, origin.actor.userId, origin.actor.locale).catch(() => origin.actor.locale),
    errorReply: hooks.errorReply,
    maySee: (item, origin) => maySee(visibility, item, origin),
    mayPress: (item, origin) => mayPress(visibility, item, origin),
    loadImage: (ref) => loadTaskImage(ref, linkSources(deps)),
    background: hooks.background,
    internal: hooks.internal,
  };
  return { ctx, tracker, delivery, outbox };
}

/** How task media is downloaded, and how an expired link is renewed (refresh endpoint first, then a fetch). */
export function linkSources(deps: CoreDeps): TaskImageOptions {
  return {
    fetchImage: deps.fetchImage,
    maxBytes: deps.config.MAX_IMAGE_BYTES,
    allowOrigins: deps.imageAllowOrigins,
    refresh: async (taskId) => {
      const client = deps.clientFor();
      return (await client.capabilities()).refreshLink ? client.refreshLink(taskId) : undefined;
    },
    refetch: (taskId) => deps.clientFor().fetch(taskId),
    logger: deps.logger,
  };
}
