/**
 * The compact ("direct") codec form: a table of well-known customId shapes, so a payload can
 * carry an opcode + grid index + 16-byte uuid instead of the 50–80 character customId.
 *
 * APPEND-ONLY: a template's position is its opcode, and payloads already sent to chats must
 * still decode after an upgrade. Never reorder, edit or remove an entry.
 */

/** `{i}` = one digit 0-9, `{u}` = a lower-case canonical uuid. Everything else is literal. */
const TEMPLATES: readonly string[] = [
  'MJ::JOB::upsample::{i}::{u}', // 0
  'MJ::JOB::variation::{i}::{u}',
  'MJ::JOB::reroll::{i}::{u}::SOLO',
  'MJ::JOB::upsample_v5_2x::{i}::{u}::SOLO',
  'MJ::JOB::upsample_v5_4x::{i}::{u}::SOLO',
  'MJ::JOB::upsample_v6_2x_subtle::{i}::{u}::SOLO', // 5
  'MJ::JOB::upsample_v6_2x_creative::{i}::{u}::SOLO',
  'MJ::JOB::upsample_v6r1_2x_subtle::{i}::{u}::SOLO',
  'MJ::JOB::upsample_v6r1_2x_creative::{i}::{u}::SOLO',
  'MJ::JOB::upsample_v7_2x_subtle::{i}::{u}::SOLO',
  'MJ::JOB::upsample_v7_2x_creative::{i}::{u}::SOLO', // 10
  'MJ::JOB::upsample_max::{i}::{u}::SOLO',
  'MJ::JOB::low_variation::{i}::{u}::SOLO',
  'MJ::JOB::high_variation::{i}::{u}::SOLO',
  'MJ::Inpaint::{i}::{u}::SOLO',
  'MJ::Outpaint::50::{i}::{u}::SOLO', // 15
  'MJ::Outpaint::75::{i}::{u}::SOLO',
  'MJ::Outpaint::100::{i}::{u}::SOLO',
  'MJ::CustomZoom::{u}',
  'MJ::JOB::pan_left::{i}::{u}::SOLO',
  'MJ::JOB::pan_right::{i}::{u}::SOLO', // 20
  'MJ::JOB::pan_up::{i}::{u}::SOLO',
  'MJ::JOB::pan_down::{i}::{u}::SOLO',
  'MJ::JOB::animate_high::{i}::{u}::SOLO',
  'MJ::JOB::animate_low::{i}::{u}::SOLO',
  'MJ::JOB::video_virtual_upscale::{i}::{u}', // 25
  'MJ::JOB::animate_high_extend::{i}::{u}',
  'MJ::JOB::animate_low_extend::{i}::{u}',
  'MJ::BOOKMARK::{u}',
  'MJ::Job::PicReader::{i}',
  'MJ::Job::PicReader::all', // 30
  'MJ::Picread::Retry',
  'MJ::Job::PromptAnalyzer::{i}',
  'MJ::JOB::PromptAnalyzer::{i}',
  'MJ::JOB::variation::{i}::{u}::SOLO',
  'MJ::JOB::upsample::{i}::{u}::SOLO', // 35
  'MJ::JOB::reroll::{i}::{u}',
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Compiled {
  /** The literal text before the first placeholder: a cheap test before the regex. */
  head: string;
  regex: RegExp;
  /** Placeholders in order of appearance. */
  slots: ('i' | 'u')[];
  pieces: string[];
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const COMPILED: Compiled[] = TEMPLATES.map((template) => {
  const pieces = template.split(/\{[iu]\}/);
  const slots = [...template.matchAll(/\{([iu])\}/g)].map((m) => m[1] as 'i' | 'u');
  const groups = slots.map((slot) => (slot === 'i' ? '([0-9])' : '([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})'));
  const source = pieces.map((piece, i) => escapeRegex(piece) + (groups[i] ?? '')).join('');
  return { head: pieces[0] ?? '', regex: new RegExp(`^${source}$`), slots, pieces };
});

const FIELD_BYTES = COMPILED.map((compiled) => compiled.slots.reduce((sum, slot) => sum + (slot === 'i' ? 1 : 16), 0));

/** Bytes a template's fields take: 1 per index digit, 16 per uuid. */
export function fieldBytes(opcode: number): number | undefined {
  return FIELD_BYTES[opcode];
}

/** customId → [opcode, packed fields], or undefined when no template reproduces it exactly. */
export function packCustomId(customId: string): [number, Buffer] | undefined {
  for (let opcode = 0; opcode < COMPILED.length; opcode++) {
    const compiled = COMPILED[opcode];
    if (!compiled || !customId.startsWith(compiled.head)) continue;
    const match = compiled.regex.exec(customId);
    if (!match) continue;
    const fields = Buffer.allocUnsafe(fieldBytes(opcode) ?? 0);
    let offset = 0;
    compiled.slots.forEach((slot, i) => {
      const value = match[i + 1] ?? '';
      if (slot === 'i') fields[offset++] = Number(value);
      else offset += fields.write(value.replaceAll('-', ''), offset, 'hex');
    });
    return [opcode, fields];
  }
  return undefined;
}

/** Inverse of `packCustomId`; undefined if the opcode or field bytes are not valid. */
export function unpackCustomId(opcode: number, fields: Buffer): string | undefined {
  const compiled = COMPILED[opcode];
  if (!compiled || fields.length !== fieldBytes(opcode)) return undefined;
  let offset = 0;
  const values: string[] = [];
  for (const slot of compiled.slots) {
    if (slot === 'i') {
      const digit = fields[offset++] ?? 255;
      if (digit > 9) return undefined;
      values.push(String(digit));
    } else {
      const hex = fields.subarray(offset, offset + 16).toString('hex');
      offset += 16;
      const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
      if (!UUID.test(uuid)) return undefined;
      values.push(uuid);
    }
  }
  return compiled.pieces.map((piece, i) => piece + (values[i] ?? '')).join('');
}

/** Number of templates (for tests). */
export const TEMPLATE_COUNT = TEMPLATES.length;
