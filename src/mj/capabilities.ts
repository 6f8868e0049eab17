/**
 * What each proxy flavour can do (docs/protocol.md#endpoints, #flavour-differences).
 * Where a Plus endpoint is only vaguely documented (edits, video, cancel), it is allowed: the
 * proxy's own answer (404 → MJ_UNSUPPORTED) is then the judge.
 */

/** The four proxy families the client knows. */
export type Flavour = 'oss' | 'plus' | 'trueai' | 'newapi';

export interface Capabilities {
  flavour: Flavour;
  action: boolean;
  modal: boolean;
  /** Legacy /change and /simple-change. */
  change: boolean;
  listByCondition: boolean;
  shorten: boolean;
  imageSeed: boolean;
  faceSwap: boolean;
  upload: boolean;
  edits: boolean;
  video: boolean;
  cancel: boolean;
  /** A relay endpoint that re-signs a finished task's expired links (docs/protocol.md#refreshing-links). */
  refreshLink: boolean;
  /** false when the flavour strips `notifyHook` (new-api by default) — poll instead. */
  notifyHook: boolean;
  /** true if this flavour can execute a button with this customId. */
  canPress(customId: string): boolean;
}

type Flags = Omit<Capabilities, 'flavour' | 'canPress'>;

const FLAGS: Record<Flavour, Flags> = {
  oss: { action: false, modal: false, change: true, listByCondition: true, shorten: false, imageSeed: false, faceSwap: false, upload: false, edits: false, video: false, cancel: false, refreshLink: false, notifyHook: true },
  plus: { action: true, modal: true, change: true, listByCondition: true, shorten: true, imageSeed: true, faceSwap: true, upload: true, edits: true, video: true, cancel: true, refreshLink: false, notifyHook: true },
  trueai: { action: true, modal: true, change: false, listByCondition: true, shorten: true, imageSeed: true, faceSwap: true, upload: true, edits: true, video: true, cancel: true, refreshLink: false, notifyHook: true },
  newapi: { action: true, modal: true, change: true, listByCondition: true, shorten: true, imageSeed: true, faceSwap: true, upload: true, edits: true, video: true, cancel: false, refreshLink: true, notifyHook: false },
};

const isBookmark = (id: string) => /^MJ::BOOKMARK::/i.test(id);
const isPicReaderAll = (id: string) => /^MJ::Job::PicReader::all$/i.test(id);
const isPromptAnalyzer = (id: string) => /^MJ::JOB::PromptAnalyzer::/i.test(id);

/** OSS has no /action: only grid U/V and reroll, executed through /change. */
export function ossChangeFor(customId: string): { action: 'UPSCALE' | 'VARIATION' | 'REROLL'; index?: number } | undefined {
  const m = /^MJ::JOB::(upsample|variation|reroll)::(\d)::[^:]+(::SOLO)?$/.exec(customId);
  if (!m) return undefined;
  if (m[1] === 'reroll') return { action: 'REROLL' };
  if (m[3]) return undefined; // SOLO upsample/variation are not grid cells
  const index = Number(m[2]);
  if (index < 1 || index > 4) return undefined;
  return { action: m[1] === 'upsample' ? 'UPSCALE' : 'VARIATION', index };
}

/** new-api maps customIds to actions by keyword; anything else is `unknown_action` (docs/protocol.md#flavour-differences). */
function newapiAccepts(id: string): boolean {
  if (/^MJ::(Job|Picread)::/i.test(id) && !/^MJ::JOB::/.test(id)) return false; // PicReader, PromptAnalyzer, Picread::Retry
  if (/::(animate_|video_virtual_upscale)/.test(id)) return false;
  return ['upsample', 'variation', 'pan', 'reroll', 'Outpaint', 'CustomZoom', 'Inpaint'].some((k) => id.includes(k));
}

/** trueai HEAD accepts only the customIds its controller maps to an action (docs/protocol.md#flavour-differences). */
function trueaiAccepts(id: string): boolean {
  if (isPromptAnalyzer(id)) return false;
  if (/^MJ::JOB::(upsample|variation|low_variation|high_variation|reroll|pan_\w+|animate_\w+|video_virtual_upscale)/.test(id)) return true;
  return /^MJ::(Inpaint|Outpaint|CustomZoom)::/.test(id) || /^MJ::Picread::Retry$/.test(id) || /^MJ::Job::PicReader::/.test(id);
}

function canPressOn(flavour: Flavour, customId: string): boolean {
  if (!customId.startsWith('MJ::') || isBookmark(customId)) return false;
  switch (flavour) {
    case 'oss':
      return ossChangeFor(customId) !== undefined;
    case 'plus':
      return !isPicReaderAll(customId);
    case 'trueai':
      return trueaiAccepts(customId);
    case 'newapi':
      return newapiAccepts(customId);
  }
}

/** Static capabilities of a flavour. */
export function capabilitiesFor(flavour: Flavour): Capabilities {
  return { flavour, ...FLAGS[flavour], canPress: (customId: string) => canPressOn(flavour, customId) };
}
