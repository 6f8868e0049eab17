/**
 * Every command takes whatever a chat platform (or a hostile client) hands it: control
 * characters, em-dashes, 10k-character strings, wrong types, random bytes posing as images.
 * `execute` must always answer with a Reply — never throw, never an INTERNAL error — and what
 * reaches the proxy must be well-formed (non-empty clean prompts, real images as data URLs).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PNG } from 'pngjs';
import { allCommands } from '../../commands/index.js';
import type { Command, CommandOption, ImageInput } from '../../commands/types.js';
import { ERROR_CODES } from '../../src/errors.js';
import type { Reply } from '../../src/core/domain/types.js';
import { createAccessStack, type AccessStack } from '../access/stack.js';

const MAX_IMAGE_BYTES = 64 * 1024;
let stack: AccessStack;
let realTaskId: string;

beforeAll(async () => {
  stack = await createAccessStack({
    env: { ADMIN_USERS: 'console:admin', CHAT_MAX_RUNNING: '1000', USER_MAX_RUNNING: '1000', MAX_IMAGE_BYTES: String(MAX_IMAGE_BYTES) },
    sim: { stepMs: 5, concurrency: 50, queueLimit: 1000 },
  });
  const reply = await stack.imagine(stack.origin('u1'), 'a red fox');
  if (reply.type !== 'task' || !reply.taskId) throw new Error(JSON.stringify(reply));
  realTaskId = reply.taskId;
  await stack.finalOf(realTaskId);
});

afterAll(async () => {
  await stack?.close();
});

const png = PNG.sync.write(new PNG({ width: 8, height: 8 }));
const image: fc.Arbitrary<ImageInput> = fc.oneof(
  fc.constant({ bytes: new Uint8Array(png), name: 'ok.png' }),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ bytes })),
  fc.uint8Array({ maxLength: 60 }).map((tail) => ({ bytes: new Uint8Array([...png.subarray(0, 8), ...tail]) })),
  fc.nat({ max: png.length - 1 }).map((n) => ({ bytes: new Uint8Array(png.subarray(0, n)) })),
  fc.constant({ bytes: new Uint8Array(MAX_IMAGE_BYTES + 1) }),
);
const wrongType = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.object({ maxDepth: 1 }), fc.array(fc.string(), { maxLength: 3 }), fc.constant({ bytes: 'not bytes' }));
const nastyText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  // Only invisible characters: control codes, zero-width, NBSP, whitespace.
  fc.array(fc.constantFrom(...[0, 1, 7, 8, 11, 27, 31, 127, 0x200b, 0x200d, 0xfeff, 0xa0, 0x20, 0x0a, 0x09].map((c) => String.fromCharCode(c))), { maxLength: 20 }).map((cs) => cs.join('')),
  fc.constantFrom('', ' ', '\n\t', '—ar 16:9', 'a cat —ar 16：9 — v 6', '-- --', '—', '--zoom', 'a\u0000b', '\u202eevil', 'x'.repeat(10_000), '🦊'.repeat(5000)),
  fc.tuple(fc.string({ maxLength: 20 }), fc.constantFrom('—ar 3:2', '--v 6', '--niji 6', '—stylize 900', '::', '{a,b}')).map(([a, b]) => `${a} ${b}`),
  fc.integer({ min: 1, max: 10_000 }).map((n) => 'y'.repeat(n)),
);

function valueFor(option: CommandOption): fc.Arbitrary<unknown> {
  const wrong = fc.oneof(wrongType, image, fc.constant(undefined));
  switch (option.type) {
    case 'string': return fc.oneof({ weight: 4, arbitrary: nastyText }, { weight: 1, arbitrary: fc.constantFrom(realTaskId, 'on', 'off', 'niji', 'stats', 'block console:u2') }, wrong);
    case 'integer': return fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 6 }), wrong);
    case 'choice': return fc.oneof(fc.constantFrom(...(option.choices ?? []).map((c) => c.value)), nastyText, wrong);
    case 'image': return fc.oneof({ weight: 3, arbitrary: image }, fc.array(image, { maxLength: 3 }), wrong);
    case 'images': return fc.oneof({ weight: 3, arbitrary: fc.array(image, { maxLength: 7 }) }, image, fc.array(fc.oneof(image, wrongType), { maxLength: 4 }), wrong);
  }
}

function inputFor(command: Command): fc.Arbitrary<Record<string, unknown>> {
  const model = Object.fromEntries(command.options.map((o) => [o.name, valueFor(o)]));
  return fc.tuple(fc.record(model, { requiredKeys: [] }), fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(nastyText, wrongType), { maxKeys: 2 }))
    .map(([known, extra]) => ({ ...extra, ...known }));
}

const context = fc.record({
  user: fc.constantFrom('u1', 'u2', 'admin'),
  dm: fc.boolean(),
  locale: fc.constantFrom('en' as const, 'zh' as const),
  replyTo: fc.option(fc.oneof(fc.constant('REAL'), fc.string({ maxLength: 20 })), { nil: undefined }),
});

const DATA_URL = /^data:(image\/(?:png|jpeg|webp|gif));base64,([A-Za-z0-9+/]+={0,2})$/;
const MAGIC: Record<string, (b: Buffer) => boolean> = {
  // A PNG must at least carry its IHDR chunk with a non-zero size; a bare signature is not an image.
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) && b.length >= 24 && b.subarray(12, 16).toString('latin1') === 'IHDR' && b.readUInt32BE(16) > 0 && b.readUInt32BE(20) > 0,
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/gif': (b) => b.subarray(0, 4).toString('latin1') === 'GIF8',
  'image/webp': (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
};

/** A data URL the proxy can use: an image mime, valid base64, bytes that really are that image (with a header), within the cap. */
function expectImage(value: unknown): void {
  const match = typeof value === 'string' ? DATA_URL.exec(value) : null;
  expect(match, `not an image data URL: ${String(value).slice(0, 60)}`).not.toBeNull();
  const bytes = Buffer.from(match![2]!, 'base64');
  expect(bytes.length).toBeLessThanOrEqual(MAX_IMAGE_BYTES);
  expect(MAGIC[match![1]!]!(bytes), `${match![1]} of ${bytes.length} bytes without a valid header`).toBe(true);
}

