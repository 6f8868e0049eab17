/**
 * The notifyHook receiver is reachable from the internet: whatever arrives (random JSON, wrong
 * types, deep nesting, prototype-pollution keys, truncated or oversized bodies, task snapshots
 * for ids we never submitted) must never produce a 5xx, crash the process or change a task —
 * and a well-formed callback for a real task must still be applied afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { NOTIFY_MAX_BYTES, startHttpServer, type HttpServer } from '../../src/runtime/http-server.js';
import type { Task } from '../../src/mj/schemas.js';
import { silentLogger } from '../../src/log.js';
import { createCoreStack, type CoreStack } from '../core/harness.js';

const SECRET = 'notify-fuzz-secret-0123456789abcdef';
let stack: CoreStack;
let server: HttpServer;
let knownId: string;
const ingested: { id: string; result: unknown }[] = [];

beforeAll(async () => {
  // No polling: only the notify receiver can move the task, so what it applies is what we see.
  stack = await createCoreStack({ env: { MJ_POLL_INTERVAL_MS: '600000' } });
  stack.sim.pause();
  const reply = await stack.service.submit(stack.origin(), { kind: 'imagine', prompt: 'a red fox' }, 'a red fox');
  if (reply.type !== 'task' || !reply.taskId) throw new Error(JSON.stringify(reply));
  knownId = reply.taskId;
  server = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    secret: SECRET,
    logger: silentLogger(),
    // The same wiring as src/app.ts.
    knows: (id) => stack.service.knowsTask(id),
    ingest: async (task: Task) => {
      const result = await stack.service.ingest(task);
      ingested.push({ id: task.id, result });
      return result;
    },
    health: async () => ({ ok: true }),
  });
});

afterAll(async () => {
  await server?.close();
  await stack?.close();
});

async function post(body: string | Buffer, path = `/mj/notify/${SECRET}`, headers: Record<string, string> = {}): Promise<number> {
  const res = await request(`${server.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  await res.body.dump();
  return res.statusCode;
}

const unknownId = fc.oneof(fc.string({ maxLength: 40 }), fc.integer().map(String), fc.stringMatching(/^\d{10,19}$/)).filter((id) => id !== knownId);
const status = fc.oneof(fc.constantFrom('SUCCESS', 'FAILURE', 'IN_PROGRESS', 'MODAL', 'NOT_START', 'SUBMITTED', 'CANCEL'), fc.string({ maxLength: 12 }));
const junk = fc.anything({ maxDepth: 3, withNullPrototype: true, withBigInt: false });

/** Task-shaped bodies: right keys, random ids, any value in any field. */
const taskLike = fc.record(
  {
    id: fc.oneof(unknownId, junk),
    status: fc.oneof(status, junk),
    progress: fc.oneof(fc.constantFrom('100%', '54%', 'abc', ''), fc.double(), junk),
    imageUrl: fc.oneof(fc.webUrl(), fc.string(), junk),
    buttons: fc.oneof(fc.array(fc.record({ customId: fc.string(), label: fc.string() })), junk),
    properties: fc.oneof(fc.dictionary(fc.string(), junk), junk),
    failReason: fc.oneof(fc.string({ unit: 'grapheme' }), junk),
  },
  { requiredKeys: [] },
);

const pollutionKey = fc.constantFrom('__proto__', 'constructor', 'prototype', '__defineGetter__', 'hasOwnProperty', 'toString');
const pollution = fc.tuple(pollutionKey, unknownId).map(([key, id]) =>
  `{"id":${JSON.stringify(id)},"status":"SUCCESS","${key}":{"polluted":true,"prototype":{"polluted":true}},"properties":{"${key}":{"polluted":true}}}`,
);

const deepNesting = fc.integer({ min: 100, max: 20_000 }).chain((depth) =>
  fc.constantFrom(`${'['.repeat(depth)}${']'.repeat(depth)}`, `{"id":"1","properties":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`, '['.repeat(depth)),
);

