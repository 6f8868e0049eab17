/**
 * Prompt hygiene and Midjourney parameter handling. Pure functions; problems come back as
 * results so callers choose the localized message (keys in ./i18n/input.ts).
 *
 * Why: phones autocorrect `--ar` into `—ar` (em dash), which MJ reads as prompt text; pasted
 * text brings NBSPs and zero-width characters; describe/shorten answers arrive as emoji-numbered
 * Markdown that must be split into prompts.
 */

/** Default prompt length cap (characters): Discord's modal text input maximum. */
export const MAX_PROMPT_LENGTH = 4000;

export type CleanPromptResult = { ok: true; prompt: string } | { ok: false; reason: 'empty' | 'too_long'; max?: number };

export interface CleanPromptOptions {
  /** Characters (code points) allowed; default MAX_PROMPT_LENGTH. */
  maxLength?: number;
  /** Accept an empty prompt (modal steps where empty means "keep the original"). */
  allowEmpty?: boolean;
}

/** Dash characters that keyboards and IMEs substitute for `-`. */
const DASHES = '\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63\uFF0D';
/** A run of dashes with at least one non-ASCII one ("—", "——", "−−", "-—"). */
const DASH_RUN = `-*[${DASHES}][${DASHES}-]*`;
/** Parameters safe to recognise even with a space after the dash ("– v 6"): not everyday words. */
const SPACED_SAFE = ['ar', 'aspect', 'v', 'version', 'niji', 'q', 'quality', 's', 'stylize', 'c', 'chaos', 'seed', 'zoom', 'iw', 'sref', 'cref', 'sw', 'cw', 'sv', 'w', 'weird', 'tile', 'raw', 'hd', 'fast', 'relax', 'turbo'];

const DASH_BEFORE_NAME = new RegExp(`(^|\\s)${DASH_RUN}(?=[a-z])`, 'giu');
const DASH_SPACE_NAME = new RegExp(`(^|\\s)${DASH_RUN}\\s+(${SPACED_SAFE.join('|')})(?=\\s|$)`, 'giu');
const ZERO_WIDTH = /[\u00AD\u180E\u200B\u200C\u2060\uFEFF]/g;
/** Keep ZWJ inside emoji sequences (👩‍💻); drop it anywhere else. */
const STRAY_ZWJ = /(?<!\p{Extended_Pictographic}\uFE0F?)\u200D|\u200D(?!\p{Extended_Pictographic})/gu;
const CONTROL = /[\u0000-\u0008\u000E-\u001F\u007F]/g; // eslint-disable-line no-control-regex

/** Turn autocorrected dashes before a parameter name back into `--` (`—ar 16:9` → `--ar 16:9`). */
export function fixParamDashes(prompt: string): string {
  return prompt
    .replace(DASH_SPACE_NAME, '$1--$2')
    .replace(DASH_BEFORE_NAME, '$1--')
    .replace(/(--(?:ar|aspect)\s+)(\d+)\s*[：:∶]\s*(\d+)/gi, '$1$2:$3'); // Chinese IME colon in ratios
}

/**
 * Trim, normalise whitespace (NBSP, newlines → one space), drop zero-width and control characters,
 * restore `--` before parameters, then check emptiness and length.
 */
export function cleanPrompt(raw: string | undefined, opts: CleanPromptOptions = {}): CleanPromptResult {
  const max = opts.maxLength ?? MAX_PROMPT_LENGTH;
  const prompt = fixParamDashes(
    (raw ?? '').replace(ZERO_WIDTH, '').replace(STRAY_ZWJ, '').replace(CONTROL, '').replace(/\s+/g, ' ').trim(),
  )
    .replace(/\s+/g, ' ')
    .trim();
  if (prompt === '' && !opts.allowEmpty) return { ok: false, reason: 'empty' };
  if ([...prompt].length > max) return { ok: false, reason: 'too_long', max };
  return { ok: true, prompt };
}

/** Parameter spellings MJ treats as the same parameter. */
const ALIASES: readonly (readonly string[])[] = [
  ['ar', 'aspect'],
  ['v', 'version'],
  ['q', 'quality'],
  ['s', 'stylize'],
  ['c', 'chaos'],
  ['w', 'weird'],
  ['r', 'repeat'],
  ['p', 'personalize', 'profile'],
];

