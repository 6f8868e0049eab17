/**
 * Child process for close-mid-tick.test.ts: starts and closes a fleet again and again while its
 * poll ticks are in flight (a tick every 15 ms, each waiting on a proxy that answers in 0–10 ms, or
 * never) and while tasks finish around the close. Prints one dot per cycle and `done` at the end;
 * a close that leaves BullMQ spinning starves the event loop, and the process never gets there.
 */
import { silentLogger } from '../../src/log.js';
import { createFleet } from '../../src/runtime/fleet.js';
import type { Task } from '../../src/mj/schemas.js';

const { REDIS_URL: redisUrl = '', CYCLES: cyclesArg = '40', PROXY: proxy = 'slow' } = process.env;
const prefix = `close-cycles-${process.pid}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const listTasks = async (): Promise<Task[]> => {
  if (proxy === 'silent') await new Promise(() => undefined);
  await sleep(Math.random() * 10);
  return [];
};

for (let cycle = 0; cycle < Number(cyclesArg); cycle++) {
  const fleet = createFleet({ redisUrl, intervalMs: 15, lockMs: 1000, logger: silentLogger(), prefix, listTasks });
  const follows = new Map<string, () => void>();
  await fleet.start({
    follow: (id) => new Promise<void>((resolve) => follows.set(id, resolve)),
    owns: (id) => follows.has(id),
    apply: async () => 'applied',
    release: (id) => follows.get(id)?.(),
    pollIds: async () => ['1', '2'],
    openIds: async () => [],
    restore: async () => [],
  });
  for (let k = 0; k < 5; k++) await fleet.track(`${cycle}0${k}`);
  await sleep(20 + Math.random() * 40);
  // Some tasks settle while the fleet closes.
  for (const settle of follows.values()) setTimeout(settle, Math.random() * 20);
  await fleet.close();
  process.stdout.write('.');
}
process.stdout.write('done\n');
process.exit(0);
