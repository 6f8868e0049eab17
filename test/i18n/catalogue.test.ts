/**
 * Every text the bot can show exists in English and Chinese: each key a source file names is in
 * the catalogue that file translates with (the core's, or its adapter's), every error code has
 * its message, and both languages of an entry take the same placeholders.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors.js';
import { CORE_DICTIONARIES, coreCatalogue, type Catalogue } from '../../src/core/domain/i18n/index.js';
import { texts as consoleTexts } from '../../src/adapters/console/texts.js';
import { texts as discordTexts } from '../../src/adapters/discord/texts.js';
import { texts as telegramTexts } from '../../src/adapters/telegram/texts.js';

const root = new URL('../../', import.meta.url).pathname;
const KEY = /'((?:task|word|form|error|input|button|access|queue|admin|gallery|collab|cmd|tg|dc|console)\.[A-Za-z0-9_.]+)'/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function catalogueFor(file: string): Catalogue {
  if (file.includes('/adapters/telegram/')) return telegramTexts;
  if (file.includes('/adapters/discord/')) return discordTexts;
  if (file.includes('/adapters/console/')) return consoleTexts;
  return coreCatalogue;
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the catalogues', () => {
  const files = [...sourceFiles(join(root, 'src')), ...sourceFiles(join(root, 'commands'))];

  it('hold every key a source file names, in the catalogue that file uses', () => {
    const missing: string[] = [];
    let named = 0;
    for (const file of files) {
      const catalogue = catalogueFor(file);
      for (const [, key] of readFileSync(file, 'utf8').matchAll(KEY)) {
        named += 1;
        if (!catalogue.has(key!)) missing.push(`${relative(root, file)}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
    expect(named).toBeGreaterThan(200);
  });

  it('have a message for every error code', () => {
    expect(ERROR_CODES.filter((code) => !coreCatalogue.has(`error.${code}`))).toEqual([]);
  });

  it('give every entry both languages with the same placeholders', () => {
    const bad: string[] = [];
    for (const catalogue of [coreCatalogue, telegramTexts, discordTexts, consoleTexts]) {
      for (const key of catalogue.keys()) {
        const en = catalogue.t('en', key);
        const zh = catalogue.t('zh', key);
        if (!en.trim() || !zh.trim()) bad.push(`${key}: empty`);
        else if (placeholders(en).join() !== placeholders(zh).join()) bad.push(`${key}: {${placeholders(en)}} vs {${placeholders(zh)}}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('are built from explicit lists: an adapter sees the core texts and its own', () => {
    expect(CORE_DICTIONARIES.length).toBeGreaterThanOrEqual(7);
    expect(telegramTexts.has('error.INTERNAL') && telegramTexts.has('tg.privateHint')).toBe(true);
    expect(telegramTexts.has('dc.unknownCommand')).toBe(false);
    expect(coreCatalogue.has('tg.privateHint')).toBe(false);
  });
});
