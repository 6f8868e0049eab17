/**
 * Typed lines → command input (image files read from disk), form answers, and typed labels →
 * buttons. Pure apart from reading files.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command, CommandInput, ImageInput } from '../../../commands/types.js';
import type { ButtonView, FormAnswer, FormView } from '../../core/domain/types.js';

/** Words, keeping "quoted paths with spaces" together. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) tokens.push(match[1] ?? match[2] ?? match[3] ?? '');
  return tokens;
}

const IMAGE_EXT = /\.(png|jpe?g|webp|gif)$/i;

/** A word meant as a local file (not a URL). */
function looksLikePath(token: string): boolean {
  return !token.includes('://') && (token.includes('/') || token.includes('\\') || IMAGE_EXT.test(token));
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export type BuiltInput = { ok: true; input: CommandInput } | { ok: false; missing: string };

/** What a typed line is: a /command, a line that starts with an absolute file path, or anything else. */
export type LineKind =
  | { kind: 'command'; name: string }
  | { kind: 'unknown-command'; name: string }
  | { kind: 'path' }
  | { kind: 'missing-file'; path: string }
  | { kind: 'text' };

/**
 * A leading "/" names a command — unless what follows is no command and looks like a path
 * (`/tmp/mask.png`, `/photo.jpg`): then the line starts with a file, which may not exist.
 */
export async function classifyLine(text: string, isCommand: (name: string) => boolean, cwd = process.cwd()): Promise<LineKind> {
  if (!text.startsWith('/')) return { kind: 'text' };
  const first = tokenize(text)[0] ?? '';
  const name = first.slice(1);
  if (isCommand(name)) return { kind: 'command', name };
  if (!name.includes('/') && !IMAGE_EXT.test(name)) return { kind: 'unknown-command', name };
  return (await isFile(resolve(cwd, first))) ? { kind: 'path' } : { kind: 'missing-file', path: first };
}

/**
 * Map the text after a command onto its options. Commands with image options take existing
 * files (imagine: only the leading ones, the rest is the prompt); a path that does not exist
 * is reported instead of being sent as text.
 */
export async function buildConsoleInput(command: Command, rest: string, cwd = process.cwd()): Promise<BuiltInput> {
  const imageOptions = command.options.filter((o) => o.type === 'image' || o.type === 'images');
  const tokens = tokenize(rest);
  const images: ImageInput[] = [];
  const words: string[] = [];
  for (const [i, token] of tokens.entries()) {
    const takesImages = imageOptions.length > 0 && (!command.textOption || i === images.length);
    if (takesImages && (await isFile(resolve(cwd, token)))) {
      images.push({ bytes: new Uint8Array(await readFile(resolve(cwd, token))), name: token });
    } else if (takesImages && looksLikePath(token) && !command.textOption) {
      return { ok: false, missing: token };
    } else {
      words.push(token);
    }
  }
  const input: CommandInput = {};
  let next = 0;
  for (const [i, option] of imageOptions.entries()) {
    if (option.type === 'image') {
      if (images[next]) input[option.name] = images[next];
      next += 1;
      continue;
    }
    // The last list takes everything left, so the command can say "too many".
    const take = i === imageOptions.length - 1 ? images.length - next : (option.max ?? images.length - next);
    const slice = images.slice(next, next + take);
    if (slice.length > 0) input[option.name] = slice;
    next += take;
  }
  if (command.textOption) {
    // Keep the prompt as typed (quotes included) unless leading words were image files.
    const text = images.length > 0 ? words.join(' ') : rest.trim();
    if (text) input[command.textOption] = text;
    return { ok: true, input };
  }
  for (const option of command.options) {
    if (option.type === 'choice') {
      const index = words.findIndex((w) => option.choices?.some((c) => [c.value, c.name.en, c.name.zh].some((n) => n.toLowerCase() === w.toLowerCase())));
      const choice = option.choices?.find((c) => [c.value, c.name.en, c.name.zh].some((n) => n.toLowerCase() === (words[index] ?? '').toLowerCase()));
      if (index >= 0 && choice) {
        input[option.name] = choice.value;
        words.splice(index, 1);
      } else if (words.length > 0 && imageOptions.length > 0) {
        // An unknown word where only a choice fits: let the command explain the choices.
        input[option.name] = words.shift();
      }
    } else if (option.type === 'string' && words.length > 0) {
      input[option.name] = words.join(' ');
      words.length = 0;
    } else if (option.type === 'integer' && words.length > 0) {
      input[option.name] = Number(words.shift());
    }
  }
  return { ok: true, input };
}

/** Words that name emoji-only buttons. */
const ALIASES: Record<string, string> = { reroll: '🔄', redo: '🔄', left: '⬅️', right: '➡️', up: '⬆️', down: '⬇️' };

/** Compare labels loosely: case, the ✓ of a current choice, keycaps (1️⃣ = 1) and spacing don't matter. */
export function normaliseLabel(text: string): string {
  return text.toLowerCase().replace(/^✓\s*/, '').replace(/[\uFE0F\u20E3]/g, '').replace(/\s+/g, ' ').trim();
}

/** A button whose label or emoji (or alias) is `typed`. */
export function matchButton(rows: ButtonView[][], typed: string): ButtonView | undefined {
  const wanted = normaliseLabel(ALIASES[normaliseLabel(typed)] ?? typed);
  if (!wanted) return undefined;
  for (const row of rows) {
    for (const button of row) {
      if (normaliseLabel(button.label) === wanted || (button.emoji && normaliseLabel(button.emoji) === wanted)) return button;
    }
  }
  return undefined;
}

/** A typed form answer: the prompt, or for Vary (Region) an area (number/id) or mask file plus an optional prompt. */
export async function formAnswer(form: FormView, text: string): Promise<FormAnswer> {
  const regions = form.regions ?? [];
  if (!form.acceptsMask && regions.length === 0) return text ? { prompt: text } : {};
  const [first = '', ...rest] = text.split(/\s+/);
  const prompt = rest.join(' ').trim() || undefined;
  const byNumber = /^\d+$/.test(first) ? regions[Number(first) - 1] : undefined;
  const region = byNumber ?? regions.find((r) => r.id === first.toLowerCase());
  if (region) return { region: region.id, prompt };
  if (first && (await isFile(first))) return { mask: new Uint8Array(await readFile(first)), prompt };
  return text ? { region: first, prompt } : {};
}
