/**
 * A catalogue of localized texts (English, Simplified Chinese), built from an explicit list of
 * dictionaries. Each area keeps its own `{ key: { en, zh } }` dictionary; placeholders are `{name}`.
 */
import type { Locale } from '../types.js';

export type Dictionary = Record<string, { en: string; zh: string }>;

export type Vars = Record<string, string | number | undefined>;

export interface Catalogue {
  /** Translate `key` into `locale`, filling `{placeholders}`. An unknown key comes back as itself (tests keep every key known). */
  t(locale: Locale, key: string, vars?: Vars): string;
  has(key: string): boolean;
  keys(): string[];
}

/** A catalogue of `dictionaries`; a key in a later one wins. */
export function createCatalogue(dictionaries: readonly Dictionary[]): Catalogue {
  const merged = new Map<string, { en: string; zh: string }>();
  for (const dict of dictionaries) for (const [key, value] of Object.entries(dict)) merged.set(key, value);
  return {
    t(locale, key, vars = {}) {
      const entry = merged.get(key);
      const template = entry ? entry[locale] : key;
      return template.replace(/\{(\w+)\}/g, (_, name: string) => {
        const value = vars[name];
        return value === undefined ? `{${name}}` : String(value);
      });
    },
    has: (key) => merged.has(key),
    keys: () => [...merged.keys()],
  };
}

/** Map a platform language code (e.g. "zh-CN", "zh-hans", "en-US") to a supported locale. */
export function toLocale(code: string | undefined, fallback: Locale = 'en'): Locale {
  if (!code) return fallback;
  return code.toLowerCase().startsWith('zh') ? 'zh' : code.toLowerCase().startsWith('en') ? 'en' : fallback;
}
