/**
 * Reading a task snapshot fast. Every notify POST and every polled task goes through this; zod's
 * TaskSchema (with its transforms) costs most of a notify POST's validation. Task bodies from real
 * proxies almost always have one shape, so that shape is checked and normalised directly here, and
 * anything else — odd types, missing fields zod would refuse, keys that could pollute a prototype —
 * is left to TaskSchema, which stays the definition. A property test holds the two to the same
 * answers (test/mj/task-parse.test.ts).
 */
import { clipUrls, TASK_ID_PATTERN, TaskSchema, type Button, type Task } from './schemas.js';

const STRING_FIELDS = ['action', 'prompt', 'promptEn', 'description', 'state', 'imageUrl', 'videoUrl', 'failReason'] as const;
const TIME_FIELDS = ['submitTime', 'startTime', 'finishTime'] as const;

type Plain = Record<string, unknown>;

const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v) && !Object.hasOwn(v, '__proto__');
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The buttons as TaskSchema leaves them, or undefined when one needs TaskSchema's judgement. */
function fastButtons(list: unknown): Button[] | undefined {
  if (list == null) return [];
  if (!Array.isArray(list)) return undefined;
  const out: Button[] = [];
  for (const item of list) {
    if (!isPlain(item)) return undefined;
    const { customId, emoji, label, type, style } = item;
    if (typeof customId !== 'string' || customId.length === 0) return undefined;
    out.push({
      ...item,
      customId,
      emoji: typeof emoji === 'string' ? emoji : '',
      label: typeof label === 'string' ? label : '',
      type: typeof type === 'number' ? type : 2,
      style: typeof style === 'number' ? style : 2,
    });
  }
  return out;
}

/** The common shape, normalised as TaskSchema would; undefined for anything else. */
export function parseTaskFast(raw: unknown): Task | undefined {
  if (!isPlain(raw)) return undefined;
  const { id, status, progress, properties } = raw;
  const idText = typeof id === 'string' ? id : finite(id) ? String(id) : undefined;
  if (idText === undefined || !TASK_ID_PATTERN.test(idText)) return undefined;
  if (status != null && typeof status !== 'string') return undefined;
  if (progress != null && typeof progress !== 'string' && !finite(progress)) return undefined;
  if (properties != null && !isPlain(properties)) return undefined;
  const buttons = fastButtons(raw.buttons);
  if (!buttons) return undefined;
  const task: Plain = { ...raw, id: idText, status: status ?? '', progress: progress == null ? '' : String(progress), properties: properties ?? {}, buttons, videoUrls: clipUrls(raw.videoUrls) };
  // null becomes undefined (assigned, not deleted: a delete would turn the object into a slow dictionary).
  for (const key of STRING_FIELDS) {
    const v = raw[key];
    if (v === null) task[key] = undefined;
    else if (v !== undefined && typeof v !== 'string') return undefined;
  }
  for (const key of TIME_FIELDS) {
    const v = raw[key];
    if (v === undefined) continue;
    if (v === null || v === '') task[key] = undefined;
    else if (finite(v)) task[key] = v;
    else if (typeof v === 'string') task[key] = Number(v);
    else return undefined;
  }
  return task as Task;
}

/** A task snapshot from the wire, or undefined when it is not one. */
export function parseTask(raw: unknown): Task | undefined {
  const fast = parseTaskFast(raw);
  if (fast) return fast;
  const parsed = TaskSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}
