import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeButton, layoutButtons, type ButtonInfo } from '../../src/core/domain/buttons/index.js';
import { coreCatalogue } from '../../src/core/domain/i18n/index.js';
import { ButtonSchema, type Button } from '../../src/mj/schemas.js';
import { buttonsFor } from '../../src/sim/buttons.js';

const U = '81b242ce-ab3e-4d9c-ad5f-8051084f1736';
const root = new URL('../fixtures/mj/buttons/', import.meta.url);
const loadButtons = (name: string): Button[] =>
  (JSON.parse(readFileSync(fileURLToPath(new URL(name, root)), 'utf8')) as unknown[]).map((b) => ButtonSchema.parse(b));
const btn = (customId: string, label = '', emoji = '', style = 2): Button => ButtonSchema.parse({ customId, label, emoji, style, type: 2 });
const all = (): boolean => true;
/** What a user sees on each laid-out button: the label, or the emoji for emoji-only buttons. */
const faces = (rows: ButtonInfo[][]): string[][] => rows.map((row) => row.map((b) => b.label || b.emoji || ''));

// Every row of the button table (docs/protocol.md#buttons): [customId, proxy label, proxy emoji, kind, shown label, shown emoji, index, form]
type Row = [string, string, string, ButtonInfo['kind'], string, string | undefined, number | undefined, ButtonInfo['form']];
const SPEC_TABLE: Row[] = [
  [`MJ::JOB::upsample::1::${U}`, 'U1', '', 'upscale', 'U1', undefined, 1, undefined],
  [`MJ::JOB::upsample::4::${U}`, '', '', 'upscale', 'U4', undefined, 4, undefined],
  [`MJ::JOB::variation::3::${U}`, 'V3', '', 'variation', 'V3', undefined, 3, undefined],
  [`MJ::JOB::reroll::0::${U}::SOLO`, '', '🔄', 'reroll', '', '🔄', undefined, undefined],
  [`MJ::JOB::upsample_v6_2x_subtle::1::${U}::SOLO`, 'Upscale (Subtle)', 'upscale_1', 'upscale_hd', 'Upscale (Subtle)', undefined, undefined, undefined],
  [`MJ::JOB::upsample_v6_2x_creative::1::${U}::SOLO`, '', 'upscale_1', 'upscale_hd', 'Upscale (Creative)', undefined, undefined, undefined],
  [`MJ::JOB::upsample_v7_2x_subtle::1::${U}::SOLO`, '', '', 'upscale_hd', 'Upscale (Subtle)', undefined, undefined, undefined],
  [`MJ::JOB::upsample_v7_2x_creative::1::${U}::SOLO`, 'Upscale (Creative)', '', 'upscale_hd', 'Upscale (Creative)', undefined, undefined, undefined],
  [`MJ::JOB::upsample_v6r1_2x_subtle::1::${U}::SOLO`, '', '', 'upscale_hd', 'Upscale (Subtle)', undefined, undefined, undefined],
  [`MJ::JOB::upsample_v6r1_2x_creative::1::${U}::SOLO`, '', '', 'upscale_hd', 'Upscale (Creative)', undefined, undefined, undefined],
  [`MJ::JOB::upsample_v5_2x::1::${U}::SOLO`, '', '', 'upscale_hd', 'Upscale (2x)', undefined, undefined, undefined],
  [`MJ::JOB::upsample_v5_4x::1::${U}::SOLO`, '', '', 'upscale_hd', 'Upscale (4x)', undefined, undefined, undefined],
  [`MJ::JOB::upsample_v5_2x::1::${U}::SOLO`, 'Redo Upscale (2x)', '', 'upscale_hd', 'Redo Upscale (2x)', undefined, undefined, undefined],
  [`MJ::JOB::upsample_max::1::${U}::SOLO`, 'Upscale to Max', '', 'upscale_hd', 'Upscale to Max', undefined, undefined, undefined],
  [`MJ::JOB::low_variation::1::${U}::SOLO`, 'Vary (Subtle)', '🪄', 'vary_subtle', 'Vary (Subtle)', '🪄', undefined, undefined],
  [`MJ::JOB::high_variation::1::${U}::SOLO`, '', '', 'vary_strong', 'Vary (Strong)', '🪄', undefined, undefined],
  [`MJ::Inpaint::1::${U}::SOLO`, 'Vary (Region)', '🖌️', 'vary_region', 'Vary (Region)', '🖌️', undefined, 'region'],
  [`MJ::Outpaint::50::1::${U}::SOLO`, '', '', 'zoom_out', 'Zoom Out 2x', '🔍', undefined, undefined],
  [`MJ::Outpaint::75::1::${U}::SOLO`, 'Zoom Out 1.5x', '🔍', 'zoom_out', 'Zoom Out 1.5x', '🔍', undefined, undefined],
  [`MJ::Outpaint::100::1::${U}::SOLO`, '', '', 'zoom_out', 'Make Square', '🔍', undefined, undefined],
  [`MJ::CustomZoom::${U}`, 'Custom Zoom', '🔍', 'custom_zoom', 'Custom Zoom', '🔍', undefined, 'zoom'],
  [`MJ::JOB::pan_left::1::${U}::SOLO`, '', '⬅️', 'pan', '', '⬅️', undefined, undefined],
  [`MJ::JOB::pan_right::1::${U}::SOLO`, '', '', 'pan', '', '➡️', undefined, undefined],
  [`MJ::JOB::pan_up::1::${U}::SOLO`, '', '', 'pan', '', '⬆️', undefined, undefined],
  [`MJ::JOB::pan_down::1::${U}::SOLO`, '', '⬇️', 'pan', '', '⬇️', undefined, undefined],
  [`MJ::JOB::animate_high::1::${U}::SOLO`, 'Animate (High motion)', '', 'animate', 'Animate (High motion)', undefined, undefined, undefined],
  [`MJ::JOB::animate_low::1::${U}::SOLO`, '', '', 'animate', 'Animate (Low motion)', undefined, undefined, undefined],
  [`MJ::JOB::video_virtual_upscale::2::${U}`, 'U2', '', 'video_upscale', 'U2', undefined, 2, undefined],
  [`MJ::JOB::animate_high_extend::1::${U}`, 'Extend (High motion)', '🎞️', 'video_extend', 'Extend (High motion)', '🎞️', undefined, undefined],
  [`MJ::JOB::animate_low_extend::1::${U}`, '', '', 'video_extend', 'Extend (Low motion)', '🎞️', undefined, undefined],
  [`MJ::BOOKMARK::${U}`, '', '', 'bookmark', '', '❤️', undefined, undefined],
  ['MJ::Job::PicReader::1', '', '1️⃣', 'pic_reader', '1️⃣', undefined, 1, 'prompt'],
  ['MJ::Job::PicReader::4', '', '', 'pic_reader', '4️⃣', undefined, 4, 'prompt'],
  ['MJ::Job::PicReader::all', '🎉Imagine all', '', 'pic_reader_all', '🎉Imagine all', undefined, undefined, undefined],
  ['MJ::Picread::Retry', '', '\u1F504', 'describe_retry', '', '🔄', undefined, undefined],
  ['MJ::Job::PromptAnalyzer::1', '', '1️⃣', 'prompt_analyzer', '1️⃣', undefined, 1, 'prompt'],
  ['MJ::JOB::PromptAnalyzer::5', '', '', 'prompt_analyzer', '5️⃣', undefined, 5, 'prompt'],
  ['MJ::Job::PromptAnalyzer::show_details', 'Show Details', '', 'show_details', 'Show Details', undefined, undefined, undefined],
  ['something-the-proxy-made-up', 'Show Details', '', 'show_details', 'Show Details', undefined, undefined, undefined],
  [`MJ::JOB::variation::1::${U}::SOLO`, 'Make Variations', '', 'variation', 'Make Variations', undefined, 1, undefined],
  [`MJ::JOB::remaster::1::${U}::SOLO`, 'Remaster', '', 'unknown', 'Remaster', undefined, undefined, undefined],
  ['MJ::CancelJob::ByJobid::1234', 'Cancel Job', '', 'unknown', 'Cancel Job', undefined, undefined, undefined],
];

