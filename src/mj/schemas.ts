/**
 * Wire schemas of the MJ proxy protocol (docs/protocol.md#submit-envelope, #task-object, #buttons).
 * Tolerant by design: unknown fields pass through, nulls and missing fields are accepted,
 * `result` may be a string, number, array or null. Shared by the client and the simulator.
 */
import { z } from 'zod';

/** Task statuses; the open set of values is kept as a string (relays add ""; docs/protocol.md#task-object). */
export const TASK_STATUSES = ['NOT_START', 'SUBMITTED', 'MODAL', 'IN_PROGRESS', 'FAILURE', 'SUCCESS', 'CANCEL'] as const;
export type KnownTaskStatus = (typeof TASK_STATUSES)[number];

const nullableString = z.string().nullish().transform((v) => v ?? undefined);
const nullableTime = z.union([z.number(), z.string()]).nullish().transform((v) => (v == null || v === '' ? undefined : Number(v)));

export const ButtonSchema = z
  .object({
    customId: z.string().min(1),
    emoji: z.unknown().optional().transform((v) => (typeof v === 'string' ? v : '')),
    label: z.unknown().optional().transform((v) => (typeof v === 'string' ? v : '')),
    type: z.unknown().optional().transform((v) => (typeof v === 'number' ? v : 2)),
    style: z.unknown().optional().transform((v) => (typeof v === 'number' ? v : 2)),
  })
  .loose();
export type Button = z.output<typeof ButtonSchema>;

/**
 * What a task id may look like. Real proxies send digits; anything else from a proxy or a notify
 * post is refused at this boundary, because ids end up in file names, paths and URLs.
 */
export const TASK_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** `videoUrls` in any of its shapes → the URLs in it. */
export function clipUrls(value: unknown): string[] {
  let list = value;
  if (typeof list === 'string') {
    try {
      list = JSON.parse(list) as unknown;
    } catch {
      list = [list];
    }
  }
  if (!Array.isArray(list)) return [];
  return list.flatMap((item: unknown) => {
    const url = typeof item === 'string' ? item : typeof item === 'object' && item !== null ? (item as { url?: unknown }).url : undefined;
    return typeof url === 'string' && /^https?:\/\//i.test(url) ? [url] : [];
  });
}

export const TaskSchema = z
  .object({
    id: z.union([z.string(), z.number()]).transform(String).pipe(z.string().regex(TASK_ID_PATTERN)),
    action: nullableString,
    status: z.string().nullish().transform((v) => v ?? ''),
    prompt: nullableString,
    promptEn: nullableString,
    description: nullableString,
    state: nullableString,
    submitTime: nullableTime,
    startTime: nullableTime,
    finishTime: nullableTime,
    imageUrl: nullableString,
    videoUrl: nullableString,
    /** The clips of a video task, as URLs (proxies send strings or `{url}` objects; relays sometimes a JSON string). */
    videoUrls: z.unknown().optional().transform(clipUrls),
    progress: z.union([z.string(), z.number()]).nullish().transform((v) => (v == null ? '' : String(v))),
    failReason: nullableString,
    properties: z.record(z.string(), z.unknown()).nullish().transform((v) => v ?? {}),
    buttons: z
      .array(z.unknown())
      .nullish()
      // Link buttons and junk entries have no customId: drop them instead of failing the whole task.
      .transform((list) => (list ?? []).flatMap((b) => {
        const parsed = ButtonSchema.safeParse(b);
        return parsed.success ? [parsed.data] : [];
      })),
  })
  .loose();
export type Task = z.output<typeof TaskSchema>;
/** The task as the proxy sends it (input side), for the simulator. */
export type TaskWire = z.input<typeof TaskSchema>;

export const SubmitResultSchema = z
  .object({
    code: z.union([z.number(), z.string()]).transform(Number),
    description: z.string().nullish().transform((v) => v ?? ''),
    result: z.union([z.string(), z.number(), z.array(z.unknown()), z.null()]).optional(),
    properties: z.record(z.string(), z.unknown()).nullish().transform((v) => v ?? {}),
  })
  .loose();
export type SubmitResultWire = z.input<typeof SubmitResultSchema>;
export type SubmitResult = z.output<typeof SubmitResultSchema>;

/** new-api local error body: HTTP 400 `{description,type,code}` (docs/protocol.md#error-bodies). */
export const RelayErrorSchema = z.object({ description: z.string(), type: z.string().optional(), code: z.unknown().optional() }).loose();
/** trueai model-binding / logic error body: `{success:false,code:-1,message}` (docs/protocol.md#error-bodies). */
export const TrueaiErrorSchema = z.object({ success: z.literal(false), message: z.string().optional(), code: z.unknown().optional() }).loose();
/** OpenAI-style error body used by new-api auth failures (docs/protocol.md#authentication). */
export const OpenAiErrorSchema = z.object({ error: z.object({ message: z.string().optional(), type: z.string().optional() }).loose() }).loose();

export const BOT_TYPES = ['MID_JOURNEY', 'NIJI_JOURNEY'] as const;
export type BotType = (typeof BOT_TYPES)[number];
export const BLEND_DIMENSIONS = ['PORTRAIT', 'SQUARE', 'LANDSCAPE'] as const;
export type BlendDimensions = (typeof BLEND_DIMENSIONS)[number];
export const SPEED_MODES = ['fast', 'relax', 'turbo'] as const;
export type SpeedMode = (typeof SPEED_MODES)[number];

/** Fields every submit accepts (`BaseSubmitDTO`). */
export interface BaseSubmit {
  notifyHook?: string;
  state?: string;
  accountFilter?: { modes?: string[]; instanceId?: string; remix?: boolean };
}
export interface ImagineRequest extends BaseSubmit { prompt: string; base64Array?: string[]; botType?: BotType }
export interface BlendRequest extends BaseSubmit { base64Array: string[]; dimensions?: BlendDimensions; botType?: BotType }
export interface DescribeRequest extends BaseSubmit { base64?: string; link?: string; botType?: BotType }
export interface ShortenRequest extends BaseSubmit { prompt: string; botType?: BotType }
export interface ActionRequest extends BaseSubmit { taskId: string; customId: string; enableRemix?: boolean; chooseSameChannel?: boolean }
export interface ModalRequest extends BaseSubmit { taskId: string; prompt?: string; maskBase64?: string }
export interface ChangeRequest extends BaseSubmit { taskId: string; action: 'UPSCALE' | 'VARIATION' | 'REROLL'; index?: number }
export interface SimpleChangeRequest extends BaseSubmit { content: string }
export interface FaceSwapRequest extends BaseSubmit { sourceBase64: string; targetBase64: string }
/** `image`: URL or data URL; `maskBase64`: PNG data URL, white = the area to change (optional). */
export interface EditsRequest extends BaseSubmit { prompt: string; image: string; maskBase64?: string }
export interface VideoRequest extends BaseSubmit {
  prompt: string; motion?: 'low' | 'high'; image?: string; endImage?: string; loop?: boolean;
  action?: 'extend'; index?: number; taskId?: string; videoType?: string; batchSize?: 1 | 2 | 4;
}
export interface UploadRequest { base64Array: string[] }
