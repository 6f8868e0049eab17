/**
 * Task tracking: batch polling cost, monotonic updates from duplicate / out-of-order notifies,
 * webhook mode, timeouts, expired image links.
 */
import { freePort } from '../helpers/net.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { TaskSchema } from '../../src/mj/schemas.js';
import { startSimulator, type Simulator } from '../../src/sim/index.js';
import type { Reply } from '../../src/core/domain/types.js';
import { createCoreStack, RecordingPresenter, type CoreStack } from './harness.js';

let stack: CoreStack | undefined;
let app: App | undefined;
let sim: Simulator | undefined;
afterEach(async () => {
  await stack?.close();
  await app?.close();
  await sim?.close();
  stack = app = sim = undefined;
});

const idOf = (r: Reply) => {
  if (r.type !== 'task' || !r.taskId) throw new Error(JSON.stringify(r));
  return r.taskId;
};


describe('polling', () => {
  it('50 concurrent tasks cost one list-by-condition request per poll tick, not one request per task', async () => {
    stack = await createCoreStack({ sim: { concurrency: 50, queueLimit: 100, stepMs: 60 }, env: { MJ_POLL_INTERVAL_MS: '100' } });
    const s = stack;
    // Hold every task open while submitting, so all 50 are in flight together.
    s.sim.pause();
    const replies = await Promise.all(Array.from({ length: 50 }, (_, i) => s.service.submit(s.origin(`u${i}`), { kind: 'imagine', prompt: `fox ${i}` }, `fox ${i}`)));
    const ids = replies.map(idOf);
    const listed = () => s.sim.requests.filter((r) => r.path.endsWith('/task/list-by-condition'));
    while (!listed().some((r) => (r.body as { ids: string[] }).ids.length === 50)) await new Promise((r) => setTimeout(r, 10));
    const ticksBefore = s.service.diagnostics().pollRequests;
    s.sim.resume();
    await Promise.all(ids.map((id) => s.finalOf(id, 20_000)));
    const lists = listed();
    const fetches = s.sim.requests.filter((r) => r.path.endsWith('/fetch'));
    expect(fetches).toHaveLength(0);
    // Every poll request the tracker made was one list-by-condition call covering all open tasks.
    expect(lists).toHaveLength(s.service.diagnostics().pollRequests);
    expect(s.service.diagnostics().pollRequests - ticksBefore).toBeLessThan(50);
    expect(new Set(lists.flatMap((r) => (r.body as { ids: string[] }).ids))).toEqual(new Set(ids));
    expect(s.presenter.finals()).toHaveLength(50);
  });

  it('a stuck task fails after the configured timeout with a clear message instead of hanging', async () => {
    stack = await createCoreStack({ env: { MJ_TASK_TIMEOUT_MS: '1000' } });
    const s = stack;
    s.sim.stickTask('next');
    const final = await s.finalOf(idOf(await s.service.submit(s.origin(), { kind: 'imagine', prompt: 'stuck' }, 'stuck')), 5000);
    expect(final.phase).toBe('failed');
    expect(final.detail).toMatch(/did not finish within/);
  });

  it('a failed task shows the proxy reason, and a banned prompt says so in the user language', async () => {
    stack = await createCoreStack({ flavour: 'trueai' });
    const s = stack;
    const final = await s.finalOf(idOf(await s.service.submit(s.origin('u1', { locale: 'zh' }), { kind: 'imagine', prompt: 'gore scene' }, 'gore scene')));
    expect(final.phase).toBe('failed');
    expect(final.detail).toMatch(/敏感词/);
  });
});

