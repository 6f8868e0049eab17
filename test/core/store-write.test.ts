/**
 * `Store.write` and the TaskRecord save built on it: the record and its open-index entry land
 * together, concurrent saves all land, and a save that resolved is on disk even when the saving
 * process is SIGKILLed right after (SQLite in WAL mode, group commits).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RecordStore } from '../../src/core/domain/stores.js';
import type { TaskRecord } from '../../src/core/domain/records.js';
import { openStore, type Store } from '../../src/runtime/store.js';
import { testRedisUrl } from '../helpers/redis.js';
import { tempDir } from './harness.js';

// Database 0 is never flushed by tests; every key here starts with this file's own prefix.
const REDIS_URL = testRedisUrl(0);
const root = new URL('../../', import.meta.url).pathname;
const opened: Store[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
});

async function open(url: string, prefix?: string): Promise<Store> {
  const store = await openStore(url, { prefix });
  opened.push(store);
  return store;
}

const prefix = `store-write-${process.pid}`;
afterAll(async () => {
  const redis = new Redis(REDIS_URL);
  for (;;) {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length === 0) break;
    await redis.del(...keys.slice(0, 1000));
  }
  redis.disconnect();
});
async function urlFor(backend: string): Promise<string> {
  if (backend === 'sqlite') return `sqlite://${join(tempDir('mjbot-write-'), 'write.sqlite')}`;
  if (backend === 'redis') return REDIS_URL;
  return 'memory://';
}

function record(taskId: string, patch: Partial<TaskRecord> = {}): TaskRecord {
  const now = Date.now();
  return {
    taskId, kind: 'imagine', prompt: ':a prompt that starts with a colon', chat: { platform: 'console', chatId: 'c1', isGroup: false },
    owner: { userId: 'u1', name: 'u1', locale: 'en' }, status: 'IN_PROGRESS', percent: 30, rank: 2, submittedAt: now, deadline: now + 60_000,
    finished: false, stage: 'progress', ...patch,
  };
}

describe.each(['memory', 'sqlite', 'redis'])('Store.write on %s', (backend) => {
  it('lands sets and deletes together, readable by get, with time to live', async () => {
    const store = await open(await urlFor(backend), prefix);
    await store.set('meta', 'old', 'to be removed');
    await store.write([
      { ns: 'meta', key: 'a', value: { text: ':colon first', n: 1 } },
      { ns: 'meta', key: 'short', value: 'gone soon', ttlMs: 30 },
      { ns: 'meta', key: 'old', delete: true },
    ]);
    expect(await store.get('meta', 'a')).toEqual({ text: ':colon first', n: 1 });
    expect(await store.get('meta', 'old')).toBeUndefined();
    await new Promise((r) => setTimeout(r, 60));
    expect(await store.get('meta', 'short')).toBeUndefined();
    await store.write([{ ns: 'meta', key: 'a', delete: true }]);
  });

  it('stores quotes, backslashes, SQL and any Unicode in keys and values exactly', async () => {
    const store = await open(await urlFor(backend), prefix);
    const nasty = `it's "quoted" \\ back'); DROP TABLE keyv; -- 🦊 \u0001 ${String.fromCharCode(1)} 龍`;
    const key = `${prefix}-o'brien'); --`;
    await store.write([{ ns: 'user', key, value: { nasty, list: [nasty, "'"] } }]);
    await store.set('user', `${key}-set`, nasty);
    expect(await store.get('user', key)).toEqual({ nasty, list: [nasty, "'"] });
    expect(await store.get('user', `${key}-set`)).toBe(nasty);
    expect(await store.delete('user', `${key}-set`)).toBe(true);
    await store.write([{ ns: 'user', key, delete: true }]);
    expect(await store.get('user', key)).toBeUndefined();
  });

  it('keeps a task open until its result is settled, and every concurrent save lands', async () => {
    const store = await open(await urlFor(backend), prefix);
    const records = new RecordStore(store);
    const ids = Array.from({ length: 200 }, (_, i) => `${prefix}-t${i}`);
    await Promise.all(ids.map((id, i) => records.save(record(id, { percent: i % 100 }))));
    const openNow = new Set(await records.openIds());
    for (const [i, id] of ids.entries()) {
      expect(openNow.has(id)).toBe(true);
      expect((await records.get(id))?.percent).toBe(i % 100);
    }
    // The last save of a task wins, also when saves of it share a commit.
    await Promise.all([records.save(record(ids[0]!, { status: 'SUCCESS', finished: true, stage: 'final-ready' })), records.save(record(ids[0]!, { status: 'SUCCESS', finished: true, stage: 'delivered' }))]);
    expect((await records.get(ids[0]!))?.stage).toBe('delivered');
    expect(await records.openIds()).not.toContain(ids[0]);
    expect(await records.unfinishedIds()).toContain(ids[1]);
    await store.write(ids.flatMap((id) => [{ ns: 'task' as const, key: id, delete: true as const }, { ns: 'open' as const, key: id, delete: true as const }]));
  });
});

describe('a saved record survives a SIGKILL of the saving process', () => {
  it.each(['sqlite', 'redis'])('on %s: every save that resolved is there, with its open entry', async (backend) => {
    const url = await urlFor(backend);
    const keyPrefix = `${prefix}-kill`;
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/save-records.ts', url, keyPrefix], { cwd: root });
    let out = '';
    const acked = await new Promise<string[]>((resolve, reject) => {
      child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
      child.on('exit', (code) => reject(new Error(`saver exited early (${code}): ${out}`)));
      let buffered = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        const lines = buffered.split('\n').filter((l) => l.startsWith('saved '));
        if (lines.length >= 400) {
          child.kill('SIGKILL');
          resolve(lines.map((l) => l.slice('saved '.length)));
        }
      });
    });
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(undefined) : child.once('exit', r)));
    const store = await open(url, keyPrefix);
    const records = new RecordStore(store);
    const openNow = new Set(await records.openIds());
    const missing = acked.filter((id) => !openNow.has(id));
    expect(missing).toEqual([]);
    for (const id of acked) expect((await records.get(id))?.taskId).toBe(id);
  }, 60_000);
});
