/**
 * Button sets exactly as the real proxies report them (docs/protocol.md#buttons),
 * and the mapping from a pressed customId to what the proxy does with it.
 */
import { randomUUID } from 'node:crypto';
import type { ResultKind, SimButton } from './types.js';

const KEYCAPS = ['1️⃣', '2️⃣', '3️⃣', '4️⃣', '5️⃣'];

function button(customId: string, label: string, emoji = '', style = 2): SimButton {
  return { customId, emoji, label, type: 2, style };
}

/** U1–U4, reroll, V1–V4 on a 2×2 grid. */
export function gridButtons(uuid: string): SimButton[] {
  const ups = [1, 2, 3, 4].map((n) => button(`MJ::JOB::upsample::${n}::${uuid}`, `U${n}`));
  const vars = [1, 2, 3, 4].map((n) => button(`MJ::JOB::variation::${n}::${uuid}`, `V${n}`));
  return [...ups, button(`MJ::JOB::reroll::0::${uuid}::SOLO`, '', '🔄'), ...vars];
}

/** Buttons under a single upscaled image (v7 style). */
export function soloButtons(uuid: string): SimButton[] {
  return [
    button(`MJ::JOB::upsample_v7_2x_subtle::1::${uuid}::SOLO`, 'Upscale (Subtle)', 'upscale_1'),
    button(`MJ::JOB::upsample_v7_2x_creative::1::${uuid}::SOLO`, 'Upscale (Creative)', 'upscale_1'),
    button(`MJ::JOB::low_variation::1::${uuid}::SOLO`, 'Vary (Subtle)', '🪄'),
    button(`MJ::JOB::high_variation::1::${uuid}::SOLO`, 'Vary (Strong)', '🪄'),
    button(`MJ::Inpaint::1::${uuid}::SOLO`, 'Vary (Region)', '🖌️'),
    button(`MJ::Outpaint::50::1::${uuid}::SOLO`, 'Zoom Out 2x', '🔍'),
    button(`MJ::Outpaint::75::1::${uuid}::SOLO`, 'Zoom Out 1.5x', '🔍'),
    button(`MJ::CustomZoom::${uuid}`, 'Custom Zoom', '🔍'),
    button(`MJ::JOB::pan_left::1::${uuid}::SOLO`, '', '⬅️'),
    button(`MJ::JOB::pan_right::1::${uuid}::SOLO`, '', '➡️'),
    button(`MJ::JOB::pan_up::1::${uuid}::SOLO`, '', '⬆️'),
    button(`MJ::JOB::pan_down::1::${uuid}::SOLO`, '', '⬇️'),
    // v7 upscales can be animated into a video job (docs/protocol.md#video).
    button(`MJ::JOB::animate_high::1::${uuid}::SOLO`, 'Animate (High motion)'),
    button(`MJ::JOB::animate_low::1::${uuid}::SOLO`, 'Animate (Low motion)'),
    button(`MJ::BOOKMARK::${uuid}`, '', '❤️'),
  ];
}

/** After an Upscale (Subtle/Creative). */
export function soloHdButtons(uuid: string): SimButton[] {
  return [
    button(`MJ::JOB::low_variation::1::${uuid}::SOLO`, 'Vary (Subtle)', '🪄'),
    button(`MJ::JOB::high_variation::1::${uuid}::SOLO`, 'Vary (Strong)', '🪄'),
    button(`MJ::BOOKMARK::${uuid}`, '', '❤️'),
  ];
}

export function describeButtons(): SimButton[] {
  return [...[1, 2, 3, 4].map((n) => button(`MJ::Job::PicReader::${n}`, '', KEYCAPS[n - 1])), button('MJ::Picread::Retry', '', '🔄')];
}

export function shortenButtons(): SimButton[] {
  return [
    ...[1, 2, 3, 4, 5].map((n) => button(`MJ::Job::PromptAnalyzer::${n}`, '', KEYCAPS[n - 1])),
    button('MJ::Job::PromptAnalyzer::show_details', 'Show Details'),
  ];
}

/** trueai video result: virtual upscales of the 4 clips. */
export function videoButtons(uuid: string): SimButton[] {
  return [1, 2, 3, 4].map((n) => button(`MJ::JOB::video_virtual_upscale::${n}::${uuid}`, `U${n}`));
}

export function videoSoloButtons(uuid: string): SimButton[] {
  return [
    button(`MJ::JOB::animate_high_extend::1::${uuid}`, 'Extend (High motion)', '🎞️'),
    button(`MJ::JOB::animate_low_extend::1::${uuid}`, 'Extend (Low motion)', '🎞️'),
  ];
}

/** Buttons for a finished task of this kind, with a fresh image uuid. */
export function buttonsFor(kind: ResultKind, uuid: string = randomUUID()): SimButton[] {
  switch (kind) {
    case 'grid': return gridButtons(uuid);
    case 'solo': return soloButtons(uuid);
    case 'solo-hd': return soloHdButtons(uuid);
    case 'describe': return describeButtons();
    case 'shorten': case 'shorten-details': return shortenButtons();
    case 'video': return videoButtons(uuid);
    case 'video-solo': return videoSoloButtons(uuid);
    case 'single': return [];
  }
}

