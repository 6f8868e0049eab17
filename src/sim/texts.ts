/**
 * Text results the simulator fabricates: final prompts, /describe prompts, /shorten markdown.
 * Deterministic from their inputs so tests can compare runs.
 */
import { createHash } from 'node:crypto';

const KEYCAPS = ['1️⃣', '2️⃣', '3️⃣', '4️⃣', '5️⃣'];
const SUBJECTS = ['a lighthouse', 'a red fox', 'an old tram', 'a paper crane', 'a mountain lake', 'a neon street', 'a glass teapot', 'a sleeping cat'];
const STYLES = ['watercolor', 'cinematic lighting', 'isometric illustration', 'soft pastel tones', 'ukiyo-e print', 'film photograph', 'low poly render', 'oil painting'];
const MOODS = ['at dusk', 'in the fog', 'under a starry sky', 'on a rainy morning', 'in golden hour', 'in winter'];

function digest(seed: string): Buffer {
  return createHash('sha256').update(seed).digest();
}

/** MJ echoes the prompt with the model version appended when none was given. */
export function finalPromptOf(prompt: string): string {
  const trimmed = prompt.trim();
  return /(^|\s)--(v|version|niji)\b/.test(trimmed) ? trimmed : `${trimmed} --v 7`;
}

/** Four distinct described prompts for an image. */
export function describePrompts(seed: string): string[] {
  const d = digest(seed);
  const prompts: string[] = [];
  for (let i = 0; i < 4; i++) {
    const subject = SUBJECTS[((d[i] ?? 0) + i) % SUBJECTS.length];
    const style = STYLES[((d[i + 4] ?? 0) + i * 3) % STYLES.length];
    const mood = MOODS[((d[i + 8] ?? 0) + i) % MOODS.length];
    prompts.push(`${subject} ${mood}, ${style}, variant ${i + 1} --ar 1:1`);
  }
  return prompts;
}

/** Join numbered prompts the way the proxies do: "1️⃣ a\n\n2️⃣ b...". */
export function numbered(prompts: string[]): string {
  return prompts.map((p, i) => `${KEYCAPS[i] ?? `${i + 1}.`} ${p}`).join('\n\n');
}

/** Five progressively shorter versions of a prompt. */
export function shortenedPrompts(prompt: string): string[] {
  const words = prompt.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean);
  const result: string[] = [];
  for (let i = 0; i < 5; i++) {
    const keep = Math.max(1, Math.ceil(words.length * (1 - i * 0.18)));
    result.push(words.slice(0, keep).join(' ').replace(/[,;]+$/, ''));
  }
  return result;
}

/** `/shorten` result markdown (shape: docs/protocol.md#task-object). */
export function shortenMarkdown(prompt: string, details: boolean): string {
  const words = prompt.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean);
  const d = digest(prompt);
  const weights = words.map((_, i) => ((d[i % d.length] ?? 0) / 255));
  const tokens = words
    .map((w, i) => {
      const weight = weights[i] ?? 0;
      const shown = weight > 0.6 ? `**${w}**` : weight < 0.15 ? `~~${w}~~` : w;
      return details ? `${shown} (${weight.toFixed(2)})` : shown;
    })
    .join(' ');
  let body = `## Important tokens\n${tokens}\n`;
  if (details) {
    const bars = words
      .map((w, i) => ({ w, weight: weights[i] ?? 0 }))
      .sort((a, b) => b.weight - a.weight)
      .slice(0, 6)
      .map(({ w, weight }) => {
        const filled = Math.max(1, Math.round(weight * 10));
        return `${'█'.repeat(filled)}${'░'.repeat(10 - filled)} ${w}`;
      });
    body += `\n${bars.join('\n')}\n`;
  }
  return `${body}## Shortened prompts\n${numbered(shortenedPrompts(prompt))}`;
}

/** A stable numeric seed string for a task id (image-seed endpoint). */
export function seedOf(id: string): string {
  return String(digest(`seed:${id}`).readUInt32BE(0) % 4_294_967_295);
}

/** The first banned word found (word boundaries, case-insensitive), if any. */
export function findBannedWord(prompt: string, banned: readonly string[]): string | undefined {
  const lower = prompt.toLowerCase();
  return banned.find((word) => {
    const escaped = word.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return escaped.length > 0 && new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, 'u').test(lower);
  });
}

/** `--zoom <n>` value in a prompt, or undefined. */
export function zoomValue(prompt: string): number | undefined {
  const match = /(?:^|\s)--zoom\s+(\S+)/.exec(prompt);
  if (!match) return undefined;
  const value = Number(match[1]);
  return Number.isFinite(value) ? value : Number.NaN;
}

/** Speed mode requested inside the prompt (`--fast`, `--relax`, `--turbo`). */
export function promptMode(prompt: string): 'FAST' | 'RELAX' | 'TURBO' | undefined {
  const match = /(?:^|\s)--(fast|relax|turbo)\b/.exec(prompt);
  return match ? (match[1]?.toUpperCase() as 'FAST' | 'RELAX' | 'TURBO') : undefined;
}
