/**
 * Images in and out of Telegram. Out: bytes uploaded with InputFile (Telegram cannot fetch the
 * proxy's expiring or internal URLs), as a document when over the photo limits. In: the largest
 * PhotoSize (or an image document) via getFile + a size-capped download from the file URL.
 */
import { InputFile, type Api } from 'grammy';
import type { Document, Message, PhotoSize } from 'grammy/types';
import { BotError, UserInputError } from '../../errors.js';
import { sniffImage } from '../../core/domain/images/sniff.js';
import type { LoadedImage } from '../../core/domain/types.js';

/** Telegram's multipart photo limits: 10 MB, width + height ≤ 10000, aspect ratio ≤ 20. */
const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
/** getFile only serves files up to 20 MB on the hosted Bot API. */
const GETFILE_MAX_BYTES = 20 * 1024 * 1024;

/** Bots may upload files (and so clips) of up to 50 MB. */
export const UPLOAD_MAX_BYTES = 50 * 1024 * 1024;

/** How a task's media is shown: images as photos (documents when over the photo limits), clips as videos (GIFs as animations). */
export type MediaKind = 'photo' | 'document' | 'video' | 'animation';

export function clipKindFor(clip: LoadedImage): MediaKind {
  return clip.mime === 'image/gif' ? 'animation' : 'video';
}

export function mediaKindFor(image: LoadedImage): 'photo' | 'document' {
  const size = sniffImage(image.bytes);
  const width = size?.width ?? image.width ?? 0;
  const height = size?.height ?? image.height ?? 0;
  if (image.bytes.length > PHOTO_MAX_BYTES) return 'document';
  if (width + height > 10_000) return 'document';
  if (width > 0 && height > 0 && Math.max(width / height, height / width) > 20) return 'document';
  return 'photo';
}

export function inputFile(image: LoadedImage): InputFile {
  return new InputFile(image.bytes, image.fileName);
}

/** A file a user attached: the largest photo size or an image document. */
export interface AttachedFile {
  fileId: string;
  size?: number;
  name: string;
  /** Documents must look like images; photos always are. */
  isDocument: boolean;
}

export function attachedImage(message: Pick<Message, 'photo' | 'document' | 'message_id'> | undefined): AttachedFile | undefined {
  if (!message) return undefined;
  if (message.photo?.length) {
    const largest = message.photo.reduce((a: PhotoSize, b: PhotoSize) => ((b.width * b.height > a.width * a.height) ? b : a));
    return { fileId: largest.file_id, size: largest.file_size, name: `photo-${message.message_id}.jpg`, isDocument: false };
  }
  const doc: Document | undefined = message.document;
  if (doc) return { fileId: doc.file_id, size: doc.file_size, name: doc.file_name ?? `file-${message.message_id}`, isDocument: true };
  return undefined;
}

export interface DownloadDeps {
  api: Api;
  apiRoot: string;
  token: string;
  maxImageBytes: number;
}

/** Download an attached file, refusing anything over the cap before and while reading it. */
export async function downloadAttached(file: AttachedFile, deps: DownloadDeps): Promise<Buffer> {
  const maxBytes = deps.maxImageBytes;
  const cap = Math.min(maxBytes, GETFILE_MAX_BYTES);
  const maxMb = Math.round((cap / 1024 / 1024) * 10) / 10;
  if (file.size !== undefined && file.size > cap) throw new UserInputError('IMAGE_TOO_LARGE', 'attached file too large', { maxMb });
  const info = await deps.api.getFile(file.fileId);
  if (info.file_size !== undefined && info.file_size > cap) throw new UserInputError('IMAGE_TOO_LARGE', 'attached file too large', { maxMb });
  if (!info.file_path) throw new BotError('IMAGE_DOWNLOAD_FAILED', 'getFile returned no file_path');
  const res = await fetch(`${deps.apiRoot}/file/bot${deps.token}/${info.file_path}`).catch((err: unknown) => {
    throw new BotError('IMAGE_DOWNLOAD_FAILED', 'file download failed', {}, { cause: err });
  });
  if (!res.ok || !res.body) throw new BotError('IMAGE_DOWNLOAD_FAILED', `file download answered ${res.status}`);
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body) {
    total += chunk.length;
    if (total > cap) throw new UserInputError('IMAGE_TOO_LARGE', 'attached file too large', { maxMb });
    parts.push(Buffer.from(chunk));
  }
  const bytes = Buffer.concat(parts);
  if (file.isDocument && !sniffImage(bytes)) throw new UserInputError('IMAGE_INVALID', 'document is not an image');
  return bytes;
}
