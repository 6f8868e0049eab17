/**
 * Signed chat-button payloads: ≤ 64 bytes (Telegram callback_data), ≤ 100 chars (Discord
 * custom_id), printable ASCII, unforgeable without the bot secret, stable across restarts.
 *
 * Forms (first character = tag; B64 = unpadded base64url, MAC = HMAC-SHA256 truncated to 72 bits):
 *   'A' direct   A + B64(opcode · template fields · digit count · task number · MAC)   no store
 *   'H' handle   H + B64(handle[9] · MAC[9])  → store 'btn'/<handle> = {taskId, customId}
 *   'I' internal I + B64(MAC[9]) + kind(:arg)*                                         no store
 * The MAC always covers the tag and everything after it, and is checked before any parsing or
 * store access, so a tampered or foreign payload is refused without touching the store.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { BotError } from '../../../errors.js';
import type { Store } from '../ports.js';
import { fieldBytes, packCustomId, unpackCustomId } from './templates.js';

export type DecodedPayload =
  | { type: 'mj'; taskId: string; customId: string }
  | { type: 'internal'; kind: string; args: string[] };

export interface ButtonCodec {
  /** (taskId, customId) → payload; compact when both fit the direct form, else a stored handle. */
  encode(taskId: string, customId: string): Promise<string>;
  /** Payload for the bot's own buttons: kind = 1–8 of [a-z0-9_], args of [A-Za-z0-9_.-]; throws INTERNAL if it cannot fit 64 bytes. */
  encodeInternal(kind: string, args: string[]): string;
  /** Throws BUTTON_INVALID for anything not signed by this secret, BUTTON_EXPIRED for a signed handle no longer stored. */
  decode(payload: string): Promise<DecodedPayload>;
}

export const MAX_PAYLOAD_BYTES = 64;
export const DEFAULT_BUTTON_TTL_MS = 90 * 24 * 60 * 60 * 1000;
const MAC_BYTES = 9;
const HANDLE_BYTES = 9;
const MAC_CHARS = 12; // base64url of 9 bytes, no padding
const HANDLE_FORM_CHARS = 1 + ((HANDLE_BYTES + MAC_BYTES) / 3) * 4;
const KIND = /^[a-z0-9_]{1,8}$/;
const ARG = /^[A-Za-z0-9_.-]*$/;
const B64URL = /^[A-Za-z0-9_-]*$/;
const DIGITS = /^[0-9]{1,255}$/;

const StoredButtonSchema = z.object({ taskId: z.string(), customId: z.string() });

const invalid = (why: string): BotError => new BotError('BUTTON_INVALID', `button payload rejected: ${why}`);