/** What pressing a customId does. `null` = not a button the proxy knows. */
export interface ActionPlan {
  /** Action of the new task (trueai naming; new-api uses `relayAction`). */
  action: string;
  relayAction: string;
  resultKind: ResultKind;
  /** Needs /mj/submit/modal always, or only in remix mode. */
  modal: 'always' | 'remix' | 'never';
  modalKind: 'custom-zoom' | 'inpaint' | 'prompt' | null;
  /** 1-based grid cell for upsample/variation, PicReader/PromptAnalyzer index. */
  index: number;
  /** Short label used in the task description ("/up <id> U1"). */
  shortName: string;
}

/** Classify a customId the way trueai's SubmitController.Action and new-api's CoverPlusActionToNormalAction do. */
export function planAction(customId: string): ActionPlan | null {
  const parts = customId.split('::');
  const plan = (action: string, relayAction: string, resultKind: ResultKind, modal: ActionPlan['modal'], index: number, shortName: string,
    modalKind: ActionPlan['modalKind'] = modal === 'never' ? null : 'prompt'): ActionPlan =>
    ({ action, relayAction, resultKind, modal, modalKind, index, shortName });
  if (parts[0] !== 'MJ') return null;
  const family = parts[1];
  if (family === 'JOB') {
    const op = parts[2] ?? '';
    const index = Number(parts[3] ?? '1') || 1;
    if (op === 'upsample') return plan('UPSCALE', 'UPSCALE', 'solo', 'never', index, `U${index}`);
    if (op.startsWith('upsample_')) return plan('UPSCALE_HD', 'UPSCALE', 'solo-hd', 'never', 1, op.includes('creative') ? 'Upscale (Creative)' : 'Upscale (Subtle)');
    if (op === 'variation') return plan('VARIATION', 'VARIATION', 'grid', 'remix', index, `V${index}`);
    if (op === 'low_variation') return plan('VARIATION', 'LOW_VARIATION', 'grid', 'remix', 1, 'Vary (Subtle)');
    if (op === 'high_variation') return plan('VARIATION', 'HIGH_VARIATION', 'grid', 'remix', 1, 'Vary (Strong)');
    if (op === 'reroll') return plan('REROLL', 'REROLL', 'grid', 'remix', 0, 'R');
    if (op.startsWith('pan_')) return plan('PAN', 'PAN', 'grid', 'remix', 1, op);
    if (op === 'video_virtual_upscale') return plan('UPSCALE', 'UPSCALE', 'video-solo', 'never', index, `U${index}`);
    if (op.startsWith('animate_')) return plan('VIDEO', 'VIDEO', 'video', 'never', 1, op);
    return null;
  }
  if (family === 'Outpaint') return plan('ZOOM', 'ZOOM', 'grid', 'never', 1, `Zoom Out ${parts[2] === '50' ? '2x' : '1.5x'}`);
  if (family === 'CustomZoom') return plan('ZOOM', 'CUSTOM_ZOOM', 'grid', 'always', 1, 'Custom Zoom', 'custom-zoom');
  if (family === 'Inpaint') return plan('VARIATION', 'INPAINT', 'grid', 'always', 1, 'Vary (Region)', 'inpaint');
  if (family === 'BOOKMARK') return plan('BOOKMARK', 'BOOKMARK', 'single', 'never', 1, 'Bookmark');
  if (family === 'Picread' && parts[2] === 'Retry') return plan('DESCRIBE', 'DESCRIBE', 'describe', 'never', 1, 'Retry');
  if (family === 'Job' && parts[2] === 'PicReader') {
    const n = Number(parts[3]);
    return Number.isInteger(n) && n >= 1 && n <= 4 ? plan('IMAGINE', 'IMAGINE', 'grid', 'always', n, `PicReader ${n}`) : null;
  }
  if (family === 'Job' && parts[2] === 'PromptAnalyzer') {
    if (parts[3] === 'show_details') return plan('SHORTEN', 'SHORTEN', 'shorten-details', 'never', 0, 'Show Details');
    const n = Number(parts[3]);
    return Number.isInteger(n) && n >= 1 && n <= 5 ? plan('IMAGINE', 'IMAGINE', 'grid', 'always', n, `PromptAnalyzer ${n}`) : null;
  }
  return null;
}

/** new-api only knows customIds containing these keywords (docs/protocol.md#flavour-differences); everything else is `unknown_action`. */
export function newApiKnowsCustomId(customId: string): boolean {
  const family = customId.split('::')[1] ?? '';
  if (family === 'Job' || family === 'Picread' || family === 'BOOKMARK') return false;
  if (/animate|video/.test(customId)) return false;
  return /upsample|variation|pan_|reroll|Outpaint|CustomZoom|Inpaint/.test(customId);
}