function namesFor(name: string): readonly string[] {
  const lower = name.toLowerCase().replace(/^--/, '');
  return ALIASES.find((group) => group.includes(lower)) ?? [lower];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `--name` plus its value: the following tokens up to the next `--param`. */
function paramPattern(name: string): RegExp {
  const names = namesFor(name).map(escapeRegExp).join('|');
  return new RegExp(`(^|\\s)--(?:${names})(?=\\s|$)((?:\\s+(?!--)\\S+)*)`, 'gi');
}

/** True when the prompt has `--name` (or an alias: `ar`/`aspect`, `v`/`version`, `s`/`stylize`, …). */
export function hasParam(prompt: string, name: string): boolean {
  return paramPattern(name).test(prompt);
}

/** Replace the first `--name …` (or alias) with `--name value`, drop duplicates, or append it. */
export function setParam(prompt: string, name: string, value?: string): string {
  const canonical = name.replace(/^--/, '');
  const replacement = value === undefined || value === '' ? `--${canonical}` : `--${canonical} ${value}`;
  let replaced = false;
  const out = prompt.replace(paramPattern(name), (_match, lead: string) => {
    if (replaced) return '';
    replaced = true;
    return `${lead}${replacement}`;
  });
  return (replaced ? out : `${prompt} ${replacement}`).replace(/ {2,}/g, ' ').trim();
}

/** The first word after the last `--name` (or alias), lower-cased; undefined when absent or bare. */
export function paramValue(prompt: string, name: string): string | undefined {
  let value: string | undefined;
  for (const match of prompt.matchAll(paramPattern(name))) value = (match[2] ?? '').trim().split(/\s+/)[0]?.toLowerCase() || undefined;
  return value;
}

/** The prompt without any `--name …` (or alias). */
export function removeParam(prompt: string, name: string): string {
  return prompt.replace(paramPattern(name), (_match, lead: string) => lead).replace(/ {2,}/g, ' ').trim();
}

/** The value of `--zoom` (last one wins, as in MJ); undefined when absent or not a number. */
export function parseZoom(prompt: string): number | undefined {
  let value: number | undefined;
  for (const match of prompt.matchAll(paramPattern('zoom'))) {
    const raw = (match[2] ?? '').trim().split(/\s+/)[0] ?? '';
    value = /^(\d+(\.\d+)?|\.\d+)$/.test(raw) ? Number(raw) : undefined;
  }
  return value;
}

/** Custom Zoom's modal prompt needs `--zoom` between 1 and 2. */
export function checkZoomPrompt(prompt: string): { ok: true } | { ok: false; reason: 'missing' | 'out_of_range' } {
  if (!hasParam(prompt, 'zoom')) return { ok: false, reason: 'missing' };
  const zoom = parseZoom(prompt);
  return zoom !== undefined && zoom >= 1 && zoom <= 2 ? { ok: true } : { ok: false, reason: 'out_of_range' };
}

const MODE_FLAGS = ['fast', 'relax', 'turbo'] as const;

/** The speed flag the prompt carries (`--fast`, `--relax`, `--turbo`), if any. */
export function speedFlag(prompt: string): (typeof MODE_FLAGS)[number] | undefined {
  return MODE_FLAGS.find((flag) => hasParam(prompt, flag));
}

/**
 * Add the user's defaults only where the prompt says nothing: `--ar`, then `--niji` (when `niji`;
 * a string is its version) or `--v` (never next to `--niji`), then a speed flag when no speed flag is present.
 */
export function applyDefaults(prompt: string, d: { aspect?: string; version?: string; niji?: boolean | string; mode?: 'fast' | 'relax' | 'turbo' }): string {
  let out = prompt.trim();
  if (d.aspect && !hasParam(out, 'ar')) out = setParam(out, 'ar', d.aspect);
  const hasModel = hasParam(out, 'niji') || hasParam(out, 'v');
  if (!hasModel && d.niji) out = setParam(out, 'niji', typeof d.niji === 'string' ? d.niji : undefined);
  else if (!hasModel && d.version) out = setParam(out, 'v', d.version);
  if (d.mode && !MODE_FLAGS.some((flag) => hasParam(out, flag))) out = setParam(out, d.mode);
  return out;
}


/** Keycap digits 1️⃣…9️⃣ (the variation selector is optional in the wild). */
const KEYCAP = /([1-9])\uFE0F?\u20E3/gu;

/**
 * Describe/shorten result text → the prompts after 1️⃣ 2️⃣ 3️⃣ 4️⃣ 5️⃣, in order. Text before the
 * first number (shorten's "## Important tokens") and any later `##` section are ignored.
 */
export function splitNumberedPrompts(text: string): string[] {
  const markers = [...text.matchAll(KEYCAP)];
  const prompts: string[] = [];
  markers.forEach((marker, i) => {
    const start = (marker.index ?? 0) + marker[0].length;
    const end = markers[i + 1]?.index ?? text.length;
    const segment = text.slice(start, end).split(/\n\s*#{1,6}\s/)[0] ?? '';
    const prompt = segment.replace(/\s+/g, ' ').trim();
    if (prompt) prompts.push(prompt);
  });
  return prompts;
}
