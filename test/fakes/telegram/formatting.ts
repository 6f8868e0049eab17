/**
 * parse_mode handling: turns HTML / MarkdownV2 / Markdown into plain text plus entities, the way
 * the Bot API does before it checks lengths, and fails with Telegram's "can't parse entities" texts.
 */
import { badRequest, type TelegramApiError } from './errors.js';
import type { TgEntity } from './types.js';

export interface FormattedText {
  text: string;
  entities: TgEntity[];
}

function parseError(reason: string): TelegramApiError {
  return badRequest(`can't parse entities: ${reason}`);
}

const byteOffset = (source: string, index: number): number => Buffer.byteLength(source.slice(0, index), 'utf8');

const HTML_TAGS: Record<string, string> = {
  b: 'bold', strong: 'bold', i: 'italic', em: 'italic', u: 'underline', ins: 'underline',
  s: 'strikethrough', strike: 'strikethrough', del: 'strikethrough', 'tg-spoiler': 'spoiler', span: 'spoiler',
  a: 'text_link', code: 'code', pre: 'pre', blockquote: 'blockquote', 'tg-emoji': 'custom_emoji',
};

const HTML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes `&...;` at `i`; unknown entities stay literal, as in Telegram. */
function decodeHtmlEntity(source: string, i: number): { value: string; end: number } {
  const m = /^&(#x[0-9a-f]+|#\d+|[a-z]+);/i.exec(source.slice(i, i + 12));
  if (!m || m[1] === undefined) return { value: '&', end: i + 1 };
  const name = m[1];
  const code = name.startsWith('#x') || name.startsWith('#X') ? parseInt(name.slice(2), 16) : name.startsWith('#') ? parseInt(name.slice(1), 10) : NaN;
  const named = HTML_ENTITIES[name.toLowerCase()];
  if (named !== undefined) return { value: named, end: i + m[0].length };
  if (Number.isFinite(code) && code > 0 && code <= 0x10ffff) return { value: String.fromCodePoint(code), end: i + m[0].length };
  return { value: '&', end: i + 1 };
}

interface OpenTag {
  name: string;
  start: number;
  attrs: Record<string, string>;
}

function parseAttributes(raw: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of raw.matchAll(/([a-z-]+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+)))?/gi)) {
    if (m[1]) attrs[m[1].toLowerCase()] = m[2] ?? m[3] ?? m[4] ?? '';
  }
  return attrs;
}

function parseHtml(source: string): FormattedText {
  let text = '';
  const entities: TgEntity[] = [];
  const stack: OpenTag[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '&') {
      const { value, end } = decodeHtmlEntity(source, i);
      text += value;
      i = end;
      continue;
    }
    if (c !== '<') {
      text += c;
      i++;
      continue;
    }
    const close = source.indexOf('>', i);
    if (close < 0) throw parseError(`Unclosed start tag at byte offset ${byteOffset(source, i)}`);
    const inner = source.slice(i + 1, close);
    if (inner.startsWith('/')) {
      const name = inner.slice(1).trim().toLowerCase();
      const top = stack.pop();
      if (!top) throw parseError(`Unexpected end tag at byte offset ${byteOffset(source, i)}`);
      if (top.name !== name) {
        throw parseError(`Unmatched end tag at byte offset ${byteOffset(source, i)}, expected "</${top.name}>", found "</${name}>"`);
      }
      const type = HTML_TAGS[top.name] ?? top.name;
      const entity: TgEntity = { type, offset: top.start, length: text.length - top.start };
      if (type === 'text_link') entity.url = top.attrs.href ?? '';
      // Telegram turns a link to a user into a mention of that user (what a selective ForceReply targets).
      const mentioned = /^tg:\/\/user\?id=(\d+)$/.exec(entity.url ?? '');
      if (mentioned) {
        entity.type = 'text_mention';
        entity.user = { id: Number(mentioned[1]) };
        delete entity.url;
      }
      if (type === 'blockquote' && 'expandable' in top.attrs) entity.type = 'expandable_blockquote';
      if (entity.length > 0) entities.push(entity);
    } else {
      const name = (/^[a-z0-9-]*/i.exec(inner)?.[0] ?? '').toLowerCase();
      if (!(name in HTML_TAGS)) throw parseError(`Unsupported start tag "${name}" at byte offset ${byteOffset(source, i)}`);
      const attrs = parseAttributes(inner.slice(name.length));
      if (name === 'span' && attrs.class !== 'tg-spoiler') throw parseError('Tag "span" must have class "tg-spoiler"');
      stack.push({ name, start: text.length, attrs });
    }
    i = close + 1;
  }
  const open = stack.pop();
  if (open) throw parseError(`Can't find end tag corresponding to start tag "${open.name}"`);
  return { text, entities: entities.sort((a, b) => a.offset - b.offset) };
}

const MDV2_RESERVED = new Set('_*[]()~`>#+-=|{}.!');
const MD_NAMES: Record<string, string> = {
  bold: 'Bold', italic: 'Italic', underline: 'Underline', strikethrough: 'Strikethrough', spoiler: 'Spoiler',
  code: 'Code', pre: 'Pre', text_link: 'TextUrl',
};

interface OpenMark {
  type: string;
  start: number;
  sourceIndex: number;
}

