/**
 * Request body schemas. They only check *types* (a type mismatch is a model-binding error, docs/protocol.md#error-bodies);
 * semantic checks (blank prompt, 2–5 images...) answer code 4 in the handlers, like the real proxies.
 */
import { z } from 'zod';

const str = z.string().nullish();
const accountFilter = z
  .object({ modes: z.array(z.string()).nullish(), instanceId: str, remix: z.boolean().nullish() })
  .loose()
  .nullish();

const base = { notifyHook: str, state: str, accountFilter };

export const ImagineBody = z.object({ ...base, prompt: str, base64Array: z.array(z.string()).nullish(), botType: str }).loose();
// `dimensions` is checked by hand: an explicit null must answer "dimensions参数错误".
export const BlendBody = z.object({ ...base, base64Array: z.array(z.string()).nullish(), dimensions: z.unknown().optional(), botType: str }).loose();
export const DescribeBody = z.object({ ...base, base64: str, link: str, botType: str }).loose();
export const ShortenBody = z.object({ ...base, prompt: str, botType: str }).loose();
export const ActionBody = z.object({ ...base, taskId: z.union([z.string(), z.number()]).nullish(), customId: str, enableRemix: z.boolean().nullish() }).loose();
export const ModalBody = z.object({ ...base, taskId: z.union([z.string(), z.number()]).nullish(), prompt: str, maskBase64: str }).loose();
export const ChangeBody = z.object({ ...base, taskId: z.union([z.string(), z.number()]).nullish(), action: str, index: z.number().int().nullish() }).loose();
export const SimpleChangeBody = z.object({ ...base, content: str }).loose();
export const UploadBody = z.object({ base64Array: z.array(z.string()).nullish() }).loose();
export const EditsBody = z.object({ ...base, prompt: str, image: str, maskBase64: str }).loose();
export const VideoBody = z
  .object({ ...base, prompt: str, image: str, motion: str, taskId: z.union([z.string(), z.number()]).nullish(), action: str, index: z.number().nullish() })
  .loose();
export const SwapBody = z.object({ ...base, sourceBase64: str, targetBase64: str }).loose();
export const ListBody = z.object({ ids: z.array(z.union([z.string(), z.number()])).nullish() }).loose();

/** Parse with a schema; on failure a short message suitable for a binding error. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): { ok: true; value: T } | { ok: false; message: string } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return { ok: false, message: 'A non-empty request body is required.' };
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, message: `The JSON value could not be converted: $.${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim() };
}

/** Trim an optional string; '' when missing. */
export function text(value: string | null | undefined): string {
  return (value ?? '').trim();
}
