/**
 * Images a job sends to the proxy: uploaded once where the flavour has `upload-discord-images`
 * (jobs then carry a short URL), else inlined as a data URL (docs/protocol.md#image-uploads).
 * Uploaded links are remembered by content hash in the store, below the life of a Discord
 * attachment link, so the same image in a second job costs no second upload.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../../log.js';
import type { MjPort, Store } from '../domain/ports.js';

/** Discord attachment links live about a day; reuse them for half of that. */
export const UPLOAD_TTL_MS = 12 * 3600_000;

/** True for an inline image (`data:…`), false for an uploaded link. */
export const isInline = (image: string): boolean => image.startsWith('data:');

export class ImageUploads {
  /** Uploads in flight by hash: two jobs with one image at once share the upload. */
  private readonly inFlight = new Map<string, Promise<string | undefined>>();

  constructor(
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly ttlMs = UPLOAD_TTL_MS,
  ) {}

  /** The URL of an uploaded copy where the flavour uploads, else the data URL (also when an upload fails). */
  async source(client: MjPort, dataUrl: string): Promise<string> {
    if (!(await client.capabilities()).upload) return dataUrl;
    const key = `upload:${createHash('sha256').update(dataUrl).digest('hex')}`;
    const cached = await this.store.get<string>('meta', key);
    if (cached) return cached;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.upload(client, dataUrl, key).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return (await pending) ?? dataUrl;
  }

  private async upload(client: MjPort, dataUrl: string, key: string): Promise<string | undefined> {
    try {
      const [url] = await client.uploadImages({ base64Array: [dataUrl] });
      if (!url) return undefined;
      await this.store.set('meta', key, url, this.ttlMs);
      return url;
    } catch (err) {
      // Uploading only saves bandwidth: the job still goes out with the image inline.
      this.logger.warn({ err }, 'image upload failed; sending the image inline');
      return undefined;
    }
  }
}
