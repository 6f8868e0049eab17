/**
 * Scale-out on Redis: two app instances share tracking through BullMQ. One batch poll per tick
 * for the whole fleet; when an instance stops without finishing, the other takes its tasks over.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { flushTestRedis, testRedisUrl } from '../helpers/redis.js';
import { createApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { startSimulator, type Simulator } from '../../src/sim/index.js';
import type { Origin, Reply } from '../../src/core/domain/types.js';
import { RecordingPresenter } from './harness.js';

const REDIS_DB = 7;
const redisUrl = testRedisUrl(REDIS_DB);
let apps: App[] = [];
let sim: Simulator | undefined;

afterEach(async () => {
  for (const app of apps) await app.close().catch(() => undefined);
  apps = [];
  await sim?.close();
  sim = undefined;
});

const flushDb = () => flushTestRedis(REDIS_DB);

async function startInstance(simUrl: string): Promise<{ app: App; presenter: RecordingPresenter }> {
  const config = parseConfig({ MJ_BASE_URL: simUrl, MJ_FLAVOUR: 'plus', STORE_URL: redisUrl, MJ_POLL_INTERVAL_MS: '60', FLEET_LOCK_MS: '1000', BOT_SECRET: 'fleet-test-secret-0123456789' });
  const app = await createApp(config, silentLogger());
  const presenter = new RecordingPresenter();
  app.service.attach(presenter);
  await app.service.start();
  apps.push(app);
  return { app, presenter };
}

const origin = (i: number): Origin => ({ chat: { platform: 'console', chatId: `fleet-${i}`, isGroup: true }, actor: { userId: `u${i}`, name: `U${i}`, locale: 'en' } });
const idOf = (r: Reply) => (r.type === 'task' && r.taskId ? r.taskId : '');

describe('fleet on Redis', () => {
  it('polls once per tick for the fleet and hands a stopped instance\'s tasks to the live one, each result delivered once', async () => {
    await flushDb();
    sim = await startSimulator({ stepMs: 120, concurrency: 20, queueLimit: 50 });
    const a = await startInstance(sim.url);
    const b = await startInstance(sim.url);
    const ids = (await Promise.all(Array.from({ length: 10 }, (_, i) => a.app.service.submit(origin(i), { kind: 'imagine', prompt: `fleet ${i}` }, `fleet ${i}`)))).map(idOf);
    expect(ids.every(Boolean)).toBe(true);
    // Let tracking start, then stop instance A without letting it finish (like a crash: its jobs stay locked).
    await new Promise((r) => setTimeout(r, 150));
    const listsBefore = sim.requests.filter((r) => r.path.endsWith('/list-by-condition')).length;
    await a.app.close();
    apps = apps.filter((x) => x !== a.app);

    const until = Date.now() + 15_000;
    const finalsFor = (id: string) => [...a.presenter.finals(), ...b.presenter.finals()].filter((v) => v.taskId === id);
    while (Date.now() < until && !ids.every((id) => finalsFor(id).length > 0)) await new Promise((r) => setTimeout(r, 50));
    for (const id of ids) expect(finalsFor(id), `task ${id}`).toHaveLength(1);
    expect(b.presenter.finals().length).toBeGreaterThan(0);

    // One batch request per tick for the whole fleet, not one per instance.
    const lists = sim.requests.filter((r) => r.path.endsWith('/list-by-condition'));
    expect(listsBefore).toBeGreaterThan(0);
    const fetches = sim.requests.filter((r) => r.path.endsWith('/fetch') && !r.path.includes('/0000000000000000/'));
    expect(fetches).toHaveLength(0);
    const ticksB = b.app.fleet!.ticks;
    expect(lists.length).toBeLessThanOrEqual(ticksB + listsBefore + 2);
  });
});
