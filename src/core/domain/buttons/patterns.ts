/**
 * Recognition of Midjourney proxy button customIds (docs/protocol.md#buttons; the ones that ask for input: #modal-flow). Pure classification:
 * the customId itself is never rebuilt or altered — callers keep it as an opaque string.
 */

export type ButtonKind =
  | 'upscale' | 'variation' | 'reroll' | 'upscale_hd' | 'vary_subtle' | 'vary_strong' | 'vary_region'
  | 'zoom_out' | 'custom_zoom' | 'pan' | 'animate' | 'bookmark' | 'pic_reader' | 'pic_reader_all'
  | 'describe_retry' | 'prompt_analyzer' | 'show_details' | 'video_upscale' | 'video_extend' | 'unknown';

/** Input the button always needs: Custom Zoom → zoom factor, Vary (Region) → mask, PicReader / PromptAnalyzer → prompt. */
export type FormNeed = 'zoom' | 'region' | 'prompt' | undefined;

/** What a customId means, before the proxy's label/emoji/style are merged in. */
export interface Recognised {
  kind: ButtonKind;
  index?: number;
  /** Label Midjourney shows when the proxy sent none ('' = emoji-only). */
  defaultLabel: string;
  defaultEmoji?: string;
  row: number;
  order: number;
  form: FormNeed;
  hintKey: string;
  hintVars?: Record<string, string | number>;
  /** Never shown by default (CancelJob). */
  hidden?: boolean;
}

/** Row for anything we do not recognise: after every Midjourney row. */
export const UNKNOWN_ROW = 5;

export const KEYCAPS = ['1️⃣', '2️⃣', '3️⃣', '4️⃣', '5️⃣'] as const;
const PAN_EMOJI: Record<string, string> = { left: '⬅️', right: '➡️', up: '⬆️', down: '⬇️' };
const PAN_ORDER = ['left', 'right', 'up', 'down'];
const ZOOM_OUT: Record<string, { label: string; order: number; hint: string }> = {
  '50': { label: 'Zoom Out 2x', order: 1, hint: 'button.zoom_out.2x' },
  '75': { label: 'Zoom Out 1.5x', order: 2, hint: 'button.zoom_out.1_5x' },
  '100': { label: 'Make Square', order: 3, hint: 'button.zoom_out.square' },
};

/** Small positive integer field ("1".."9"), else undefined. */
function smallIndex(field: string | undefined, max: number): number | undefined {
  if (!field || !/^[0-9]{1,2}$/.test(field)) return undefined;
  const n = Number(field);
  return n >= 1 && n <= max ? n : undefined;
}

function rec(kind: ButtonKind, fields: Omit<Recognised, 'kind' | 'form' | 'hintKey'> & { form?: FormNeed; hintKey?: string }): Recognised {
  return { kind, form: undefined, hintKey: `button.${kind}`, ...fields };
}

function unknown(label: string): Recognised {
  if (label.trim().toLowerCase() === 'show details') return showDetails();
  return rec('unknown', { defaultLabel: '', row: UNKNOWN_ROW, order: 0, hintKey: label.trim() ? 'button.unknown' : 'button.unknown_unlabeled', hintVars: { label: label.trim() } });
}

function showDetails(): Recognised {
  return rec('show_details', { defaultLabel: 'Show Details', row: 1, order: 1 });
}

/** Classify an upsample_* op (v5 2x/4x, v6/v6r1/v7 subtle/creative, max, anything newer). */
function upscaleHd(op: string): Recognised {
  const variants: [test: RegExp, label: string, order: number, hint: string][] = [
    [/subtle/, 'Upscale (Subtle)', 1, 'button.upscale_hd.subtle'],
    [/creative/, 'Upscale (Creative)', 2, 'button.upscale_hd.creative'],
    [/_2x/, 'Upscale (2x)', 3, 'button.upscale_hd.2x'],
    [/_4x/, 'Upscale (4x)', 4, 'button.upscale_hd.4x'],
    [/max/, 'Upscale to Max', 5, 'button.upscale_hd.max'],
  ];
  const hit = variants.find(([test]) => test.test(op));
  const [, label, order, hintKey] = hit ?? [null, 'Upscale', 6, 'button.upscale_hd.other'];
  return rec('upscale_hd', { defaultLabel: label, row: 0, order, hintKey });
}

