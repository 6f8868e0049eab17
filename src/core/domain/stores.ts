/**
 * The core's persistent data over the Store port: task records (namespace 'task') and which
 * tasks are still open ('open'), form steps ('form'), user and chat settings ('user', 'chat').
 * Records are written before the user is told anything, so a restart loses nothing. A task is
 * open until its final view was delivered or declared undeliverable, not merely until it finished.
 */
import { FORM_KEEP_MS, FORM_TTL_MS, type FormRecord } from './forms.js';
import type { Store, StoreWrite } from './ports.js';
import { isSettled, RECORD_TTL_MS, withStage, type TaskRecord } from './records.js';
import { UserSettingsSchema, type ChatSettings, type UserSettings } from './settings.js';
import type { ChatRef, Locale, MessageRef, Platform } from './types.js';

export class RecordStore {
  constructor(private readonly store: Store) {}

  async get(taskId: string): Promise<TaskRecord | undefined> {
    const record = await this.store.get<TaskRecord>('task', taskId);
    return record ? withStage(record) : undefined;
  }

  /** One durable write: the record and its place in the open index land together or not at all. */
  async save(record: TaskRecord): Promise<void> {
    const open: StoreWrite = isSettled(record)
      ? { ns: 'open', key: record.taskId, delete: true }
      : { ns: 'open', key: record.taskId, value: { deadline: record.deadline, finished: record.finished } satisfies OpenEntry };
    await this.store.write([{ ns: 'task', key: record.taskId, value: record, ttlMs: RECORD_TTL_MS }, open]);
  }

  /** Ids of tasks still open (not finished, or finished but their result not yet delivered). */
  async openIds(): Promise<string[]> {
    const ids: string[] = [];
    for await (const [id] of this.store.entries<OpenEntry>('open')) ids.push(id);
    return ids;
  }

  /** Ids of open tasks the proxy still has to finish (the ones worth polling). */
  async unfinishedIds(): Promise<string[]> {
    const ids: string[] = [];
    for await (const [id, entry] of this.store.entries<OpenEntry>('open')) if (!entry.finished) ids.push(id);
    return ids;
  }
}

/** What the 'open' namespace keeps per task. */
interface OpenEntry {
  deadline: number;
  finished?: boolean;
}

export class FormStore {
  constructor(private readonly store: Store) {}

  get(formId: string): Promise<FormRecord | undefined> {
    return this.store.get<FormRecord>('form', formId);
  }

  async save(form: FormRecord): Promise<void> {
    await this.store.set('form', form.formId, form, FORM_KEEP_MS);
  }

  /** Save a new form as the one its owner is asked in that chat (a private chat's next plain text answers it). */
  async open(form: FormRecord): Promise<void> {
    await this.save(form);
    await this.store.set('user', openKey(form.chat, form.owner.userId), form.formId, FORM_TTL_MS);
  }

  /** The form answered or cancelled: it no longer takes plain text. */
  async close(form: FormRecord): Promise<void> {
    form.answered = true;
    await this.save(form);
    const key = openKey(form.chat, form.owner.userId);
    if ((await this.store.get<string>('user', key)) === form.formId) await this.store.delete('user', key);
  }

  /** A message that asks for the form's answer: a reply to it answers the form. (The form record is not rewritten: an answer may be saving it right now.) */
  async bindMessage(formId: string, ref: MessageRef): Promise<void> {
    await this.store.set('msg', msgKey(ref.chat, ref.messageId), formId, FORM_KEEP_MS);
  }

  /** The form a reply answers (by the message it replies to). */
  byMessage(chat: ChatRef, messageId: string): Promise<string | undefined> {
    return this.store.get<string>('msg', msgKey(chat, messageId));
  }

  /** The form `userId` is being asked in `chat`, if one is open. */
  openFor(chat: ChatRef, userId: string): Promise<string | undefined> {
    return this.store.get<string>('user', openKey(chat, userId));
  }
}

function msgKey(chat: ChatRef, messageId: string): string {
  return `${chat.platform}:${chat.chatId}:${messageId}`;
}

export class SettingsStore {
  constructor(private readonly store: Store) {}

  private key(platform: Platform, userId: string): string {
    return `${platform}:${userId}`;
  }

  async get(platform: Platform, userId: string): Promise<UserSettings> {
    const raw = await this.store.get<unknown>('user', this.key(platform, userId));
    const parsed = UserSettingsSchema.safeParse(raw ?? {});
    return parsed.success ? parsed.data : UserSettingsSchema.parse({});
  }

  async update(platform: Platform, userId: string, patch: Partial<UserSettings>): Promise<UserSettings> {
    const current = await this.get(platform, userId);
    const next = UserSettingsSchema.parse({ ...current, ...patch });
    await this.store.set('user', this.key(platform, userId), next);
    return next;
  }

  /** The user's chosen language, else the one their client reports. */
  async locale(platform: Platform, userId: string, reported: Locale): Promise<Locale> {
    return (await this.get(platform, userId)).locale ?? reported;
  }
}

export class ChatSettingsStore {
  constructor(private readonly store: Store) {}

  async get(platform: Platform, chatId: string): Promise<ChatSettings> {
    return (await this.store.get<ChatSettings>('chat', `${platform}:${chatId}`)) ?? {};
  }

  async update(platform: Platform, chatId: string, patch: ChatSettings): Promise<ChatSettings> {
    const next = { ...(await this.get(platform, chatId)), ...patch };
    await this.store.set('chat', `${platform}:${chatId}`, next);
    return next;
  }
}

function openKey(chat: ChatRef, userId: string): string {
  return `form:${chat.platform}:${chat.chatId}:${userId}`;
}
