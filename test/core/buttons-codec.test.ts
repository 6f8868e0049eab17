import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createButtonCodec, type ButtonCodec } from '../../src/core/domain/buttons/index.js';
import { openStore, type Namespace, type Store } from '../../src/runtime/store.js';
import { BotError } from '../../src/errors.js';

const SECRET = 'a-test-secret-that-is-long-enough';
const opened: Store[] = [];
async function memoryStore(): Promise<Store> {
  const store = await openStore('memory://');
  opened.push(store);
  return store;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

/** Wraps a store and counts what the codec does with it. */
function counting(inner: Store): Store & { reads: number; writes: { key: string; ttlMs?: number }[] } {
  return {
    kind: inner.kind,
    reads: 0,
    writes: [],
    async get<T>(ns: Namespace, key: string) { this.reads++; return inner.get<T>(ns, key); },
    async set<T>(ns: Namespace, key: string, value: T, ttlMs?: number) { this.writes.push({ key, ttlMs }); return inner.set(ns, key, value, ttlMs); },
    delete: (ns, key) => inner.delete(ns, key),
    async write(ops) { for (const op of ops) if (!('delete' in op)) this.writes.push({ key: op.key, ttlMs: op.ttlMs }); return inner.write(ops); },
    entries: (ns) => inner.entries(ns),
    transact: (keys, body) => inner.transact(keys, body),
    close: () => inner.close(),
  };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'decoded';
  } catch (err) {
    return err instanceof BotError ? err.code : `not a BotError: ${String(err)}`;
  }
}

/** Every customId shape of docs/protocol.md#buttons for one image uuid. */
const specIds = (u: string, n: number): string[] => [
  `MJ::JOB::upsample::${n}::${u}`, `MJ::JOB::variation::${n}::${u}`, `MJ::JOB::reroll::0::${u}::SOLO`,
  `MJ::JOB::upsample_v6_2x_subtle::1::${u}::SOLO`, `MJ::JOB::upsample_v6_2x_creative::1::${u}::SOLO`,
  `MJ::JOB::upsample_v7_2x_subtle::1::${u}::SOLO`, `MJ::JOB::upsample_v7_2x_creative::1::${u}::SOLO`,
  `MJ::JOB::upsample_v6r1_2x_subtle::1::${u}::SOLO`, `MJ::JOB::upsample_v6r1_2x_creative::1::${u}::SOLO`,
  `MJ::JOB::upsample_v5_2x::1::${u}::SOLO`, `MJ::JOB::upsample_v5_4x::1::${u}::SOLO`, `MJ::JOB::upsample_max::1::${u}::SOLO`,
  `MJ::JOB::low_variation::1::${u}::SOLO`, `MJ::JOB::high_variation::1::${u}::SOLO`, `MJ::Inpaint::1::${u}::SOLO`,
  `MJ::Outpaint::50::1::${u}::SOLO`, `MJ::Outpaint::75::1::${u}::SOLO`, `MJ::Outpaint::100::1::${u}::SOLO`, `MJ::CustomZoom::${u}`,
  `MJ::JOB::pan_left::1::${u}::SOLO`, `MJ::JOB::pan_right::1::${u}::SOLO`, `MJ::JOB::pan_up::1::${u}::SOLO`, `MJ::JOB::pan_down::1::${u}::SOLO`,
  `MJ::JOB::animate_high::1::${u}::SOLO`, `MJ::JOB::animate_low::1::${u}::SOLO`, `MJ::JOB::video_virtual_upscale::${n}::${u}`,
  `MJ::JOB::animate_high_extend::1::${u}`, `MJ::JOB::animate_low_extend::1::${u}`, `MJ::BOOKMARK::${u}`,
  `MJ::Job::PicReader::${n}`, 'MJ::Job::PicReader::all', 'MJ::Picread::Retry', `MJ::Job::PromptAnalyzer::${n}`,
  `MJ::JOB::PromptAnalyzer::${n}`, `MJ::CancelJob::ByJobid::${u}`, `MJ::JOB::upsample::${n}::${u.toUpperCase()}`,
];

const taskIds = fc.oneof(
  fc.stringMatching(/^[1-9][0-9]{15,16}$/),
  fc.stringMatching(/^0[0-9]{0,18}$/),
  fc.stringMatching(/^[0-9]{20,70}$/),
  fc.string({ maxLength: 30 }).map((s) => `task_${s}`),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
const customIds = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.uuid(), fc.integer({ min: 1, max: 4 }), fc.nat()).map(([u, n, pick]) => { const ids = specIds(u, n); return ids[pick % ids.length] ?? ''; }) },
  { weight: 1, arbitrary: fc.uuid().map((u) => `MJ::JOB::upsample_v6r1_2x_creative::1::${u}::SOLO`.padEnd(81, 'x')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 120 }) },
);

