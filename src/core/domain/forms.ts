/**
 * Pending form steps (namespace 'form'): Custom Zoom, Vary (Region), describe/shorten → imagine,
 * and remix prompts. Stored so an answer still works after a restart.
 */
import { randomBytes } from 'node:crypto';
import { t } from './i18n/index.js';
import type { Actor, ChatRef, FormView, Locale } from './types.js';

export type FormNeed = 'zoom' | 'region' | 'prompt' | 'remix';

export interface FormRecord {
  formId: string;
  need: FormNeed;
  chat: ChatRef;
  owner: Actor;
  /** Task whose button was pressed. */
  parentTaskId: string;
  /** Action to submit before /modal (absent for remix: the MODAL task already exists). */
  customId?: string;
  /** Remix: the MODAL task waiting for /mj/submit/modal. */
  modalTaskId?: string;
  prefill: string;
  /** Label of the pressed button (Midjourney's: "Custom Zoom", "Vary (Region)", "1️⃣"…). */
  buttonLabel: string;
  createdAt: number;
  answered?: boolean;
}

/** A form can be answered for a day… */
export const FORM_TTL_MS = 24 * 3600_000;
/** …and is remembered for a month after, so a late answer is told it expired (its text echoed back) instead of being taken for something else. */
export const FORM_KEEP_MS = 30 * 24 * 3600_000;

export function isExpired(form: FormRecord, now: number): boolean {
  return now - form.createdAt > FORM_TTL_MS;
}
export const REGION_IDS = ['left-half', 'right-half', 'top-half', 'bottom-half', 'center', 'top-left', 'top-right', 'bottom-left', 'bottom-right'] as const;

export function newFormId(): string {
  return randomBytes(9).toString('base64url');
}


/** Build the neutral form view. `payload` signs the form's own buttons. */
export function formView(
  form: FormRecord,
  locale: Locale,
  payload: (kind: string, args: string[]) => string,
  regionLabel: (id: string, locale: Locale) => string,
): FormView {
  const base = {
    formId: form.formId,
    locale,
    owner: { userId: form.owner.userId, name: form.owner.name },
    cancelPayload: payload('fc', [form.formId]),
    openPayload: payload('fo', [form.formId]),
  };
  const prompt = (hintKey: string) => ({
    label: t(locale, 'form.promptLabel'),
    value: form.prefill.slice(0, 4000),
    maxLength: 4000,
    placeholder: t(locale, hintKey === 'form.zoomHint' ? 'form.zoomPlaceholder' : 'form.promptPlaceholder'),
  });
  switch (form.need) {
    case 'zoom':
      return { ...base, title: 'Custom Zoom', hint: t(locale, 'form.zoomHint'), prompt: prompt('form.zoomHint') };
    case 'region':
      return {
        ...base,
        title: 'Vary (Region)',
        hint: t(locale, 'form.regionHint'),
        prompt: prompt('form.regionHint'),
        regions: REGION_IDS.map((id) => ({ id, label: regionLabel(id, locale) })),
        regionPayloads: Object.fromEntries(REGION_IDS.map((id) => [id, payload('fr', [form.formId, id])])),
        acceptsMask: true,
      };
    case 'remix':
      return { ...base, title: t(locale, 'form.remixTitle').slice(0, 45), hint: t(locale, 'form.remixHint'), prompt: prompt('form.remixHint') };
    default:
      return { ...base, title: `${t(locale, 'form.imagineTitle')} ${form.buttonLabel}`.slice(0, 45), hint: t(locale, 'form.promptHint'), prompt: prompt('form.promptHint') };
  }
}
