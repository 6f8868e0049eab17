/** Per-user preferences (speed mode, Midjourney/Niji, default aspect ratio and version, language). */
import { z } from 'zod';
import type { Store } from './ports.js';
import type { Locale, Platform } from './types.js';

export const UserSettingsSchema = z.object({
  mode: z.enum(['fast', 'relax', 'turbo']).optional(),
  bot: z.enum(['mj', 'niji']).default('mj'),
  /** e.g. "16:9" */
  aspect: z.string().regex(/^\d{1,2}:\d{1,2}$/).optional(),
  /** e.g. "7", "6.1" (Midjourney) — ignored for Niji. */
  version: z.string().regex(/^\d(\.\d)?$/).optional(),
  locale: z.enum(['en', 'zh']).optional(),
});
export type UserSettings = z.output<typeof UserSettingsSchema>;

export const ASPECT_CHOICES = ['1:1', '2:3', '3:2', '4:5', '16:9', '9:16'] as const;
export const VERSION_CHOICES = ['7', '6.1', '6'] as const;

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

/** Chat-wide settings (collaborative mode: anyone may press any result's buttons). */
export interface ChatSettings {
  collaborative?: boolean;
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
