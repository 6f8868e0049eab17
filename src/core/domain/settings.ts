/** Per-user preferences (speed mode, Midjourney/Niji, default aspect ratio and version, language). */
import { z } from 'zod';

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

/** Chat-wide settings (collaborative mode: anyone may press any result's buttons). */
export interface ChatSettings {
  collaborative?: boolean;
}