function expectChatSafe(payload: string): void {
  expect(Buffer.byteLength(payload, 'utf8')).toBeLessThanOrEqual(64);
  expect(payload.length).toBeLessThanOrEqual(100);
  expect(payload).toMatch(/^[\x21-\x7e]+$/);
}

describe('button codec: Midjourney buttons', () => {
  it('round-trips any task id and customId exactly, within chat limits, after a restart', async () => {
    const store = await memoryStore();
    await fc.assert(fc.asyncProperty(taskIds, customIds, async (taskId, customId) => {
      const payload = await createButtonCodec({ secret: SECRET, store }).encode(taskId, customId);
      expectChatSafe(payload);
      const restarted = createButtonCodec({ secret: SECRET, store });
      expect(await restarted.decode(payload)).toEqual({ type: 'mj', taskId, customId });
    }), { numRuns: 300 });
  });

  it('encodes known buttons of numeric tasks without touching the store', async () => {
    const store = counting(await memoryStore());
    const codec = createButtonCodec({ secret: SECRET, store });
    for (const customId of specIds('03ee7a3e-b4d2-4465-9165-b93c99cb6617', 3).slice(0, -2)) {
      for (const taskId of ['1689252749098647', '14001929738841620', '0042']) {
        const payload = await codec.encode(taskId, customId);
        expect(await codec.decode(payload)).toEqual({ type: 'mj', taskId, customId });
      }
    }
    expect(store.reads).toBe(0);
    expect(store.writes).toHaveLength(0);
  });

  it('stores long or unusual buttons once, with the configured lifetime', async () => {
    const store = counting(await memoryStore());
    const customId = `MJ::JOB::brand_new::1::${'f'.repeat(60)}`;
    const first = await createButtonCodec({ secret: SECRET, store }).encode('task_abc123', customId);
    const again = await createButtonCodec({ secret: SECRET, store }).encode('task_abc123', customId);
    expect(again).toBe(first);
    expect(new Set(store.writes.map((w) => w.key)).size).toBe(1);
    expect(store.writes[0]?.ttlMs).toBe(90 * 24 * 60 * 60 * 1000);
    await createButtonCodec({ secret: SECRET, store, ttlMs: 60_000 }).encode('task_other', customId);
    expect(store.writes[2]?.ttlMs).toBe(60_000);
  });

  it('refuses payloads signed with another secret', async () => {
    const store = await memoryStore();
    const foreign = createButtonCodec({ secret: 'some-other-secret-entirely', store });
    const ours = createButtonCodec({ secret: SECRET, store });
    await fc.assert(fc.asyncProperty(taskIds, customIds, async (taskId, customId) => {
      expect(await codeOf(ours.decode(await foreign.encode(taskId, customId)))).toBe('BUTTON_INVALID');
    }), { numRuns: 100 });
    expect(await codeOf(ours.decode(foreign.encodeInternal('menu', ['a'])))).toBe('BUTTON_INVALID');
  });

  it('refuses any single-character change, insertion or deletion', async () => {
    const codec = createButtonCodec({ secret: SECRET, store: await memoryStore() });
    // undefined = one of the bot's own buttons
    const buttons = fc.option(fc.tuple(taskIds, customIds), { nil: undefined, freq: 5 });
    await fc.assert(fc.asyncProperty(buttons, fc.nat(), fc.integer({ min: 0x20, max: 0x7e }), fc.constantFrom('replace', 'insert', 'delete'),
      async (button, at, code, how) => {
        const valid = button ? await codec.encode(...button) : codec.encodeInternal('set', ['lang', 'zh']);
        const i = at % valid.length;
        const char = String.fromCharCode(code);
        const mutated = how === 'replace' ? valid.slice(0, i) + char + valid.slice(i + 1)
          : how === 'insert' ? valid.slice(0, i) + char + valid.slice(i) : valid.slice(0, i) + valid.slice(i + 1);
        fc.pre(mutated !== valid);
        expect(await codeOf(codec.decode(mutated))).toBe('BUTTON_INVALID');
      }), { numRuns: 400 });
  });

  it('refuses every possible one-character replacement of each payload form', async () => {
    const codec = createButtonCodec({ secret: SECRET, store: await memoryStore() });
    const u = '03ee7a3e-b4d2-4465-9165-b93c99cb6617';
    const valid = [
      await codec.encode('1689252749098647', `MJ::JOB::upsample::2::${u}`), // direct, 35 bytes: spare base64 bits at the end
      await codec.encode('007', `MJ::JOB::reroll::0::${u}::SOLO`), // direct, 29 bytes
      await codec.encode('14001929738841620', 'MJ::Picread::Retry'), // direct, no uuid
      await codec.encode('task_abc', `MJ::JOB::upsample::2::${u}`), // handle
      codec.encodeInternal('form', ['cancel', 'f.1-x']),
    ];
    expect(new Set(valid.map((p) => p[0]))).toEqual(new Set(['A', 'H', 'I']));
    const accepted: string[] = [];
    for (const payload of valid) {
      for (let i = 0; i < payload.length; i++) {
        for (let code = 0x20; code <= 0x7e; code++) {
          const mutated = payload.slice(0, i) + String.fromCharCode(code) + payload.slice(i + 1);
          if (mutated !== payload && (await codeOf(codec.decode(mutated))) !== 'BUTTON_INVALID') accepted.push(`${payload} → ${mutated}`);
        }
      }
    }
    expect(accepted).toEqual([]);
  });

  it('refuses garbage without reading the store', async () => {
    const store = counting(await memoryStore());
    const codec = createButtonCodec({ secret: SECRET, store });
    const garbage = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 120 }),
      fc.stringMatching(/^[AHI][A-Za-z0-9_-]{0,70}$/),
      fc.stringMatching(/^H[A-Za-z0-9_-]{24}$/),
    );
    await fc.assert(fc.asyncProperty(garbage, async (payload) => {
      expect(await codeOf(codec.decode(payload))).toBe('BUTTON_INVALID');
    }), { numRuns: 500 });
    expect(store.reads).toBe(0);
  });

  it('says a button expired when its stored entry is gone', async () => {
    const store = await memoryStore();
    const codec = createButtonCodec({ secret: SECRET, store });
    const payload = await codec.encode('task_abc', 'MJ::Picread::Retry');
    const keys: string[] = [];
    for await (const [key] of store.entries('btn')) keys.push(key);
    expect(keys).toHaveLength(1);
    await store.delete('btn', keys[0] ?? '');
    expect(await codeOf(codec.decode(payload))).toBe('BUTTON_EXPIRED');
  });

  it('refuses an empty secret', async () => {
    const store = await memoryStore();
    expect(() => createButtonCodec({ secret: '', store })).toThrow(BotError);
  });
});

