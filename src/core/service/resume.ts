/**
 * Jobs taken over from a stopped process (or from this bot before a restart): a job that was
 * still waiting keeps its place, its message shows the place again, and it is submitted when
 * admitted; a job whose submit had already begun may or may not have reached the proxy, so its
 * message says so instead of sending it twice.
 */
import { t } from '../domain/i18n/index.js';
import { loadSpec } from '../domain/jobs.js';
import type { ResumedJob } from '../domain/ports.js';
import { failedView } from '../domain/views.js';
import type { ServiceContext } from './context.js';
import { toRequest } from './requests.js';
import { send, showPlaceInLine } from './submit.js';

export async function resumeJob(ctx: ServiceContext, { job, admission, started }: ResumedJob): Promise<void> {
  const { ref, display, owner } = job;
  if (started || !job.spec) {
    await admission.release();
    const view = failedView(display, owner.name, owner.locale, 'INTERNAL');
    view.detail = t(owner.locale, 'task.interrupted');
    await ctx.delivery.push(`submit:${ref.messageId}`, ref, view);
    return;
  }
  const spec = loadSpec(job.spec);
  let request;
  try {
    request = toRequest(spec, { maxBytes: ctx.config.MAX_IMAGE_BYTES, locale: owner.locale });
  } catch (err) {
    await admission.release();
    const reply = ctx.errorReply(owner.locale, err);
    await ctx.delivery.push(`submit:${ref.messageId}`, ref, failedView(display, owner.name, owner.locale, reply.type === 'error' ? reply.code : 'INTERNAL'));
    return;
  }
  ctx.logger.info({ kind: spec.kind }, 'resuming a job that was waiting in line');
  if (!(await admission.acquire(job, showPlaceInLine(ctx, job)))) return;
  await send(ctx, job, spec, request, admission);
}