const bodies = fc.oneof(
  fc.json({ maxDepth: 4 }),
  taskLike.map((t) => JSON.stringify(t) ?? 'null'),
  taskLike.chain((t) => { const text = JSON.stringify(t) ?? '{}'; return fc.nat({ max: text.length }).map((n) => text.slice(0, n)); }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
  pollution,
  deepNesting,
  fc.integer({ min: 10_000, max: 200_000 }).map((n) => JSON.stringify({ id: `9${n}`, status: 'SUCCESS', prompt: 'x'.repeat(n), failReason: '—'.repeat(n / 10) })),
);

describe('notifyHook receiver under hostile input', () => {
  it('never answers 5xx and never applies an update for a task it did not submit', async () => {
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const status = await post(body);
        expect(status).toBeLessThan(500);
        expect([200, 400, 404]).toContain(status);
      }),
      { numRuns: 400 },
    );
    expect(ingested.filter((i) => i.id !== knownId)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(stack.presenter.viewsOf(knownId).every((v) => !v.final)).toBe(true);
  });

  it('ignores random hook paths and methods without looking at the body', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60 }).filter((p) => p !== SECRET), fc.constantFrom('POST', 'PUT', 'GET', 'DELETE'), async (segment, method) => {
        const path = `/mj/notify/${encodeURIComponent(segment)}`;
        const res = await request(`${server.url}${path}`, { method, body: method === 'GET' ? undefined : JSON.stringify({ id: knownId, status: 'FAILURE' }) });
        await res.body.dump();
        expect([404, 405]).toContain(res.statusCode);
      }),
      { numRuns: 100 },
    );
    expect(ingested).toEqual([]);
  });

  it('refuses bodies over the size cap with 413, declared or streamed', async () => {
    const huge = Buffer.alloc(NOTIFY_MAX_BYTES + 10, 0x20);
    const declared = await post(huge).catch((err: unknown) => ({ err }));
    // The server may close before the whole upload is sent; what it answered must still be 413.
    if (typeof declared === 'number') expect(declared).toBe(413);
    else expect(String((declared.err as Error).message)).toMatch(/closed|reset|EPIPE|socket/i);
    const streamed = await request(`${server.url}/mj/notify/${SECRET}`, {
      method: 'POST',
      body: Readable.from((function* () {
        for (let i = 0; i < 20; i++) yield Buffer.alloc(64 * 1024, 0x20);
      })()),
    }).then(async (res) => { await res.body.dump(); return res.statusCode; }, () => 'closed');
    expect([413, 'closed']).toContain(streamed);
    expect(ingested).toEqual([]);
  });

  it('a known task whose fields have the wrong types is refused and stays as it was', async () => {
    for (const bad of [{ id: knownId, status: 42 }, { id: knownId, status: 'SUCCESS', properties: [1, 2] }, { id: { $ne: null }, status: 'SUCCESS' }, { id: [knownId], status: 'SUCCESS' }]) {
      expect(await post(JSON.stringify(bad))).toBe(400);
    }
    expect(ingested).toEqual([]);
    expect((await stack.records.get(knownId))?.finished).toBe(false);
  });

  it('still applies a well-formed callback for a known task after all that, and the server stays up', async () => {
    const wire = stack.sim.task(knownId);
    expect(wire).toBeDefined();
    const done = { ...wire, status: 'SUCCESS', progress: '100%', imageUrl: `${stack.sim.url}/sim/img/none.png`, finishTime: Date.now() };
    expect(await post(JSON.stringify(done))).toBe(200);
    const final = await stack.finalOf(knownId);
    expect(final.phase).toBe('result');
    expect(ingested).toEqual([{ id: knownId, result: 'applied' }]);
    const health = await request(`${server.url}/healthz`);
    expect(health.statusCode).toBe(200);
    await health.body.dump();
  });
});