describe('button codec: the bot\'s own buttons', () => {
  it('round-trips kinds and arguments, including empty arguments', async () => {
    const store = counting(await memoryStore());
    const codec = createButtonCodec({ secret: SECRET, store });
    const kinds = fc.stringMatching(/^[a-z0-9_]{1,8}$/);
    const args = fc.array(fc.stringMatching(/^[A-Za-z0-9_.-]{0,8}$/), { maxLength: 5 });
    await fc.assert(fc.asyncProperty(kinds, args, async (kind, list) => {
      fc.pre(1 + 12 + [kind, ...list].join(':').length <= 64);
      const payload = codec.encodeInternal(kind, list);
      expectChatSafe(payload);
      expect(await createButtonCodec({ secret: SECRET, store }).decode(payload)).toEqual({ type: 'internal', kind, args: list });
    }), { numRuns: 300 });
    expect(store.reads + store.writes.length).toBe(0);
  });

  it('rejects kinds, arguments or sizes the chat could not carry', async () => {
    const codec = createButtonCodec({ secret: SECRET, store: await memoryStore() });
    for (const [kind, args] of [['Upper', []], ['toolongkind', []], ['', []], ['ok', ['has space']], ['ok', ['a:b']], ['ok', ['x'.repeat(60)]]] as const) {
      let code = 'none';
      try { codec.encodeInternal(kind, [...args]); } catch (err) { code = err instanceof BotError ? err.code : 'other'; }
      expect(code, `${kind} ${args.join(',')}`).toBe('INTERNAL');
    }
  });
});

describe('button codec: persistence', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mjbot-buttons-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('decodes stored buttons after the bot restarts on the same SQLite file', async () => {
    const url = `sqlite://${join(dir, 'state.sqlite')}`;
    const before = await openStore(url);
    const cases: [string, string][] = [['task_abc123', 'MJ::Job::PicReader::2'], ['1689252749098647', 'MJ::JOB::future_op::1::x::SOLO'], ['漢字', '✨']];
    let codec: ButtonCodec = createButtonCodec({ secret: SECRET, store: before });
    const payloads = await Promise.all(cases.map(([t, c]) => codec.encode(t, c)));
    await before.close();

    const after = await openStore(url);
    opened.push(after);
    codec = createButtonCodec({ secret: Buffer.from(SECRET), store: after });
    for (const [i, payload] of payloads.entries()) {
      expect(await codec.decode(payload)).toEqual({ type: 'mj', taskId: cases[i]?.[0], customId: cases[i]?.[1] });
    }
  });
});
