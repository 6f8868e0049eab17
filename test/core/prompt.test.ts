import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { t } from '../../src/core/domain/i18n/index.js';
import { inputMessages } from '../../src/core/domain/i18n/input.js';
import {
  applyDefaults,
  checkZoomPrompt,
  cleanPrompt,
  hasParam,
  MAX_PROMPT_LENGTH,
  parseZoom,
  setParam,
  splitNumberedPrompts,
} from '../../src/core/domain/prompt.js';
import { numbered, shortenedPrompts, shortenMarkdown } from '../../src/sim/texts.js';

const SAMPLES = new URL('../fixtures/mj/', import.meta.url);

function sample(name: string): { properties: Record<string, string> } {
  return JSON.parse(readFileSync(new URL(name, SAMPLES), 'utf8')) as { properties: Record<string, string> };
}

function cleaned(raw: string): string {
  const result = cleanPrompt(raw);
  if (!result.ok) throw new Error(`unexpected ${result.reason}`);
  return result.prompt;
}

describe('cleanPrompt: autocorrected dashes', () => {
  it.each([
    ['a cat —ar 16:9', 'a cat --ar 16:9'],
    ['a cat – v 6', 'a cat --v 6'],
    ['a cat ——niji', 'a cat --niji'],
    ['a cat −−ar 3:2', 'a cat --ar 3:2'],
    ['a cat -—s 250', 'a cat --s 250'],
    ['a cat —ar 16:9 —v 6.1 —no dogs', 'a cat --ar 16:9 --v 6.1 --no dogs'],
    ['a cat —AR 2:3', 'a cat --AR 2:3'],
    ['一只猫 ——ar 16：9', '一只猫 --ar 16:9'],
    ['—tile wallpaper', '--tile wallpaper'],
    ['a cat --ar 16:9', 'a cat --ar 16:9'],
  ])('restores %j as %j', (raw, expected) => {
    expect(cleaned(raw)).toBe(expected);
  });

  it.each([
    'a well—known café',
    'the years 2020–2024',
    '一只猫——很可爱',
    'a cat — no, a dog',
    'a cat – style of the 80s',
    'a-b-c --ar 1:1',
  ])('leaves the dashes of %j alone', (raw) => {
    expect(cleaned(raw)).toBe(raw);
  });

  const dashes = fc.constantFrom('—', '–', '——', '−−', '-—', '—–', '－', '‒');
  // Names that are also everyday words ("no", "style") are only restored when glued to the dash.
  const spacedNames = ['ar', 'v', 'niji', 'stylize', 's', 'chaos', 'seed', 'q', 'tile', 'sref', 'zoom', 'iw'];
  const names = fc.constantFrom(...spacedNames, 'no', 'style', 'stop');
  const words = fc.array(fc.constantFrom('cat', 'dog', 'a', 'well—known', '2020–2024', '猫', '16:9', '6', '\u00a0', '\n', '\u200b'), { maxLength: 6 });
  const promptWithParams = fc
    .tuple(words, fc.array(fc.tuple(dashes, fc.boolean(), names, words), { minLength: 1, maxLength: 4 }))
    .map(([head, params]) =>
      [head.join(' '), ...params.map(([dash, spaced, name, value]) => `${dash}${spaced && spacedNames.includes(name) ? ' ' : ''}${name} ${value.join(' ')}`)].join(' '),
    );
  const leftover = new RegExp(`(^|\\s)-*[\u2012-\u2015\u2212\uFF0D][\u2012-\u2015\u2212\uFF0D-]*([a-z]|\\s(${spacedNames.join('|')})(\\s|$))`, 'iu');

  it('never leaves a parameter behind an autocorrected dash', () => {
    fc.assert(
      fc.property(promptWithParams, (raw) => {
        const result = cleanPrompt(raw, { maxLength: 100_000 });
        if (!result.ok) throw new Error(result.reason);
        expect(result.prompt).not.toMatch(leftover);
        expect(leftover.test(raw)).toBe(true); // the generator really produced a broken parameter
      }),
      { numRuns: 300 },
    );
  });

  it('is idempotent, whatever the input', () => {
    const alphabet = fc.constantFrom('—', '–', '-', ' ', '\u00a0', '\n', '\u200b', '\u200d', '👩', '💻', 'a', 'r', 'v', 'n', 'o', '1', ':', '：', '6', '猫');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }).map((a) => a.join('')), (raw) => {
        const once = cleanPrompt(raw, { allowEmpty: true, maxLength: 100_000 });
        if (!once.ok) throw new Error('allowEmpty should accept everything');
        expect(cleanPrompt(once.prompt, { allowEmpty: true, maxLength: 100_000 })).toEqual(once);
      }),
      { numRuns: 500 },
    );
  });
});

