/**
 * Submit endpoints that start a new job from user input: imagine, blend, describe, shorten,
 * edits, video, insight-face swap, upload-discord-images (docs/protocol.md#submit-endpoints).
 */
import { createHash } from 'node:crypto';
import { codeError, okJson, submitAnswer, type SimAnswer } from './flavours.js';
import { parseDataUrl, paletteFrom } from './images.js';
import { checkLimits, storeUpload, submitTask, taskDefaults, type SimContext, type SimRequest } from './context.js';
import { describePrompts, findBannedWord, finalPromptOf, numbered, shortenMarkdown, shortenedPrompts } from './texts.js';
import type { SimTask } from './types.js';
import { BlendBody, DescribeBody, EditsBody, ImagineBody, ShortenBody, SwapBody, UploadBody, VideoBody, text } from './validate.js';

type Parsed<T> = { ok: true; value: T } | { ok: false; answer: SimAnswer };
export type BodyParser = <T>(schema: import('zod').ZodType<T>) => Parsed<T>;

/**
 * Banned-prompt check: OSS/Plus/new-api answer 24 synchronously; trueai accepts and fails the
 * task later with "可能包含敏感词" (docs/protocol.md#return-codes). Returns an answer to send, or a patch for the task.
 */
export function bannedCheck(ctx: SimContext, prompt: string): { answer: SimAnswer } | { patch: Partial<SimTask> } {
  const word = findBannedWord(prompt, ctx.opts.bannedWords);
  if (word === undefined) return { patch: {} };
  if (ctx.flavour === 'trueai') return { patch: { plannedFailure: '可能包含敏感词', failEarly: true } };
  return { answer: submitAnswer(ctx.flavour, { code: 24, description: '可能包含敏感词', result: null, properties: { promptEn: prompt, bannedWord: word } }) };
}

/** Decode every data URL; null if any is malformed. */
function decodeAll(list: readonly string[]): { mime: string; bytes: Buffer }[] | null {
  const decoded = list.map(parseDataUrl);
  return decoded.every((d) => d !== null) ? (decoded as { mime: string; bytes: Buffer }[]) : null;
}

export function imagine(ctx: SimContext, req: SimRequest, parse: BodyParser): SimAnswer {
  const parsed = parse(ImagineBody);
  if (!parsed.ok) return parsed.answer;
  const body = parsed.value;
  let prompt = text(body.prompt);
  if (!prompt) return codeError(ctx.flavour, 4, 'prompt不能为空');
  const limits = checkLimits(ctx, body);
  if (limits) return limits;
  const images = decodeAll(body.base64Array ?? []);
  if (!images) return codeError(ctx.flavour, 4, 'base64格式错误');
  // OSS uploads reference images and prepends their URLs to the prompt (docs/protocol.md#submit-endpoints).
  const urls = images.map((img) => ctx.base() + storeUpload(ctx, img.bytes, img.mime));
  if (urls.length > 0) prompt = `${urls.join(' ')} ${prompt}`;
  const banned = bannedCheck(ctx, prompt);
  if ('answer' in banned) return banned.answer;
  return submitTask(ctx, {
    ...taskDefaults(ctx, req, body, prompt, body.accountFilter?.modes),
    ...banned.patch,
    action: 'IMAGINE',
    prompt,
    description: `/imagine ${prompt}`,
    finalPrompt: finalPromptOf(prompt),
    botType: body.botType === 'NIJI_JOURNEY' || body.botType === 'niji' ? 'NIJI_JOURNEY' : 'MID_JOURNEY',
    resultKind: 'grid',
  });
}

