/** Builds INTERACTION_CREATE payloads for slash commands, buttons, selects and modal submits. */
import { randomBytes } from 'node:crypto';
import { DEFAULT_USER, interactionBase, messageJson, snowflake, type World } from './payloads.js';
import type { FakeState, InteractionRecord } from './state.js';
import type { FakeUser, InteractionHandle } from './types.js';
import { asArr, asObj } from './validate.js';

/** Creates records and payloads; `dispatch` sends them over the gateway. */
export class InteractionFactory {
  constructor(
    private readonly world: World,
    private readonly state: FakeState,
    private readonly now: () => number,
    private readonly dispatch: (payload: Record<string, unknown>) => void,
  ) {}

  private start(type: number, data: unknown, opts: { user?: FakeUser; locale?: string; sourceMessageId?: string }): InteractionRecord {
    const id = snowflake();
    const token = `aW50ZXJhY3Rpb246${id}:${randomBytes(24).toString('base64url')}`;
    const state = this.state;
    const rec: InteractionRecord = {
      id, token, type, createdAt: this.now(), acknowledged: false, responses: [], sourceMessageId: opts.sourceMessageId,
      replies: () => state.list().filter((m) => m.interactionId === id),
      ephemeralReplies: () => state.list().filter((m) => m.interactionId === id && m.ephemeral),
    };
    this.state.interactions.set(id, rec);
    this.state.byToken.set(token, rec);
    const payload = interactionBase(this.world, { id, token, type, data, user: opts.user ?? DEFAULT_USER, locale: opts.locale, joinedAt: new Date(0).toISOString() });
    const source = opts.sourceMessageId ? this.state.messages.get(opts.sourceMessageId) : undefined;
    if (source) payload.message = messageJson(this.world, source);
    this.dispatch(payload);
    return rec;
  }

  /** A chat-input command; type-11 options without a value get the next uploaded attachment. */
  slash(opts: {
    name: string;
    options?: { name: string; type: number; value?: unknown }[];
    user?: FakeUser;
    attachments?: { name: string; bytes: Buffer; contentType?: string }[];
    locale?: string;
  }): InteractionHandle {
    const stored = (opts.attachments ?? []).map((a) => ({ a, rec: this.state.storeBlob(a.name, a.bytes, a.contentType) }));
    const resolved: Record<string, unknown> = {};
    for (const { a, rec } of stored) {
      resolved[rec.id] = {
        id: rec.id, filename: a.name, size: a.bytes.length, url: rec.url, proxy_url: rec.url,
        content_type: a.contentType ?? null, ...pngSize(a.bytes), ephemeral: true,
      };
    }
    let next = 0;
    const options = (opts.options ?? []).map((o) => {
      if (o.type !== 11) return o;
      const index = typeof o.value === 'number' ? o.value : next++;
      const att = stored[index];
      if (!att) throw new Error(`fake discord: option ${o.name} refers to attachment #${index}, but only ${stored.length} were given`);
      return { ...o, value: att.rec.id };
    });
    const commandId = snowflake();
    const data = {
      id: commandId, name: opts.name, type: 1, guild_id: this.world.guildId, options,
      ...(stored.length > 0 ? { resolved: { attachments: resolved } } : {}),
    };
    return this.start(2, data, opts);
  }

  /** A button press or a string-select choice on a message the bot sent. */
  component(opts: { messageId: string; customId: string; values?: string[]; user?: FakeUser; locale?: string }): InteractionHandle {
    const msg = this.state.messages.get(opts.messageId);
    if (!msg) throw new Error(`fake discord: no message ${opts.messageId} to interact with`);
    const component = findComponent(msg.components, opts.customId);
    if (!component) throw new Error(`fake discord: message ${opts.messageId} has no component with custom_id ${opts.customId}`);
    if (component.disabled === true) throw new Error(`fake discord: component ${opts.customId} is disabled`);
    const componentType = Number(component.type);
    if ((componentType === 2) !== (opts.values === undefined)) {
      throw new Error(`fake discord: component ${opts.customId} is of type ${componentType}; use ${componentType === 2 ? 'click' : 'select'}`);
    }
    const data = { custom_id: opts.customId, component_type: componentType, ...(opts.values ? { values: opts.values } : {}) };
    return this.start(3, data, { ...opts, sourceMessageId: opts.messageId });
  }

  /** Submits the modal the bot showed in answer to `parent`, in the same row or label form. */
  submitModal(opts: { parent: InteractionHandle; values: Record<string, string>; user?: FakeUser; locale?: string }): InteractionHandle {
    const parent = this.state.interactions.get(opts.parent.id);
    if (!parent?.modal) throw new Error('fake discord: the parent interaction was not answered with a modal');
    const known = new Set<string>();
    const answer = (input: Record<string, unknown>): Record<string, unknown> => {
      const customId = String(input.custom_id);
      known.add(customId);
      const value = opts.values[customId] ?? (typeof input.value === 'string' ? input.value : '');
      checkUserInput(input, customId, value);
      return { type: 4, id: input.id, custom_id: customId, value };
    };
    const components = asArr(parent.modalComponents).flatMap((raw): Record<string, unknown>[] => {
      const c = asObj(raw);
      if (c.type === 18 && asObj(c.component).type === 4) return [{ type: 18, id: c.id, component: answer(asObj(c.component)) }];
      if (c.type === 1) return [{ type: 1, id: c.id, components: asArr(c.components).map((t) => answer(asObj(t))) }];
      return [];
    });
    for (const key of Object.keys(opts.values)) {
      if (!known.has(key)) throw new Error(`fake discord: the modal has no text input ${key}`);
    }
    return this.start(5, { custom_id: parent.modal.custom_id, components }, { ...opts, sourceMessageId: parent.sourceMessageId });
  }
}

/** Rejects values the Discord client itself would not let a user submit. */
function checkUserInput(input: Record<string, unknown>, customId: string, value: string): void {
  const len = [...value].length;
  if (input.required !== false && len === 0) throw new Error(`fake discord: text input ${customId} is required`);
  if (len > 0 && typeof input.min_length === 'number' && len < input.min_length) throw new Error(`fake discord: ${customId} is shorter than min_length`);
  if (typeof input.max_length === 'number' && len > input.max_length) throw new Error(`fake discord: ${customId} is longer than max_length`);
}

function findComponent(list: unknown[], customId: string): Record<string, unknown> | undefined {
  for (const raw of list) {
    const c = asObj(raw);
    if (c.custom_id === customId) return c;
    const inner = findComponent([...asArr(c.components), ...(c.accessory ? [c.accessory] : [])], customId);
    if (inner) return inner;
  }
  return undefined;
}

/** Width and height from a PNG's IHDR, as Discord reports them for images. */
function pngSize(bytes: Buffer): { width?: number; height?: number } {
  if (bytes.length < 24 || bytes.readUInt32BE(0) !== 0x89504e47) return {};
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}