describe('cleanPrompt: whitespace, invisible characters and limits', () => {
  it('turns newlines, tabs and non-breaking spaces into single spaces and trims', () => {
    expect(cleaned('  a\u00a0cat\n\non a\tmat\u3000 ')).toBe('a cat on a mat');
  });

  it('removes zero-width characters but keeps emoji sequences intact', () => {
    expect(cleaned('a\u200b ca\u2060t\ufeff')).toBe('a cat');
    expect(cleaned('coder 👩\u200d💻 at work')).toBe('coder 👩\u200d💻 at work');
    expect(cleaned('a\u200dcat')).toBe('acat');
  });

  it('reports an empty prompt unless empty is allowed', () => {
    expect(cleanPrompt('  \u200b\n ')).toEqual({ ok: false, reason: 'empty' });
    expect(cleanPrompt(undefined)).toEqual({ ok: false, reason: 'empty' });
    expect(cleanPrompt(' ', { allowEmpty: true })).toEqual({ ok: true, prompt: '' });
  });

  it('reports a prompt over the limit with the limit, counting characters not UTF-16 units', () => {
    expect(cleanPrompt('x'.repeat(MAX_PROMPT_LENGTH + 1))).toEqual({ ok: false, reason: 'too_long', max: MAX_PROMPT_LENGTH });
    expect(cleanPrompt('x'.repeat(MAX_PROMPT_LENGTH)).ok).toBe(true);
    expect(cleanPrompt('🐱'.repeat(10), { maxLength: 10 })).toEqual({ ok: true, prompt: '🐱'.repeat(10) });
    expect(cleanPrompt('🐱'.repeat(11), { maxLength: 10 })).toEqual({ ok: false, reason: 'too_long', max: 10 });
  });
});

describe('Custom Zoom prompts', () => {
  it.each([
    ['a cat --zoom 1.5', 1.5, { ok: true }],
    ['a cat --zoom 2', 2, { ok: true }],
    ['a cat --zoom 1 --ar 1:1', 1, { ok: true }],
    ['a cat --zoom .5', 0.5, { ok: false, reason: 'out_of_range' }],
    ['a cat --zoom 2.01', 2.01, { ok: false, reason: 'out_of_range' }],
    ['a cat --zoom big', undefined, { ok: false, reason: 'out_of_range' }],
    ['a cat --zoom', undefined, { ok: false, reason: 'out_of_range' }],
    ['a cat', undefined, { ok: false, reason: 'missing' }],
    ['a cat zoom 1.5', undefined, { ok: false, reason: 'missing' }],
  ])('%j has zoom %s', (prompt, zoom, check) => {
    expect(parseZoom(prompt)).toBe(zoom);
    expect(checkZoomPrompt(prompt)).toEqual(check);
  });

  it('accepts a zoom typed with a phone dash once the prompt is cleaned', () => {
    expect(checkZoomPrompt('a cat —zoom 1.5')).toEqual({ ok: false, reason: 'missing' });
    expect(checkZoomPrompt(cleaned('a cat —zoom 1.5'))).toEqual({ ok: true });
  });
});

describe('parameters', () => {
  it('recognises parameters and their long spellings, not words that merely contain them', () => {
    expect(hasParam('a cat --aspect 2:3', 'ar')).toBe(true);
    expect(hasParam('a cat --version 6', 'v')).toBe(true);
    expect(hasParam('a cat --stylize 100', 's')).toBe(true);
    expect(hasParam('a cat --vibe', 'v')).toBe(false);
    expect(hasParam('a--ar cat', 'ar')).toBe(false);
  });

  it('replaces a parameter with its whole value, or appends it', () => {
    expect(setParam('a cat --aspect 2:3 --v 6', 'ar', '16:9')).toBe('a cat --ar 16:9 --v 6');
    expect(setParam('a cat --no red, blue hats --v 6', 'no', 'green')).toBe('a cat --no green --v 6');
    expect(setParam('a cat --ar 1:1 --ar 2:3', 'ar', '3:2')).toBe('a cat --ar 3:2');
    expect(setParam('a cat', 'zoom', '1.5')).toBe('a cat --zoom 1.5');
    expect(setParam('a cat --tile', 'tile')).toBe('a cat --tile');
  });

  it.each([
    ['a cat', { aspect: '16:9', version: '7' }, 'a cat --ar 16:9 --v 7'],
    ['a cat --ar 2:3', { aspect: '16:9', version: '7' }, 'a cat --ar 2:3 --v 7'],
    ['a cat --version 6', { version: '7' }, 'a cat --version 6'],
    ['a cat --niji 6', { version: '7' }, 'a cat --niji 6'],
    ['a cat', { niji: true, version: '7' }, 'a cat --niji'],
    ['a cat --v 6', { niji: true }, 'a cat --v 6'],
    ['a cat', { mode: 'relax' as const }, 'a cat --relax'],
    ['a cat --turbo', { mode: 'relax' as const }, 'a cat --turbo'],
    ['a cat', {}, 'a cat'],
  ])('applies defaults to %j with %j → %j', (prompt, defaults, expected) => {
    expect(applyDefaults(prompt, defaults)).toBe(expected);
  });

});