/** `MJ::JOB::<op>::<index>::<uuid>[::SOLO]` and the `MJ::Job::PicReader|PromptAnalyzer::N` ids. */
function recogniseJob(parts: string[], label: string): Recognised {
  const op = parts[2] ?? '';
  const lower = op.toLowerCase();
  if (lower === 'picreader') {
    if (parts[3]?.toLowerCase() === 'all') return rec('pic_reader_all', { defaultLabel: '🎉Imagine all', row: 1, order: 1 });
    const n = smallIndex(parts[3], 4);
    if (n) return rec('pic_reader', { index: n, defaultLabel: KEYCAPS[n - 1] ?? '', row: 0, order: n, form: 'prompt', hintVars: { n } });
    return unknown(label);
  }
  if (lower === 'promptanalyzer') {
    const field = (parts[3] ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');
    if (field === 'showdetails') return showDetails();
    const n = smallIndex(parts[3], 5);
    if (n) return rec('prompt_analyzer', { index: n, defaultLabel: KEYCAPS[n - 1] ?? '', row: 0, order: n, form: 'prompt', hintVars: { n } });
    return unknown(label);
  }
  const index = smallIndex(parts[3], 4);
  const cell = (kind: ButtonKind, row: number, prefix: string): Recognised =>
    index ? rec(kind, { index, defaultLabel: `${prefix}${index}`, row, order: index, hintVars: { n: index } }) : unknown(label);
  switch (lower) {
    case 'upsample': return cell('upscale', 0, 'U');
    case 'variation': return cell('variation', 1, 'V');
    case 'video_virtual_upscale': return cell('video_upscale', 0, 'U');
    case 'reroll': return rec('reroll', { defaultLabel: '', defaultEmoji: '🔄', row: 0, order: 5 });
    case 'low_variation': return rec('vary_subtle', { defaultLabel: 'Vary (Subtle)', defaultEmoji: '🪄', row: 1, order: 1 });
    case 'high_variation': return rec('vary_strong', { defaultLabel: 'Vary (Strong)', defaultEmoji: '🪄', row: 1, order: 2 });
    case 'make_square': return rec('zoom_out', { defaultLabel: 'Make Square', defaultEmoji: '🔍', row: 2, order: 3, hintKey: 'button.zoom_out.square' });
    case 'animate_high':
    case 'animate_low': {
      const motion = lower.endsWith('high') ? 'high' : 'low';
      return rec('animate', { defaultLabel: `Animate (${motion === 'high' ? 'High' : 'Low'} motion)`, row: 4, order: motion === 'high' ? 1 : 2, hintKey: `button.animate.${motion}` });
    }
    case 'animate_high_extend':
    case 'animate_low_extend': {
      const motion = lower.startsWith('animate_high') ? 'high' : 'low';
      return rec('video_extend', { defaultLabel: `Extend (${motion === 'high' ? 'High' : 'Low'} motion)`, defaultEmoji: '🎞️', row: 4, order: motion === 'high' ? 3 : 4, hintKey: `button.video_extend.${motion}` });
    }
  }
  const pan = /^pan_(left|right|up|down)$/.exec(lower)?.[1];
  if (pan) return rec('pan', { defaultLabel: '', defaultEmoji: PAN_EMOJI[pan], row: 3, order: PAN_ORDER.indexOf(pan) + 1, hintKey: `button.pan.${pan}` });
  if (lower.startsWith('upsample_')) return upscaleHd(lower);
  return unknown(label);
}

/** Classify a customId; `label` (the proxy's) only matters for ids that carry no meaning themselves. */
export function recognise(customId: string, label = ''): Recognised {
  const parts = customId.split('::');
  if (parts[0] !== 'MJ' || parts.length < 2) return unknown(label);
  const family = (parts[1] ?? '').toLowerCase();
  switch (family) {
    case 'job': return recogniseJob(parts, label);
    case 'inpaint': return rec('vary_region', { defaultLabel: 'Vary (Region)', defaultEmoji: '🖌️', row: 1, order: 3, form: 'region' });
    case 'outpaint': {
      const zoom = ZOOM_OUT[parts[2] ?? ''];
      if (!zoom) return unknown(label);
      return rec('zoom_out', { defaultLabel: zoom.label, defaultEmoji: '🔍', row: 2, order: zoom.order, hintKey: zoom.hint });
    }
    case 'customzoom': return rec('custom_zoom', { defaultLabel: 'Custom Zoom', defaultEmoji: '🔍', row: 2, order: 4, form: 'zoom' });
    case 'bookmark': return rec('bookmark', { defaultLabel: '', defaultEmoji: '❤️', row: 4, order: 5 });
    case 'picread':
      if (parts[2]?.toLowerCase() === 'retry') return rec('describe_retry', { defaultLabel: '', defaultEmoji: '🔄', row: 0, order: 6 });
      return unknown(label);
    case 'canceljob':
      return { ...unknown(label), hidden: true, hintKey: 'button.cancel_job' };
  }
  return unknown(label);
}