describe('monotonic updates', () => {
  it('duplicate and out-of-order notifies never move a task backwards or deliver the result twice', async () => {
    stack = await createCoreStack({ env: { MJ_POLL_INTERVAL_MS: '600000' } });
    const s = stack;
    s.sim.pause();
    const id = idOf(await s.service.submit(s.origin(), { kind: 'imagine', prompt: 'order' }, 'order'));
    const snap = (status: string, progress: string, extra: object = {}) => TaskSchema.parse({ id, status, progress, action: 'IMAGINE', imageUrl: `${s.sim.url}/nope.png`, ...extra });
    expect(await s.service.ingest(snap('IN_PROGRESS', '50%'))).toBe('applied');
    expect(await s.service.ingest(snap('IN_PROGRESS', '30%'))).toBe('ignored');
    expect(await s.service.ingest(snap('SUBMITTED', '0%'))).toBe('ignored');
    expect(await s.service.ingest(snap('IN_PROGRESS', '50%'))).toBe('ignored');
    const success = snap('SUCCESS', '100%', { buttons: [{ customId: 'MJ::JOB::upsample::1::0b1f6e9a-1111-4222-8333-944445555666', label: 'U1' }] });
    expect(await s.service.ingest(success)).toBe('applied');
    await s.service.flush();
    expect(await s.service.ingest(success)).toBe('ignored');
    expect(await s.service.ingest(snap('IN_PROGRESS', '90%'))).toBe('ignored');
    await s.service.flush();
    const views = s.presenter.viewsOf(id);
    expect(views.filter((v) => v.final)).toHaveLength(1);
    expect(views.at(-1)?.phase).toBe('result');
    const percents = views.filter((v) => v.phase === 'progress').map((v) => v.percent);
    expect(percents).toEqual([50]);
    expect(await s.service.ingest(TaskSchema.parse({ id: '9999999999999999', status: 'SUCCESS' }))).toBe('unknown');
  });
});

describe('webhook mode', () => {
  it('results arrive through notifyHook callbacks alone (polling effectively off), with a secret hook URL', async () => {
    sim = await startSimulator({ stepMs: 15, notifyChaos: true });
    const port = await freePort();
    const config = parseConfig({ MJ_BASE_URL: sim.url, STORE_URL: 'memory://', PUBLIC_URL: `http://127.0.0.1:${port}`, HTTP_PORT: String(port), MJ_POLL_INTERVAL_MS: '600000' });
    app = await createApp(config, silentLogger());
    const presenter = new RecordingPresenter();
    app.service.attach(presenter);
    await app.service.start();
    const origin = { chat: { platform: 'console' as const, chatId: 'c', isGroup: false }, actor: { userId: 'u', name: 'U', locale: 'en' as const } };
    const id = idOf(await app.service.submit(origin, { kind: 'imagine', prompt: 'hooked' }, 'hooked'));
    const until = Date.now() + 5000;
    while (!presenter.viewsOf(id).some((v) => v.final) && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    const views = presenter.viewsOf(id);
    expect(views.filter((v) => v.final)).toHaveLength(1);
    expect(views.at(-1)?.phase).toBe('result');
    const hook = (sim.requests.find((r) => r.path.endsWith('/submit/imagine'))?.body as { notifyHook?: string }).notifyHook!;
    expect(hook).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/mj/notify/[A-Za-z0-9_-]{20,}$`));
    // Only the flavour probe (a fetch of an all-zero id) may read tasks: no polling happened.
    expect(sim.requests.filter((r) => r.path.endsWith('/list-by-condition') || (r.path.endsWith('/fetch') && !r.path.includes('/0000000000000000/')))).toHaveLength(0);

    // Bad bodies and wrong secrets are refused with the right 4xx and nothing breaks.
    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/mj/notify/wrong-secret`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await fetch(hook, { method: 'POST', body: 'not json' })).status).toBe(400);
    expect((await fetch(hook, { method: 'POST', body: JSON.stringify({ hello: 1 }) })).status).toBe(400);
    expect((await fetch(hook, { method: 'POST', body: JSON.stringify({ id: '123', status: 'SUCCESS' }) })).status).toBe(404);
    expect((await fetch(hook, { method: 'POST', body: 'x'.repeat(2 * 1024 * 1024) }).catch(() => ({ status: 413 }))).status).toBe(413);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
  });
});

describe('images', () => {
  it('an expired signed image link is refreshed by fetching the task again', async () => {
    stack = await createCoreStack({ sim: { imageUrlTtlMs: 150 } });
    const s = stack;
    const final = await s.finalOf(idOf(await s.service.submit(s.origin(), { kind: 'imagine', prompt: 'expiring' }, 'expiring')));
    await new Promise((r) => setTimeout(r, 250));
    expect((await fetch(final.image!.url)).status).toBe(403);
    const image = await s.service.loadImage(final.image!);
    expect(image.mime).toBe('image/png');
    expect(image.bytes.length).toBeGreaterThan(1000);
  });
});