export function blend(ctx: SimContext, req: SimRequest, parse: BodyParser): SimAnswer {
  const parsed = parse(BlendBody);
  if (!parsed.ok) return parsed.answer;
  const body = parsed.value;
  const list = body.base64Array ?? [];
  if (list.length < 2 || list.length > 5) {
    return codeError(ctx.flavour, 4, ctx.flavour === 'trueai' ? '图片参数错误，2~5张图片' : 'base64List参数错误');
  }
  const dims = body.dimensions === undefined ? 'SQUARE' : body.dimensions;
  const ratio = dims === 'PORTRAIT' ? '2:3' : dims === 'LANDSCAPE' ? '3:2' : dims === 'SQUARE' ? '1:1' : null;
  if (ratio === null) return codeError(ctx.flavour, 4, 'dimensions参数错误');
  const images = decodeAll(list);
  if (!images) return codeError(ctx.flavour, 4, 'base64格式错误');
  const urls = images.map((img) => ctx.base() + storeUpload(ctx, img.bytes, img.mime));
  const digest = createHash('sha256');
  for (const img of images) digest.update(img.bytes);
  return submitTask(
    ctx,
    {
      ...taskDefaults(ctx, req, body, '', body.accountFilter?.modes),
      action: 'BLEND',
      prompt: '',
      description: '/blend',
      finalPrompt: `${urls.join(' ')} --ar ${ratio} --v 7`,
      resultKind: 'grid',
    },
    (task) => {
      task.description = `/blend ${task.id} ${images.length}`;
      task.palette = paletteFrom(`${digest.digest('hex')}|${task.id}`);
    },
  );
}

