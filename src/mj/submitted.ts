/**
 * Turns an accepted submit envelope (code 1/21/22) into `Submitted` (docs/protocol.md#submit-envelope, #return-codes,
 * #modal-flow, #quirks).
 */
import { TASK_ID_PATTERN, type SubmitResult } from './schemas.js';

/** An accepted submit. */
export interface Submitted {
  taskId: string;
  code: 1 | 21 | 22;
  /**
   * Code 21 in the Plus/trueai sense: a MODAL task was created and needs /mj/submit/modal (also
   * detected when a relay rewrote that 21 to 1). The legacy OSS "task exists" 21 is not a modal.
   */
  modal: boolean;
  /** Tasks ahead in the proxy queue (code 22, or a relay that rewrote 22 → 1). */
  queuePosition?: number;
  /** properties.finalPrompt of a code-21 answer: the prompt to edit for the modal. */
  finalPrompt?: string;
  /** More task ids when the proxy started several tasks (trueai "Imagine all": comma-joined result). */
  extraTaskIds?: string[];
  description: string;
  properties: Record<string, unknown>;
}

/** Legacy OSS (< 2.6) code 21 "任务已存在": the same upscale already exists — not a modal. */
export function isLegacyExisted(env: SubmitResult): boolean {
  return env.description.includes('任务已存在') || 'status' in env.properties || 'imageUrl' in env.properties;
}

/**
 * A relay (new-api) rewrites a modal 21 to code 1 but keeps the body: the modal-wait text still
 * tells that the new task is waiting in MODAL (docs/protocol.md#quirks). Otherwise the bot sees MODAL on fetch.
 */
export function isRewrittenModal(env: SubmitResult): boolean {
  return /^(窗口等待|Waiting for window confirm)$/i.test(env.description.trim());
}

/** Queue position from `numberOfQueues`, else from the description text (relays rewrite 22 → 1 but keep it). */
export function queuePositionOf(env: SubmitResult): number | undefined {
  const n = env.properties.numberOfQueues;
  if (typeof n === 'number' && Number.isFinite(n)) return n;
  if (typeof n === 'string' && /^\d+$/.test(n)) return Number(n);
  const m = /前面还有\s*(\d+)\s*个任务/.exec(env.description) ?? /there (?:are|is) (\d+) tasks? ahead/i.exec(env.description);
  return m ? Number(m[1]) : undefined;
}

/** The result as a list of ids (string, number or comma-joined string); [] when absent. */
export function resultIds(result: SubmitResult['result']): string[] {
  if (typeof result === 'number') return [String(result)];
  if (typeof result === 'string') return result.split(',').map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(result)) return result.filter((v) => typeof v === 'string' || typeof v === 'number').map(String);
  return [];
}

/** Builds `Submitted`; returns undefined when the envelope carries no task id (caller → MJ_BAD_RESPONSE). */
export function toSubmitted(env: SubmitResult): Submitted | undefined {
  const ids = resultIds(env.result);
  // A proxy's id ends up in paths and file names: refuse the whole answer if any is not an id.
  if (!ids.every((id) => TASK_ID_PATTERN.test(id))) return undefined;
  const [taskId, ...extra] = ids;
  if (!taskId || (env.code !== 1 && env.code !== 21 && env.code !== 22)) return undefined;
  const modal = (env.code === 21 && !isLegacyExisted(env)) || (env.code === 1 && isRewrittenModal(env));
  const finalPrompt = modal && typeof env.properties.finalPrompt === 'string' ? env.properties.finalPrompt : undefined;
  const submitted: Submitted = { taskId, code: env.code, modal, description: env.description, properties: env.properties };
  const queuePosition = env.code === 21 ? undefined : queuePositionOf(env);
  if (queuePosition !== undefined) submitted.queuePosition = queuePosition;
  if (finalPrompt !== undefined) submitted.finalPrompt = finalPrompt;
  if (extra.length > 0) submitted.extraTaskIds = extra;
  return submitted;
}