function parseMarkdownV2(source: string): FormattedText {
  let text = '';
  const entities: TgEntity[] = [];
  const stack: OpenMark[] = [];
  const toggle = (type: string, at: number): void => {
    const top = stack.at(-1);
    if (top?.type === type) {
      stack.pop();
      if (text.length > top.start) entities.push({ type, offset: top.start, length: text.length - top.start });
    } else stack.push({ type, start: text.length, sourceIndex: at });
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i] ?? '';
    const inCode = stack.at(-1)?.type === 'code' || stack.at(-1)?.type === 'pre';
    if (c === '\\' && i + 1 < source.length) {
      text += source[i + 1];
      i += 2;
      continue;
    }
    if (inCode && c !== '`') {
      text += c;
      i++;
      continue;
    }
    if (!MDV2_RESERVED.has(c)) {
      text += c;
      i++;
      continue;
    }
    if (c === '*' || c === '~') toggle(c === '*' ? 'bold' : 'strikethrough', i);
    else if (c === '_' && source[i + 1] === '_') {
      toggle('underline', i);
      i++;
    }
    else if (c === '_') toggle('italic', i);
    else if (c === '|' && source[i + 1] === '|') {
      toggle('spoiler', i);
      i++;
    }
    else if (c === '`' && source.startsWith('```', i)) {
      if (stack.at(-1)?.type === 'pre') toggle('pre', i);
      else {
        const lineEnd = source.indexOf('\n', i + 3);
        const hasLanguage = lineEnd > i + 3 && !/\s/.test(source.slice(i + 3, lineEnd));
        toggle('pre', i);
        i = hasLanguage ? lineEnd : i + 2;
      }
      i += 2;
    } else if (c === '`') toggle('code', i);
    else if (c === '[') stack.push({ type: 'text_link', start: text.length, sourceIndex: i });
    else if (c === ']' && stack.at(-1)?.type === 'text_link') {
      const open = stack.pop() as OpenMark;
      const m = /^\(((?:\\.|[^)\\])*)\)/.exec(source.slice(i + 1));
      if (!m) throw parseError(`Can't find end of a URL at byte offset ${byteOffset(source, i + 1)}`);
      entities.push({ type: 'text_link', offset: open.start, length: text.length - open.start, url: (m[1] ?? '').replace(/\\(.)/g, '$1') });
      i += m[0].length;
    } else if (c === '>' && (i === 0 || source[i - 1] === '\n')) {
      // Blockquote line marker: consumed, not counted.
    } else {
      throw parseError(`Character '${c}' is reserved and must be escaped with the preceding '\\'`);
    }
    i++;
  }
  const open = stack[0];
  if (open) throw parseError(`Can't find end of ${MD_NAMES[open.type] ?? open.type} entity at byte offset ${byteOffset(source, open.sourceIndex)}`);
  return { text, entities: entities.sort((a, b) => a.offset - b.offset) };
}

/** Legacy Markdown: only * _ ` ``` and [text](url); no reserved characters. */
function parseMarkdown(source: string): FormattedText {
  let text = '';
  const entities: TgEntity[] = [];
  const marks: Record<string, string> = { '*': 'bold', _: 'italic', '`': 'code' };
  let i = 0;
  while (i < source.length) {
    const c = source[i] ?? '';
    const type = marks[c];
    if (type) {
      const end = source.indexOf(c, i + 1);
      if (end < 0) throw parseError(`Can't find end of the entity starting at byte offset ${byteOffset(source, i)}`);
      const inner = source.slice(i + 1, end);
      if (inner.length > 0) entities.push({ type, offset: text.length, length: inner.length });
      text += inner;
      i = end + 1;
      continue;
    }
    const link = c === '[' ? /^\[([^\]]*)\]\(([^)]*)\)/.exec(source.slice(i)) : null;
    if (link) {
      entities.push({ type: 'text_link', offset: text.length, length: (link[1] ?? '').length, url: link[2] ?? '' });
      text += link[1];
      i += link[0].length;
      continue;
    }
    text += c;
    i++;
  }
  return { text, entities };
}

/** Removes leading/trailing whitespace like Telegram does, shifting entities accordingly. */
function trimFormatted({ text, entities }: FormattedText): FormattedText {
  const lead = text.length - text.trimStart().length;
  const trimmed = text.trim();
  const shifted = entities
    .map((e) => {
      const start = Math.max(0, e.offset - lead);
      const end = Math.min(trimmed.length, e.offset + e.length - lead);
      return { ...e, offset: start, length: end - start };
    })
    .filter((e) => e.length > 0);
  return { text: trimmed, entities: shifted };
}

/**
 * Parses `source` under `parseMode` (undefined = plain text, where `explicit` entities apply).
 * Throws the Bot API's "can't parse entities" error on malformed markup.
 */
export function formatText(source: string, parseMode: unknown, explicit?: unknown): FormattedText {
  const mode = typeof parseMode === 'string' ? parseMode.toLowerCase() : '';
  let parsed: FormattedText;
  // Explicit entities win over parse_mode, as in the Bot API.
  if (Array.isArray(explicit) && explicit.length > 0) parsed = { text: source, entities: explicit as TgEntity[] };
  else if (mode === 'html') parsed = parseHtml(source);
  else if (mode === 'markdownv2') parsed = parseMarkdownV2(source);
  else if (mode === 'markdown') parsed = parseMarkdown(source);
  else if (mode === '') parsed = { text: source, entities: [] };
  else throw badRequest(`unsupported parse_mode`);
  return trimFormatted(parsed);
}

/** Length as Telegram counts it for the 4096/1024 limits (Unicode code points). */
export function visibleLength(text: string): number {
  return [...text].length;
}
