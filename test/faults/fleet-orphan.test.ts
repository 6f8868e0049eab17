/**
 * A fleet process killed between saving a new task and queueing it for tracking leaves an open
 * task without a job. Another process notices (it re-queues every open task now and then) and
 * delivers the result.
 */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import type { TaskRecord } from '../../src/core/domain/records.js';
import { RecordStore } from '../../src/core/domain/stores.js';
import { silentLogger } from '../../src/log.js';
import { MjClient } from '../../src/mj/client.js';
import { startSimulator, type Simulator } from '../../src/sim/index.js';
import { RecordingPresenter } from '../core/harness.js';
import { testRedisUrl } from '../helpers/redis.js';

const redisUrl = testRedisUrl(12);
let app: App | undefined;
let sim: Simulator | undefined;
afterEach(async () => {
  await app?.close();
  await sim?.close();
  app = sim = undefined;
});

describe('an open task nobody queued (its process died right after saving it)', () => {
  it('is picked up by a live fleet process and its result delivered', async () => {
    const redis = new Redis(redisUrl);
    await redis.flushdb();
    redis.disconnect();
    sim = await startSimulator({ stepMs: 50 });
    const config = parseConfig({ MJ_BASE_URL: sim.url, MJ_FLAVOUR: 'plus', STORE_URL: redisUrl, MJ_POLL_INTERVAL_MS: '50', FLEET_LOCK_MS: '1000', BOT_SECRET: 'fleet-orphan-secret-0123456789' });
    app = await createApp(config, silentLogger());
    const presenter = new RecordingPresenter();
    app.service.attach(presenter);
    await app.service.start();

    // What the dead process left behind: the proxy has the task, the store its open record, BullMQ nothing.
    const client = new MjClient({ baseUrl: sim.url, flavour: 'plus' });
    const { taskId } = await client.imagine({ prompt: 'an orphaned heron' });
    await client.close();
    const chat = { platform: 'console' as const, chatId: 'orphans', isGroup: false };
    const now = Date.now();
    const record: TaskRecord = {
      taskId, kind: 'imagine', prompt: 'an orphaned heron', chat, owner: { userId: 'u1', name: 'U1', locale: 'en' }, ref: { chat, messageId: 'm-1' },
      status: 'NOT_START', percent: 0, rank: 0, submittedAt: now, deadline: now + 60_000, finished: false, stage: 'submitted',
    };
    await new RecordStore(app.store).save(record);

    const until = Date.now() + 20_000;
    while (Date.now() < until && !presenter.viewsOf(taskId).some((v) => v.final)) await new Promise((r) => setTimeout(r, 50));
    expect(presenter.viewsOf(taskId).filter((v) => v.final).map((v) => v.phase)).toEqual(['result']);
    const records = new RecordStore(app.store);
    while (Date.now() < until && (await records.get(taskId))?.stage !== 'delivered') await new Promise((r) => setTimeout(r, 50));
    expect((await records.get(taskId))?.stage).toBe('delivered');
  });
});