export function describe(ctx: SimContext, req: SimRequest, parse: BodyParser): SimAnswer {
  const parsed = parse(DescribeBody);
  if (!parsed.ok) return parsed.answer;
  const body = parsed.value;
  const base64 = text(body.base64);
  const link = text(body.link);
  let imagePath: string;
  let seed: string;
  if (base64) {
    const image = parseDataUrl(base64);
    if (!image) return codeError(ctx.flavour, 4, 'base64格式错误');
    imagePath = storeUpload(ctx, image.bytes, image.mime);
    seed = createHash('sha256').update(image.bytes).digest('hex');
  } else if (link && ctx.flavour !== 'oss') {
    if (!/^https?:\/\//i.test(link)) return codeError(ctx.flavour, 4, '链接格式错误');
    imagePath = link;
    seed = link;
  } else {
    return codeError(ctx.flavour, 4, 'base64格式错误');
  }
  return submitTask(
    ctx,
    { ...taskDefaults(ctx, req, body, '', body.accountFilter?.modes), action: 'DESCRIBE', prompt: '', description: '/describe', resultKind: 'describe', imagePath },
    (task) => describeResult(ctx, task, seed),
  );
}

/** Fill in a describe task's result texts (also used by Picread::Retry). */
export function describeResult(ctx: SimContext, task: SimTask, seed: string): void {
  task.numberedPrompts = describePrompts(`${seed}|${task.id}`);
  task.finalPrompt = numbered(task.numberedPrompts);
  task.promptEn = task.finalPrompt;
  task.palette = paletteFrom(seed);
  if (ctx.flavour !== 'trueai') task.description = `/describe ${task.id}.png`;
}

export function shorten(ctx: SimContext, req: SimRequest, parse: BodyParser): SimAnswer {
  const parsed = parse(ShortenBody);
  if (!parsed.ok) return parsed.answer;
  const body = parsed.value;
  const prompt = text(body.prompt);
  if (!prompt) return codeError(ctx.flavour, 4, 'prompt不能为空');
  return submitTask(ctx, {
    ...taskDefaults(ctx, req, body, prompt, body.accountFilter?.modes),
    action: 'SHORTEN',
    prompt,
    description: `/shorten ${prompt}`,
    finalPrompt: shortenMarkdown(prompt, false),
    numberedPrompts: shortenedPrompts(prompt),
    resultKind: 'shorten',
  });
}

export function edits(ctx: SimContext, req: SimRequest, parse: BodyParser): SimAnswer {
  const parsed = parse(EditsBody);
  if (!parsed.ok) return parsed.answer;
  const body = parsed.value;
  const prompt = text(body.prompt);
  const image = text(body.image);
  if (!prompt || !image) return codeError(ctx.flavour, 4, 'image或prompt不能为空');
  if (!/^https?:\/\//i.test(image) && !parseDataUrl(image)) return codeError(ctx.flavour, 4, 'base64格式错误');
  // A mask is a PNG data URL, white = the area to change (docs/protocol.md#submit-endpoints).
  const mask = text(body.maskBase64);
  if (mask && !(mask.startsWith('data:image/png;base64,') && parseDataUrl(mask))) return codeError(ctx.flavour, 4, 'mask参数错误');
  const banned = bannedCheck(ctx, prompt);
  if ('answer' in banned) return banned.answer;
  return submitTask(ctx, {
    ...taskDefaults(ctx, req, body, prompt, body.accountFilter?.modes),
    ...banned.patch,
    action: 'EDIT',
    relayAction: 'EDITS',
    prompt,
    description: `/edit ${prompt}`,
    finalPrompt: finalPromptOf(prompt),
    resultKind: 'grid',
  });
}

export function video(ctx: SimContext, req: SimRequest, parse: BodyParser): SimAnswer {
  const parsed = parse(VideoBody);
  if (!parsed.ok) return parsed.answer;
  const body = parsed.value;
  const prompt = text(body.prompt);
  if (!prompt) return codeError(ctx.flavour, 4, 'prompt不能为空');
  if (body.taskId != null && body.action !== 'extend') return codeError(ctx.flavour, 4, '任务类型错误');
  const image = text(body.image);
  if (image && !/^https?:\/\//i.test(image) && !parseDataUrl(image)) return codeError(ctx.flavour, 4, 'base64格式错误');
  const motion = text(body.motion);
  if (motion && motion !== 'low' && motion !== 'high') return codeError(ctx.flavour, 4, 'motion参数错误');
  if (body.taskId != null && !ctx.store.get(String(body.taskId))) return codeError(ctx.flavour, 3, '关联任务不存在或已失效', 404);
  const banned = bannedCheck(ctx, prompt);
  if ('answer' in banned) return banned.answer;
  return submitTask(ctx, {
    ...taskDefaults(ctx, req, body, prompt, body.accountFilter?.modes),
    ...banned.patch,
    action: 'VIDEO',
    prompt,
    parentId: body.taskId != null ? String(body.taskId) : null,
    description: `/video ${prompt}`,
    finalPrompt: finalPromptOf(prompt),
    resultKind: 'video',
  });
}

export function swapFace(ctx: SimContext, req: SimRequest, parse: BodyParser): SimAnswer {
  const parsed = parse(SwapBody);
  if (!parsed.ok) return parsed.answer;
  const body = parsed.value;
  const source = parseDataUrl(text(body.sourceBase64));
  const target = parseDataUrl(text(body.targetBase64));
  if (!source || !target) {
    return codeError(ctx.flavour, 4, ctx.flavour === 'newapi' ? 'sour_base64_and_target_base64_is_required' : '参数错误');
  }
  const seed = createHash('sha256').update(source.bytes).update(target.bytes).digest('hex');
  return submitTask(ctx, {
    ...taskDefaults(ctx, req, body, '', body.accountFilter?.modes),
    action: 'SWAP_FACE',
    prompt: 'InsightFace',
    description: '/swap',
    botType: 'INSIGHT_FACE',
    resultKind: 'single',
    palette: paletteFrom(seed),
  });
}

/** Upload images "to Discord": `result` is an array of URLs (docs/protocol.md#submit-endpoints); no task is created. */
export function uploadImages(ctx: SimContext, _req: SimRequest, parse: BodyParser): SimAnswer {
  const parsed = parse(UploadBody);
  if (!parsed.ok) return parsed.answer;
  const list = parsed.value.base64Array ?? [];
  if (list.length === 0) return codeError(ctx.flavour, 4, 'base64 参数错误');
  const images = decodeAll(list);
  if (!images) return codeError(ctx.flavour, 4, 'base64格式错误');
  const urls = images.map((img) => ctx.base() + storeUpload(ctx, img.bytes, img.mime));
  return okJson({ code: 1, description: '提交成功', result: urls, properties: {} });
}