/** An image link the proxy handed out for an upload (the simulator's). */
function expectLink(value: unknown): void {
  expect(String(value)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sim\/upload\/[0-9a-f-]{36}\.\w+$/);
}

function expectPrompt(value: unknown): void {
  expect(typeof value).toBe('string');
  const prompt = value as string;
  expect(prompt.trim()).toBe(prompt);
  expect(prompt.length).toBeGreaterThan(0);
  expect([...prompt].length).toBeLessThanOrEqual(4100);
  expect(prompt).not.toMatch(/[\u0000-\u001f\u007f\u200b\ufeff]/); // eslint-disable-line no-control-regex
  expect(prompt).not.toMatch(/(^|\s)[\u2013\u2014](ar|v|niji|stylize)\b/);
}

/** Check every submit the simulator received since `from`. */
function checkSubmits(from: number): void {
  for (const req of stack.sim.requests.slice(from)) {
    if (req.method !== 'POST') continue;
    const body = req.body as Record<string, unknown>;
    const path = req.path.replace(/^\/(mj-\w+\/)?mj/, '');
    if (path === '/submit/imagine' || path === '/submit/shorten') {
      expectPrompt(body.prompt);
      for (const url of (body.base64Array as unknown[] | undefined) ?? []) expectImage(url);
      expect(((body.base64Array as unknown[] | undefined) ?? []).length).toBeLessThanOrEqual(3);
    } else if (path === '/submit/blend') {
      const images = body.base64Array as unknown[];
      expect(images.length).toBeGreaterThanOrEqual(2);
      expect(images.length).toBeLessThanOrEqual(5);
      images.forEach(expectImage);
      expect(['PORTRAIT', 'SQUARE', 'LANDSCAPE']).toContain(body.dimensions);
    } else if (path === '/submit/describe') {
      if (body.link === undefined) expectImage(body.base64);
      else expectLink(body.link);
    } else if (path === '/submit/upload-discord-images') {
      const images = body.base64Array as unknown[];
      expect(images.length).toBeGreaterThanOrEqual(1);
      images.forEach(expectImage);
    } else if (path === '/submit/edits' || path === '/submit/video') {
      expectPrompt(body.prompt);
      if (typeof body.image === 'string' && body.image.startsWith('data:')) expectImage(body.image);
      else expectLink(body.image);
      if (body.maskBase64 !== undefined) expectImage(body.maskBase64);
      if (path === '/submit/video') expect(['low', 'high']).toContain(body.motion);
    } else if (path === '/insight-face/swap') {
      expectImage(body.sourceBase64);
      expectImage(body.targetBase64);
    } else {
      expect(path, `unexpected proxy call from a command: ${req.path}`).toMatch(/^\/task\/list-by-condition$/);
    }
  }
}

function expectReply(reply: Reply): void {
  expect(['task', 'form', 'message', 'error']).toContain(reply.type);
  if (reply.type === 'error') {
    expect(ERROR_CODES).toContain(reply.code);
    expect(reply.code).not.toBe('INTERNAL');
    expect(reply.text.trim().length).toBeGreaterThan(0);
  }
  if (reply.type === 'message') expect(typeof reply.text).toBe('string');
}

describe('command arguments from hostile input', () => {
  it('covers every command in the registry', () => {
    expect(allCommands.length).toBeGreaterThanOrEqual(10);
  });

  describe.each(allCommands.map((c) => [c.name, c] as const))('/%s', (_name, command) => {
    it('always answers with a Reply and sends only well-formed requests to the proxy', async () => {
      await fc.assert(
        fc.asyncProperty(inputFor(command), context, async (input, ctx) => {
          const from = stack.sim.requests.length;
          const origin = stack.origin(ctx.user, { dm: ctx.dm, locale: ctx.locale });
          const replyToTaskId = ctx.replyTo === 'REAL' ? realTaskId : ctx.replyTo;
          const reply = await command.execute(input as never, { service: stack.service, origin, locale: ctx.locale, replyToTaskId, commands: allCommands });
          expectReply(reply);
          checkSubmits(from);
        }),
        { numRuns: 40 },
      );
    });
  });
});