describe('describeButton', () => {
  it.each(SPEC_TABLE)('recognises %s', (customId, label, emoji, kind, shownLabel, shownEmoji, index, form) => {
    const info = describeButton({ customId, label, emoji, style: 2 });
    expect(info).toMatchObject({ kind, customId, label: shownLabel, form, style: 'secondary' });
    expect(info.emoji).toBe(shownEmoji);
    expect(info.index).toBe(index);
  });

  it('keeps the proxy label of an unknown button and never alters the customId', () => {
    const customId = 'MJ::JOB::brand_new_thing::7::whatever::SOLO';
    const info = describeButton({ customId, label: 'Brand New', emoji: '✨' });
    expect(info).toMatchObject({ kind: 'unknown', customId, label: 'Brand New', emoji: '✨', form: undefined });
  });

  it('drops Discord custom emoji names and broken escapes, keeping unicode emoji', () => {
    expect(describeButton({ customId: `MJ::JOB::upsample_v6_2x_subtle::1::${U}::SOLO`, emoji: 'upscale_1' }).emoji).toBeUndefined();
    expect(describeButton({ customId: 'x', label: 'X', emoji: '<:upscale_1:1122334455>' }).emoji).toBeUndefined();
    expect(describeButton({ customId: 'x', label: 'X', emoji: '\u1F504' }).emoji).toBeUndefined();
    expect(describeButton({ customId: 'x', label: 'X', emoji: '👨‍👩‍👧' }).emoji).toBe('👨‍👩‍👧');
  });

  it('never produces a blank button, even for an unknown id with no label and no emoji', () => {
    const info = describeButton({ customId: 'MJ::Mystery::1', label: '', emoji: '' });
    expect(info.label || info.emoji).toBeTruthy();
  });

  it("maps the proxy's Discord style numbers", () => {
    const styles = [1, 2, 3, 4, 9].map((style) => describeButton({ customId: `MJ::JOB::upsample::1::${U}`, style }).style);
    expect(styles).toEqual(['primary', 'secondary', 'success', 'danger', 'secondary']);
  });

  it('describes buttons in the user\'s language', () => {
    const u2 = describeButton({ customId: `MJ::JOB::upsample::2::${U}`, label: 'U2' });
    expect(u2.hint('en')).toBe('Upscale image 2');
    expect(u2.hint('zh')).toBe('放大第 2 张图');
    expect(describeButton({ customId: `MJ::JOB::pan_left::1::${U}::SOLO` }).hint('en')).toBe('Extend the image to the left');
    expect(describeButton({ customId: 'weird', label: 'Weird' }).hint('en')).toContain('Weird');
  });

  it('has an English and a Chinese hint for every recognised button', () => {
    for (const [customId, label] of SPEC_TABLE) {
      const info = describeButton({ customId, label });
      for (const locale of ['en', 'zh'] as const) {
        const hint = info.hint(locale);
        expect(hint, `${customId} ${locale}`).not.toMatch(/^button\.|\{/);
        expect(hint.length).toBeGreaterThan(3);
      }
    }
    expect(coreCatalogue.has('button.upscale')).toBe(true);
  });
});

describe('layoutButtons', () => {
  it('lays out a grid like Midjourney: U1–U4 and reroll, then V1–V4', () => {
    const rows = layoutButtons(loadButtons('grid-imagine.json'), all);
    expect(faces(rows)).toEqual([['U1', 'U2', 'U3', 'U4', '🔄'], ['V1', 'V2', 'V3', 'V4']]);
    expect(rows.flat().map((b) => b.kind)).toEqual([...Array(4).fill('upscale'), 'reroll', ...Array(4).fill('variation')]);
  });

  it('lays out a v6 upscale in four rows: upscale, vary, zoom, pan', () => {
    const rows = layoutButtons(loadButtons('upscale-v6-solo.json'), all);
    expect(faces(rows)).toEqual([
      ['Upscale (Subtle)', 'Upscale (Creative)'],
      ['Vary (Subtle)', 'Vary (Strong)', 'Vary (Region)'],
      ['Zoom Out 2x', 'Zoom Out 1.5x', 'Custom Zoom'],
      ['⬅️', '➡️', '⬆️', '⬇️'],
    ]);
    expect(rows[0]?.every((b) => b.emoji === undefined)).toBe(true);
  });

  it('lays out a v7 upscale with animate and bookmark last, and hides bookmark when it cannot be pressed', () => {
    const buttons = loadButtons('upscale-v7-solo.json');
    const shown = layoutButtons(buttons, all);
    expect(shown).toHaveLength(5);
    expect(faces(shown)[4]).toEqual(['Animate (High motion)', 'Animate (Low motion)', '❤️']);
    expect(shown[1]?.map((b) => b.style)).toEqual(['secondary', 'primary', 'secondary']);
    const hidden = layoutButtons(buttons, (id) => !id.startsWith('MJ::BOOKMARK::'));
    expect(faces(hidden)[4]).toEqual(['Animate (High motion)', 'Animate (Low motion)']);
    expect(hidden.flat().some((b) => b.kind === 'bookmark')).toBe(false);
  });

  it('lays out describe results as keycaps and retry, with a repaired retry emoji', () => {
    const rows = layoutButtons(loadButtons('describe-trueai-synthesized.json'), all);
    expect(faces(rows)).toEqual([['1️⃣', '2️⃣', '3️⃣', '4️⃣', '🔄']]);
    expect(rows[0]?.slice(0, 4).every((b) => b.form === 'prompt')).toBe(true);
    const withAll = layoutButtons([...loadButtons('describe-trueai-synthesized.json'), btn('MJ::Job::PicReader::all', '🎉Imagine all')], all);
    expect(faces(withAll)).toEqual([['1️⃣', '2️⃣', '3️⃣', '4️⃣', '🔄'], ['🎉Imagine all']]);
  });

  it('hides PicReader buttons behind a relay that rejects them', () => {
    const rows = layoutButtons(loadButtons('describe-trueai-synthesized.json'), (id) => !id.includes('PicReader'));
    expect(faces(rows)).toEqual([['🔄']]);
  });

  it('lays out shorten results as five keycaps, then Show Details', () => {
    expect(faces(layoutButtons(buttonsFor('shorten'), all))).toEqual([['1️⃣', '2️⃣', '3️⃣', '4️⃣', '5️⃣'], ['Show Details']]);
  });

  it('lays out video results: clip upscales, then extend buttons after a clip upscale', () => {
    expect(faces(layoutButtons(buttonsFor('video', U), all))).toEqual([['U1', 'U2', 'U3', 'U4']]);
    expect(faces(layoutButtons(buttonsFor('video-solo', U), all))).toEqual([['Extend (High motion)', 'Extend (Low motion)']]);
  });

  it('never shows Cancel Job buttons, even when the proxy would accept them', () => {
    const rows = layoutButtons([...buttonsFor('grid', U), btn('MJ::CancelJob::ByJobid::99', 'Cancel')], all);
    expect(rows.flat().map((b) => b.customId)).not.toContain('MJ::CancelJob::ByJobid::99');
  });

  it('puts unknown buttons after the Midjourney rows and drops rows beyond the fifth', () => {
    const extra = Array.from({ length: 30 }, (_, i) => btn(`MJ::Future::${i}`, `F${i}`));
    const rows = layoutButtons([...extra.slice(0, 2), ...buttonsFor('grid', U)], all);
    expect(faces(rows)).toEqual([['U1', 'U2', 'U3', 'U4', '🔄'], ['V1', 'V2', 'V3', 'V4'], ['F0', 'F1']]);
    const crowded = layoutButtons(extra, all);
    expect(crowded).toHaveLength(5);
    expect(crowded.flat().map((b) => b.label)).toEqual(extra.slice(0, 25).map((b) => b.label));
  });

  it('shows a button only once when the proxy repeats it', () => {
    const grid = buttonsFor('grid', U);
    expect(layoutButtons([...grid, ...grid], all).flat()).toHaveLength(9);
  });

  it('gives the same layout whatever order the proxy lists known buttons in', () => {
    const solo = buttonsFor('solo', U).map((b) => ButtonSchema.parse(b));
    const reference = faces(layoutButtons(solo, all));
    fc.assert(fc.property(fc.shuffledSubarray(solo, { minLength: solo.length, maxLength: solo.length }), (shuffled) => {
      expect(faces(layoutButtons(shuffled, all))).toEqual(reference);
    }));
  });

  it('respects the chat limits and canPress for any mix of buttons', () => {
    const patterns = SPEC_TABLE.map(([customId, label, emoji]) => btn(customId, label, emoji));
    const anyButton = fc.oneof(
      fc.constantFrom(...patterns),
      fc.record({ id: fc.string({ minLength: 1, maxLength: 90 }), label: fc.string({ maxLength: 20 }) }).map(({ id, label }) => btn(id, label)),
    );
    fc.assert(fc.property(fc.array(anyButton, { maxLength: 40 }), fc.func(fc.boolean()), (buttons, allow) => {
      const canPress = (id: string): boolean => allow(id);
      const rows = layoutButtons(buttons, canPress);
      expect(rows.length).toBeLessThanOrEqual(5);
      const ids = rows.flat().map((b) => b.customId);
      expect(new Set(ids).size).toBe(ids.length);
      for (const row of rows) {
        expect(row.length).toBeGreaterThan(0);
        expect(row.length).toBeLessThanOrEqual(5);
        for (const b of row) {
          expect(canPress(b.customId)).toBe(true);
          expect(buttons.some((input) => input.customId === b.customId)).toBe(true);
          expect(b.label || b.emoji).toBeTruthy();
        }
      }
    }));
  });

  it('recognises every sample button the proxies are known to send', () => {
    const files = readdirSync(fileURLToPath(root)).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files) {
      for (const b of loadButtons(file)) expect(describeButton(b).kind, `${file} ${b.customId}`).not.toBe('unknown');
    }
    for (const kind of ['grid', 'solo', 'solo-hd', 'describe', 'shorten', 'video', 'video-solo'] as const) {
      for (const b of buttonsFor(kind, U)) expect(describeButton(b).kind, b.customId).not.toBe('unknown');
    }
  });
});
