/**
 * Input file resolution (attach://, file_id, loopback URL) and Telegram's upload rules for photos,
 * documents, videos and animations.
 */
import { TelegramApiError, badRequest, TG } from './errors.js';
import { imageSize } from './images.js';
import type { FakeWorld, StoredMessage } from './state.js';
import type { Message, StoredFile, TgDocument, TgPhotoSize, TgVideo, UploadedFile } from './types.js';

const MB = 1024 * 1024;
const PHOTO_UPLOAD_MAX = 10 * MB;
const DOCUMENT_UPLOAD_MAX = 50 * MB;
const PHOTO_URL_MAX = 5 * MB;
const DOCUMENT_URL_MAX = 20 * MB;
const THUMB_SIDE = 90;

export type MediaKind = 'photo' | 'document' | 'video' | 'animation';

const tooLarge = (): TelegramApiError => new TelegramApiError(413, 'Request Entity Too Large');

/** Telegram's photo constraints: w + h ≤ 10000 and aspect ratio ≤ 20. */
function checkPhoto(bytes: Buffer): { width: number; height: number; ext: string } {
  const size = imageSize(bytes);
  if (!size || size.width === 0 || size.height === 0) throw badRequest(TG.imageProcessFailed);
  const ratio = Math.max(size.width, size.height) / Math.min(size.width, size.height);
  if (size.width + size.height > 10_000 || ratio > 20) throw badRequest(TG.photoDimensions);
  return { width: size.width, height: size.height, ext: size.format === 'png' ? 'png' : 'jpg' };
}

/** Real Telegram only fetches public URLs; the fake fetches loopback ones so tests stay offline. */
async function fetchLoopback(url: string, max: number): Promise<Buffer> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badRequest(TG.wrongFileId);
  }
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname)) throw badRequest(TG.wrongFileId);
  let res: Response;
  try {
    res = await fetch(parsed, { signal: AbortSignal.timeout(10_000) });
  } catch {
    throw badRequest(TG.urlContentFailed);
  }
  if (!res.ok) throw badRequest(TG.urlContentFailed);
  const bytes = Buffer.from(await res.arrayBuffer());
  if (bytes.length > max) throw badRequest(TG.urlContentFailed);
  return bytes;
}

export interface ResolveContext {
  world: FakeWorld;
  uploads: UploadedFile[];
  /** Parameter name, for direct multipart parts named like the field (curl style). */
  field: string;
  /** True for InputMedia items, which report missing attachments differently. */
  inMedia?: boolean;
  fileName?: string;
  mime?: string;
  /** Clip dimensions from the request, if given. */
  width?: number;
  height?: number;
}

/** Turns a `photo`/`document`/`media` value into a stored file, enforcing Telegram's limits. */
export async function resolveInputFile(value: unknown, kind: MediaKind, ctx: ResolveContext): Promise<StoredFile> {
  let upload: UploadedFile | undefined;
  if (typeof value === 'string' && value.startsWith('attach://')) {
    upload = ctx.uploads.find((u) => u.field === value.slice('attach://'.length));
    if (!upload) throw badRequest(ctx.inMedia ? "can't parse InputMedia: media not found" : TG.wrongFileId);
  } else if (value === undefined) {
    upload = ctx.uploads.find((u) => u.field === ctx.field);
    if (!upload) throw badRequest(`there is no ${kind} in the request`);
  }

  let bytes: Buffer;
  let name = ctx.fileName;
  if (upload) {
    // Bots upload photos up to 10 MB; documents, videos and animations up to 50 MB.
    if (upload.bytes.length > (kind === 'photo' ? PHOTO_UPLOAD_MAX : DOCUMENT_UPLOAD_MAX)) throw tooLarge();
    bytes = upload.bytes;
    name ??= upload.name;
  } else if (typeof value === 'string' && /^https?:\/\//i.test(value)) {
    bytes = await fetchLoopback(value, kind === 'photo' ? PHOTO_URL_MAX : DOCUMENT_URL_MAX);
    name ??= new URL(value).pathname.split('/').pop() || undefined;
  } else if (typeof value === 'string') {
    const existing = ctx.world.lookupFile(value);
    if (!existing) throw badRequest(TG.wrongFileId);
    if (existing.kind !== kind) throw badRequest('type of file mismatch');
    return existing;
  } else {
    throw badRequest(TG.wrongFileId);
  }

  if (kind === 'photo') {
    const { width, height, ext } = checkPhoto(bytes);
    return ctx.world.registerFile(bytes, { kind, width, height, ext });
  }
  const clip = kind === 'video' || kind === 'animation' ? clipFormat(bytes) : undefined;
  if (clip && (kind === 'video' ? clip === 'mp4' : clip === 'mp4' || clip === 'gif')) {
    return ctx.world.registerFile(bytes, { kind, mime: clip === 'gif' ? 'image/gif' : 'video/mp4', ext: clip, ...(name ? { fileName: name } : {}), ...clipSize(ctx) });
  }
  // Telegram shows a "video" or "animation" it cannot play as a file (its docs: other formats may be sent as Document).
  const ext = name?.includes('.') ? name.split('.').pop() : undefined;
  return ctx.world.registerFile(bytes, {
    kind: 'document',
    ...(name ? { fileName: name } : {}),
    mime: ctx.mime ?? guessMime(name),
    ...(ext ? { ext } : {}),
  });
}

