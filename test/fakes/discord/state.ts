/** In-memory world of the fake: messages, uploaded blobs served on /cdn, and interactions. */
import { DiscordErrors, FormErrors } from './errors.js';
import type { UploadedFile } from './http.js';
import { snowflake, type World } from './payloads.js';
import type { FakeAttachment, FakeMessage, InteractionHandle } from './types.js';
import { asArr, isEmptyMessage, validateMessageBody } from './validate.js';

const EPHEMERAL = 64;
/** Set on deferred ("thinking") replies until their first edit. */
export const LOADING = 128;

/** Server-side record behind an {@link InteractionHandle}. */
export interface InteractionRecord extends InteractionHandle {
  type: number;
  createdAt: number;
  acknowledged: boolean;
  /** The message a component (or a modal opened from a component) belongs to. */
  sourceMessageId?: string;
  /** What `@original` resolves to: the created reply, or the component's message after type 6/7. */
  originalTargetId?: string;
  /** The raw modal the bot showed, to answer in the same (row or label) form. */
  modalComponents?: unknown[];
}

/** A stored file served at `/cdn/{id}/{name}`. */
export interface Blob {
  name: string;
  bytes: Buffer;
  contentType?: string;
}

/** Messages, blobs and interactions, with Discord's create/edit semantics. */
export class FakeState {
  readonly messages = new Map<string, FakeMessage>();
  readonly blobs = new Map<string, Blob>();
  readonly interactions = new Map<string, InteractionRecord>();
  readonly byToken = new Map<string, InteractionRecord>();

  constructor(
    private readonly world: World,
    private readonly now: () => number,
  ) {}

  /** Stores a file and returns its attachment record. */
  storeBlob(name: string, bytes: Buffer, contentType?: string): FakeAttachment {
    const id = snowflake();
    this.blobs.set(id, { name, bytes, contentType });
    const url = `${this.world.baseUrl}/cdn/${id}/${encodeURIComponent(name)}`;
    return { id, filename: name, bytes, contentType, size: bytes.length, url };
  }

  private checkSizes(files: UploadedFile[]): void {
    if (files.some((f) => f.bytes.length > this.world.attachmentSizeLimit)) throw DiscordErrors.entityTooLarge();
  }

  /** Applies Discord's rule: with an `attachments` list only listed ones are kept; new files are added. */
  private resolveAttachments(existing: FakeAttachment[], listed: unknown, files: UploadedFile[]): FakeAttachment[] {
    const fresh = (f: UploadedFile, filename?: unknown): FakeAttachment =>
      this.storeBlob(typeof filename === 'string' ? filename : f.name, f.bytes, f.contentType);
    if (!Array.isArray(listed)) return [...existing, ...files.map((f) => fresh(f))];
    const used = new Set<UploadedFile>();
    const out: FakeAttachment[] = [];
    for (const raw of listed) {
      const entry = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
      const id = String(entry.id);
      const kept = existing.find((a) => a.id === id);
      const file = files.find((f) => f.index === id);
      if (kept) out.push(kept);
      else if (file) {
        used.add(file);
        out.push(fresh(file, entry.filename));
      }
    }
    for (const f of files) if (!used.has(f)) out.push(fresh(f));
    return out;
  }

  /** Validates and creates a message; `prefix` nests form errors (e.g. `['data']` for callbacks). */
  create(body: Record<string, unknown>, files: UploadedFile[], opts: { interactionId?: string; allowEmpty?: boolean; prefix?: string[] } = {}): FakeMessage {
    const errors = new FormErrors();
    validateMessageBody(body, errors, opts.prefix ?? []);
    errors.throwIfAny();
    this.checkSizes(files);
    const draft = {
      content: typeof body.content === 'string' ? body.content : '',
      embeds: asArr(body.embeds),
      components: asArr(body.components),
      attachments: files,
      sticker_ids: body.sticker_ids,
      poll: body.poll,
    };
    if (!opts.allowEmpty && isEmptyMessage(draft)) throw DiscordErrors.emptyMessage();
    const createdAt = this.now();
    const msg: FakeMessage = {
      id: snowflake(),
      channelId: this.world.channelId,
      content: draft.content,
      embeds: draft.embeds,
      components: draft.components,
      attachments: this.resolveAttachments([], body.attachments, files),
      flags: Number(body.flags ?? 0),
      ephemeral: (Number(body.flags ?? 0) & EPHEMERAL) !== 0,
      interactionId: opts.interactionId,
      createdAt,
      editCount: 0,
    };
    this.messages.set(msg.id, msg);
    return msg;
  }

  /** Validates and applies an edit (PATCH or type-7 update) to an existing message. */
  edit(id: string, body: Record<string, unknown>, files: UploadedFile[], prefix: string[] = []): FakeMessage {
    const msg = this.messages.get(id);
    if (!msg) throw DiscordErrors.unknownMessage();
    const errors = new FormErrors();
    validateMessageBody(body, errors, prefix);
    errors.throwIfAny();
    this.checkSizes(files);
    const next = {
      content: 'content' in body ? (typeof body.content === 'string' ? body.content : '') : msg.content,
      embeds: 'embeds' in body ? asArr(body.embeds) : msg.embeds,
      components: 'components' in body ? asArr(body.components) : msg.components,
    };
    const keepsFiles = Array.isArray(body.attachments) ? body.attachments.length > 0 || files.length > 0 : msg.attachments.length + files.length > 0;
    if (isEmptyMessage({ ...next, attachments: keepsFiles ? [1] : [] })) throw DiscordErrors.emptyMessage();
    Object.assign(msg, next);
    msg.attachments = this.resolveAttachments(msg.attachments, body.attachments, files);
    // Only SUPPRESS_EMBEDS may change on edit; the ephemeral bit stays as created.
    if (body.flags !== undefined && body.flags !== null) msg.flags = (msg.flags & ~4) | (Number(body.flags) & 4);
    msg.flags &= ~LOADING;
    msg.editedAt = this.now();
    msg.editCount++;
    return msg;
  }

  /** Messages in creation order. */
  list(): FakeMessage[] {
    return [...this.messages.values()];
  }
}
