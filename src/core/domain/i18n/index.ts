/**
 * Localized text (English, Simplified Chinese). Each area keeps its own dictionary file with
 * `{ key: { en, zh } }` entries; `t()` merges them. Placeholders are `{name}`.
 */
import type { Locale } from '../types.js';
import { commonMessages, formMessages } from './common.js';
import { errorMessages } from './errors.js';

export type Dictionary = Record<string, { en: string; zh: string }>;

const dictionaries: Dictionary[] = [commonMessages, formMessages, errorMessages];
const merged = new Map<string, { en: string; zh: string }>();
for (const dict of dictionaries) for (const [key, value] of Object.entries(dict)) merged.set(key, value);

/** Register more entries (used by command and adapter dictionaries). Later entries win. */
export function addMessages(dict: Dictionary): void {
  for (const [key, value] of Object.entries(dict)) merged.set(key, value);
}

/** Translate `key` into `locale`, filling `{placeholders}`. Unknown keys come back as the key itself. */
export function t(locale: Locale, key: string, vars: Record<string, string | number | undefined> = {}): string {
  const entry = merged.get(key);
  const template = entry ? entry[locale] : key;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = vars[name];
    return value === undefined ? `{${name}}` : String(value);
  });
}

export function hasMessage(key: string): boolean {
  return merged.has(key);
}

/** Map a platform language code (e.g. "zh-CN", "zh-hans", "en-US") to a supported locale. */
export function toLocale(code: string | undefined, fallback: Locale = 'en'): Locale {
  if (!code) return fallback;
  return code.toLowerCase().startsWith('zh') ? 'zh' : code.toLowerCase().startsWith('en') ? 'en' : fallback;
}
