/**
 * Submitting a job: admission (gate), the task's message opened, the proxy asked, the binding
 * persisted before the user is told anything, then tracking started.
 */
import { toBotError } from '../../errors.js';
import { TaskSchema } from '../../mj/schemas.js';
import { storeSpec, type JobSpec, type ParkedJob } from '../domain/jobs.js';
import type { Admission } from '../domain/ports.js';
import type { TaskRecord } from '../domain/records.js';
import type { Origin, Reply } from '../domain/types.js';
import { failedView, queuedView, submittingView, taskView } from '../domain/views.js';
import type { ServiceContext } from './context.js';
import { markSubmitting } from './pending-submits.js';
import { checkSupported, toRequest, type ProxyRequest } from './requests.js';
import { onUpdate } from './updates.js';

/**
 * Submit a job for `origin`: open its message, submit, persist the binding, start tracking.
 * `display` is what the message shows as the prompt.
 */
export async function submit(ctx: ServiceContext, origin: Origin, spec: JobSpec, display: string): Promise<Reply> {
  const locale = await ctx.localeOf(origin);
  const owner = { ...origin.actor, locale };
  const presenter = ctx.delivery.presenter(origin.chat.platform);
  if (!presenter) return ctx.errorReply(locale, new Error(`no presenter for ${origin.chat.platform}`));
  let request;
  let admission;
  try {
    request = toRequest(spec, { maxBytes: ctx.config.MAX_IMAGE_BYTES, locale });
    await checkSupported(spec, () => ctx.clientFor().capabilities());
    admission = await ctx.gate.check(origin, spec);
  } catch (err) {
    return ctx.errorReply(locale, err);
  }
  let ref;
  try {
    ref = await presenter.open(origin, submittingView(display, owner.name, locale));
  } catch (err) {
    await admission.release();
    throw err;
  }
  const job: ParkedJob = { origin, owner, ref, display, spec: storeSpec(spec) };
  // A job that must wait in line does not hold its caller (a chat adapter handles one chat's
  // messages in order): the answer is its queued message, and the rest goes on in the background.
  let queued: () => void = () => undefined;
  const inLine = new Promise<'queued'>((resolve) => (queued = () => resolve('queued')));
  const showPlace = showPlaceInLine(ctx, job);
  const admitted = admission.acquire(job, async (position) => {
    queued();
    await showPlace(position);
  });
  // False: another process took the job over, it was cancelled, or the bot is stopping.
  const proceed = (ok: boolean) => (ok ? send(ctx, job, spec, request, admission) : ({ type: 'task', ref } as const));
  if ((await Promise.race([admitted, inLine])) === 'queued') {
    ctx.background(admitted.then(proceed));
    return { type: 'task', ref };
  }
  return proceed(await admitted);
}

/** Keep a waiting job's message current ("⏳ Queued: n ahead of you"). */
export function showPlaceInLine(ctx: ServiceContext, job: ParkedJob): (position: number) => Promise<void> {
  let first = true;
  return async (position) => {
    const cancel = ctx.codec.encodeInternal('cq', [job.ref.messageId]);
    const view = queuedView(job.display, job.owner.name, job.owner.locale, position, cancel);
    // The first place replaces "Submitting…"; later places may give way to results in a busy chat.
    view.keep = first;
    first = false;
    await ctx.delivery.push(`submit:${job.ref.messageId}`, job.ref, view);
  };
}

/** An admitted job: ask the proxy, persist the binding before the user is told anything, start tracking. */
export async function send(ctx: ServiceContext, job: ParkedJob, spec: JobSpec, request: ProxyRequest, admission: Admission): Promise<Reply> {
  const { origin, owner, ref, display } = job;
  const locale = owner.locale;
  const settings = await ctx.settings.get(origin.chat.platform, origin.actor.userId);
  const client = ctx.clientFor(spec.mode ?? settings.mode);
  // If the process dies during the submit, the next start tells the user instead of leaving "Submitting…".
  const pendingKey = await markSubmitting(ctx.store, { ref, display, owner });
  let submitted;
  try {
    const caps = await client.capabilities();
    submitted = await request(client, { notifyHook: caps.notifyHook ? ctx.notifyHook : undefined }, (c, image) => ctx.uploads.source(c, image));
  } catch (err) {
    const e = toBotError(err);
    ctx.logger.info({ code: e.code, kind: spec.kind }, 'submit refused');
    const detail = (e as { details?: { description?: string } }).details?.description;
    await admission.submitted(undefined);
    await ctx.delivery.push(`submit:${ref.messageId}`, ref, failedView(display, owner.name, locale, e.code, { detail, ...e.context }));
    await ctx.store.delete('pending', pendingKey);
    return { type: 'task', ref };
  }
  await admission.submitted(submitted.taskId);
  const now = ctx.now();
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
    deadline: now + ctx.config.MJ_TASK_TIMEOUT_MS,
    finished: false,
    stage: 'submitted',
    parentTaskId: spec.kind === 'action' ? spec.parentTaskId : undefined,
    customId: spec.kind === 'action' ? spec.customId : undefined,
    pendingModal: spec.kind === 'action' ? spec.pendingModal : undefined,
  };
  if (submitted.finalPrompt !== undefined) record.task = TaskSchema.parse({ id: record.taskId, status: record.status, properties: { finalPrompt: submitted.finalPrompt } });
  await ctx.records.save(record);
  await ctx.store.delete('pending', pendingKey);
  await ctx.messages.remember(record);
  await ctx.messages.addToHistory(record);
  // Show the first state before tracking starts, so a fast proxy's result can never be overtaken by it.
  if (submitted.modal) await onUpdate(ctx, record, 'modal');
  else void ctx.delivery.push(record.taskId, ref, taskView(record, locale));
  // In a fleet, hand the task over only once the modal step (if any) is settled in the store.
  if (ctx.fleet) await ctx.fleet.track(record.taskId);
  else ctx.tracker.add(record);
  return { type: 'task', taskId: record.taskId, ref };
}
