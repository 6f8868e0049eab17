/**
 * Button presses. `planPress` is network-free so an adapter can open a modal within Discord's
 * 3 seconds; `press` does the work. Payloads are verified by the codec before anything else, so a
 * forged payload never reaches the proxy.
 */
import { describeButton } from '../domain/buttons/catalogue.js';
import { t } from '../domain/i18n/index.js';
import type { Origin, PressPlan, Reply } from '../domain/types.js';
import type { ServiceContext } from './context.js';
import { answerForm, cancelForm, createForm, loadForm, startAgain, view } from './form-steps.js';
import { leaveLine } from './cancel.js';
import { loadParent } from './ownership.js';
import { submit } from './submit.js';

export async function planPress(ctx: ServiceContext, payload: string, origin: Origin): Promise<PressPlan> {
  const locale = await ctx.localeOf(origin);
  try {
    const decoded = await ctx.codec.decode(payload);
    if (decoded.type === 'internal') {
      if (decoded.kind !== 'fo') return { type: 'run' };
      const form = await loadForm(ctx, decoded.args[0] ?? '', origin);
      return { type: 'form', form: view(ctx, form, locale) };
    }
    const parent = await loadParent(ctx, decoded.taskId, origin);
    const info = describeButton({ customId: decoded.customId });
    if (!info.form) return { type: 'run' };
    const form = await createForm(ctx, parent, decoded.customId, info.form, info.label || info.emoji || '', origin);
    return { type: 'form', form: view(ctx, form, locale) };
  } catch (err) {
    const reply = ctx.errorReply(locale, err);
    return reply.type === 'error' ? reply : { type: 'error', code: 'INTERNAL', text: t(locale, 'error.INTERNAL') };
  }
}

export async function press(ctx: ServiceContext, payload: string, origin: Origin): Promise<Reply> {
  const locale = await ctx.localeOf(origin);
  try {
    const decoded = await ctx.codec.decode(payload);
    if (decoded.type === 'internal') {
      const [first = '', second = ''] = decoded.args;
      // The form buttons: open, cancel, region choice, start again (an expired form).
      if (decoded.kind === 'fo') return { type: 'form', form: view(ctx, await loadForm(ctx, first, origin), locale) };
      if (decoded.kind === 'fc') return cancelForm(ctx, first, origin);
      if (decoded.kind === 'fr') return answerForm(ctx, first, { region: second }, origin);
      if (decoded.kind === 'fa') return startAgain(ctx, first, origin);
      // ✖️ Cancel on a job waiting in line.
      if (decoded.kind === 'cq') return (await leaveLine(ctx, origin, first, locale)) ?? { type: 'message', text: t(locale, 'cancel.finished'), ephemeral: true, replace: true };
      return await ctx.internal(decoded.kind, decoded.args, origin);
    }
    const parent = await loadParent(ctx, decoded.taskId, origin);
    const info = describeButton({ customId: decoded.customId });
    if (info.form) {
      const form = await createForm(ctx, parent, decoded.customId, info.form, info.label || info.emoji || '', origin);
      return { type: 'form', form: view(ctx, form, locale) };
    }
    const label = info.label || info.emoji || info.kind;
    return await submit(ctx, origin, { kind: 'action', parentTaskId: parent.taskId, customId: decoded.customId }, `${label} · ${parent.prompt}`);
  } catch (err) {
    return ctx.errorReply(locale, err);
  }
}