/** Strict base64url: only canonical encodings decode, so no two strings map to the same bytes. */
function fromB64(text: string): Buffer | undefined {
  if (!B64URL.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}

const NUMBER_BYTES: number[] = [];

/** Bytes needed for any number of `digits` decimal digits (fixed per count, so lengths are predictable). */
function numberBytes(digits: number): number {
  return (NUMBER_BYTES[digits] ??= Math.ceil((10n ** BigInt(digits) - 1n).toString(16).length / 2));
}

function packTaskNumber(taskId: string): Buffer | undefined {
  if (!DIGITS.test(taskId)) return undefined;
  const bytes = numberBytes(taskId.length);
  const packed = Buffer.alloc(1 + bytes);
  packed[0] = taskId.length;
  packed.write(BigInt(taskId).toString(16).padStart(bytes * 2, '0'), 1, 'hex');
  return packed;
}

/** Parse `count · number` that fills `bytes` exactly; undefined if it does not. */
function unpackTaskNumber(bytes: Buffer): string | undefined {
  const digits = bytes[0] ?? 0;
  if (digits < 1 || bytes.length !== 1 + numberBytes(digits)) return undefined;
  const value = BigInt(`0x${bytes.subarray(1).toString('hex')}`).toString();
  return value.length <= digits ? value.padStart(digits, '0') : undefined;
}

/** Create a codec; the same secret and store decode payloads made by earlier instances (restarts). */
export function createButtonCodec(opts: { secret: string | Buffer; store: Store; ttlMs?: number }): ButtonCodec {
  if (opts.secret.length === 0) throw new BotError('CONFIG_INVALID', 'button codec needs a non-empty secret');
  const { store } = opts;
  const ttlMs = opts.ttlMs ?? DEFAULT_BUTTON_TTL_MS;
  // Separate keys for signing and for deriving handles, both from the one bot secret.
  const derive = (label: string): Buffer => createHmac('sha256', opts.secret).update(label).digest();
  const macKey = derive('mjbot/buttons/mac/v1');
  const handleKey = derive('mjbot/buttons/handle/v1');

  const mac = (tag: string, content: Buffer | string): Buffer =>
    createHmac('sha256', macKey).update(tag).update(content).digest().subarray(0, MAC_BYTES);
  const macMatches = (tag: string, content: Buffer | string, given: Buffer): boolean =>
    given.length === MAC_BYTES && timingSafeEqual(mac(tag, content), given);

  // A task's buttons are encoded together: its number is packed once for all of them.
  let lastTask: { id: string; packed: Buffer | undefined } | undefined;
  const taskNumber = (taskId: string): Buffer | undefined =>
    (lastTask?.id === taskId ? lastTask : (lastTask = { id: taskId, packed: packTaskNumber(taskId) })).packed;

  function encodeDirect(taskId: string, customId: string): string | undefined {
    const packed = packCustomId(customId);
    const task = packed && taskNumber(taskId);
    if (!packed || !task) return undefined;
    // opcode · fields · task number · MAC, written into one buffer.
    const bodyLength = 1 + packed[1].length + task.length;
    const bytes = Buffer.allocUnsafe(bodyLength + MAC_BYTES);
    bytes[0] = packed[0];
    packed[1].copy(bytes, 1);
    task.copy(bytes, 1 + packed[1].length);
    mac('A', bytes.subarray(0, bodyLength)).copy(bytes, bodyLength);
    const payload = `A${bytes.toString('base64url')}`;
    return payload.length <= MAX_PAYLOAD_BYTES ? payload : undefined;
  }

  /** Keyed hash of the pair: re-encoding the same button reuses its entry instead of adding one. */
  function handleFor(taskId: string, customId: string): Buffer {
    const taskBytes = Buffer.from(taskId, 'utf16le'); // utf16le keeps lone surrogates distinct
    const length = Buffer.alloc(4);
    length.writeUInt32BE(taskBytes.length);
    return createHmac('sha256', handleKey).update(length).update(taskBytes).update(Buffer.from(customId, 'utf16le'))
      .digest().subarray(0, HANDLE_BYTES);
  }

  function decodeDirect(rest: string): DecodedPayload {
    const bytes = fromB64(rest);
    if (!bytes || bytes.length < 3 + MAC_BYTES) throw invalid('malformed');
    const body = bytes.subarray(0, bytes.length - MAC_BYTES);
    if (!macMatches('A', body, bytes.subarray(body.length))) throw invalid('bad signature');
    const opcode = body[0] ?? 255;
    const width = fieldBytes(opcode);
    if (width === undefined) throw invalid('unknown opcode');
    const customId = unpackCustomId(opcode, body.subarray(1, 1 + width));
    const taskId = unpackTaskNumber(body.subarray(1 + width));
    if (customId === undefined || taskId === undefined) throw invalid('bad direct body');
    return { type: 'mj', taskId, customId };
  }

  async function decodeHandle(rest: string): Promise<DecodedPayload> {
    const bytes = rest.length === HANDLE_FORM_CHARS - 1 ? fromB64(rest) : undefined;
    if (!bytes) throw invalid('malformed');
    const handle = bytes.subarray(0, HANDLE_BYTES);
    if (!macMatches('H', handle, bytes.subarray(HANDLE_BYTES))) throw invalid('bad signature');
    const stored = StoredButtonSchema.safeParse(await store.get<unknown>('btn', handle.toString('base64url')));
    if (!stored.success) throw new BotError('BUTTON_EXPIRED', 'button handle is no longer stored');
    return { type: 'mj', taskId: stored.data.taskId, customId: stored.data.customId };
  }

  function decodeInternal(rest: string): DecodedPayload {
    const given = fromB64(rest.slice(0, MAC_CHARS));
    const body = rest.slice(MAC_CHARS);
    if (!given || !macMatches('I', body, given)) throw invalid('bad signature');
    const [kind = '', ...args] = body.split(':');
    if (!KIND.test(kind) || !args.every((arg) => ARG.test(arg))) throw invalid('bad internal body');
    return { type: 'internal', kind, args };
  }

  return {
    async encode(taskId, customId) {
      const direct = encodeDirect(taskId, customId);
      if (direct) return direct;
      const handle = handleFor(taskId, customId);
      await store.set('btn', handle.toString('base64url'), { taskId, customId }, ttlMs);
      return `H${Buffer.concat([handle, mac('H', handle)]).toString('base64url')}`;
    },

    encodeInternal(kind, args) {
      if (!KIND.test(kind)) throw new BotError('INTERNAL', `internal button kind "${kind}" is not 1–8 of [a-z0-9_]`);
      const bad = args.find((arg) => !ARG.test(arg));
      if (bad !== undefined) throw new BotError('INTERNAL', `internal button "${kind}" has an argument outside [A-Za-z0-9_.-]`);
      const body = [kind, ...args].join(':');
      const payload = `I${mac('I', body).toString('base64url')}${body}`;
      if (payload.length > MAX_PAYLOAD_BYTES) throw new BotError('INTERNAL', `internal button "${kind}" does not fit ${MAX_PAYLOAD_BYTES} bytes`);
      return payload;
    },

    async decode(payload) {
      // Printable ASCII only, and never longer than any payload we make: cheap first filter.
      if (typeof payload !== 'string' || payload.length < 2 || payload.length > MAX_PAYLOAD_BYTES || !/^[\x21-\x7e]+$/.test(payload)) {
        throw invalid('not a payload');
      }
      const rest = payload.slice(1);
      switch (payload[0]) {
        case 'A': return decodeDirect(rest);
        case 'H': return decodeHandle(rest);
        case 'I': return decodeInternal(rest);
        default: throw invalid('unknown form');
      }
    },
  };
}