describe('splitNumberedPrompts', () => {
  it('splits a /describe result into its four prompts (OSS and Plus fixtures, English and Chinese)', () => {
    const expected = [
      'a paper boat drifting on a puddle, overcast light --ar 4:3',
      'folded newspaper boat, rainy street, shallow depth of field --ar 4:3',
      'a small white boat on dark water, minimalism --ar 4:3',
      'origami ship in a rain puddle, reflections --ar 4:3',
    ];
    expect(splitNumberedPrompts(sample('task-describe-oss.json').properties.finalPrompt ?? '')).toEqual(expected);
    const plus = sample('task-describe-plus.json').properties;
    expect(splitNumberedPrompts(plus.finalPrompt ?? '')).toEqual(expected);
    expect(splitNumberedPrompts(plus.finalZhPrompt ?? '')).toEqual([
      '水坑上漂着的纸船，阴天的光线 --ar 4:3',
      '报纸折的小船，雨中的街道，浅景深 --ar 4:3',
      '深色水面上的白色小船，极简主义 --ar 4:3',
      '雨水坑里的折纸船，倒影 --ar 4:3',
    ]);
  });

  it('takes only the "Shortened prompts" of a /shorten result, not the important tokens', () => {
    const prompts = splitNumberedPrompts(sample('task-shorten-plus.json').properties.finalPrompt ?? '');
    expect(prompts).toEqual([
      'lighthouse lighthouse, linework, commissioned piece, misty, vaporwave',
      'lighthouse lighthouse, linework, commissioned, vaporwave',
      'lighthouse lighthouse, linework, vaporwave',
      'lighthouse lighthouse, vaporwave',
      'lighthouse lighthouse',
    ]);
  });

  it('ignores the weight bars of a "Show Details" result', () => {
    const prompts = splitNumberedPrompts(sample('task-shorten-show-details-plus.json').properties.finalPrompt ?? '');
    expect(prompts).toHaveLength(5);
    expect(prompts[0]).toBe('lighthouse lighthouse, linework, commissioned piece, misty, vaporwave');
    expect(prompts[4]).toBe('lighthouse light');
    expect(prompts.join(' ')).not.toMatch(/[█░#*]/);
  });

  it('reads back what the simulator writes, keycaps without variation selectors included', () => {
    const prompt = 'a lighthouse at dusk, watercolor, soft pastel tones, film grain';
    expect(splitNumberedPrompts(shortenMarkdown(prompt, true))).toEqual(shortenedPrompts(prompt));
    expect(splitNumberedPrompts(numbered(['one', 'two']).replace(/\uFE0F/g, ''))).toEqual(['one', 'two']);
  });

  it('stops at a later Markdown heading and returns nothing for text without numbers', () => {
    expect(splitNumberedPrompts('1️⃣ first\n\n2️⃣ second\n## Notes\nignore me')).toEqual(['first', 'second']);
    expect(splitNumberedPrompts('no prompts here')).toEqual([]);
  });
});

describe('input messages', () => {
  it('exist in English and Chinese with the same placeholders', () => {
    for (const [key, { en, zh }] of Object.entries(inputMessages)) {
      expect(en.length, key).toBeGreaterThan(0);
      expect(zh.length, key).toBeGreaterThan(0);
      expect(zh.match(/\{\w+\}/g) ?? [], key).toEqual(en.match(/\{\w+\}/g) ?? []);
    }
    expect(t('zh', 'input.promptTooLong', { max: 4000 })).toContain('4000');
  });
});