/** MP4 (an ISO base media file starts with its `ftyp` box) or GIF; anything else is not a clip Telegram plays. */
function clipFormat(bytes: Buffer): 'mp4' | 'gif' | undefined {
  if (bytes.length >= 12 && bytes.toString('latin1', 4, 8) === 'ftyp') return 'mp4';
  if (bytes.length >= 6 && /^GIF8[79]a$/.test(bytes.toString('latin1', 0, 6))) return 'gif';
  return undefined;
}

/** `width`/`height` sent with the clip (the fake reads no codec metadata). */
function clipSize(ctx: ResolveContext): { width: number; height: number } {
  return { width: ctx.width ?? 0, height: ctx.height ?? 0 };
}

function guessMime(name: string | undefined): string {
  const ext = name?.split('.').pop()?.toLowerCase();
  const known: Record<string, string> = { mp4: 'video/mp4', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif', pdf: 'application/pdf', txt: 'text/plain', json: 'application/json', zip: 'application/zip' };
  return (ext && known[ext]) || 'application/octet-stream';
}

/**
 * PhotoSize array as Telegram returns it: smaller sizes first, the original last. The thumbnail
 * entry reports scaled dimensions but serves the original bytes (the fake does not re-encode).
 */
export function photoSizes(file: StoredFile): TgPhotoSize[] {
  const width = file.width ?? 0;
  const height = file.height ?? 0;
  const full: TgPhotoSize = { file_id: file.fileId, file_unique_id: file.fileUniqueId, width, height, file_size: file.size };
  if (Math.max(width, height) <= THUMB_SIDE) return [full];
  const scale = THUMB_SIDE / Math.max(width, height);
  const thumb: TgPhotoSize = {
    file_id: `${file.fileId}_s`,
    file_unique_id: `${file.fileUniqueId}s`,
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
    file_size: Math.min(file.size, 2000),
  };
  return [thumb, full];
}

export function videoObject(file: StoredFile): TgVideo {
  return {
    file_id: file.fileId,
    file_unique_id: file.fileUniqueId,
    width: file.width ?? 0,
    height: file.height ?? 0,
    duration: 0,
    ...(file.fileName ? { file_name: file.fileName } : {}),
    ...(file.mime ? { mime_type: file.mime } : {}),
    file_size: file.size,
  };
}

/** The Message fields of a stored file, by what it turned out to be. */
export function mediaFields(file: StoredFile): Partial<Message> {
  switch (file.kind) {
    case 'photo': return { photo: photoSizes(file) };
    case 'video': return { video: videoObject(file) };
    case 'animation': return { animation: videoObject(file), document: documentObject(file) };
    case 'document': return { document: documentObject(file) };
  }
}

/** The stored-message ids of a file (one medium per message: the others are cleared). */
export function mediaIds(file: StoredFile): Pick<StoredMessage, 'photoFileId' | 'documentFileId' | 'videoFileId' | 'animationFileId'> {
  return {
    photoFileId: file.kind === 'photo' ? file.fileId : undefined,
    documentFileId: file.kind === 'document' ? file.fileId : undefined,
    videoFileId: file.kind === 'video' ? file.fileId : undefined,
    animationFileId: file.kind === 'animation' ? file.fileId : undefined,
  };
}

/** Media keys a message may carry (for edits that replace or caption them). */
export const MEDIA_KEYS = ['photo', 'document', 'video', 'animation'] as const;

export function hasMedia(message: Message): boolean {
  return MEDIA_KEYS.some((key) => message[key] !== undefined);
}

export function documentObject(file: StoredFile): TgDocument {
  return {
    file_id: file.fileId,
    file_unique_id: file.fileUniqueId,
    ...(file.fileName ? { file_name: file.fileName } : {}),
    ...(file.mime ? { mime_type: file.mime } : {}),
    file_size: file.size,
  };
}
