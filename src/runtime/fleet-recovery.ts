/**
 * Notices a Redis that came back without its data (restarted without persistence, flushed): the
 * fleet's poll schedule and its task jobs are gone with it, and nothing would poll again. An
 * "epoch" key marks the data this process started on; when it is missing or another value, the
 * data was lost — the fleet schedules its polls again and queues the tasks it follows again.
 * Checked on every reconnect and every few seconds (a flush needs no reconnect).
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';

export interface DataLossWatchOptions {
  redis: Redis;
  markerKey: string;
  everyMs: number;
  logger: Logger;
  warn: (err: unknown) => void;
  /** Rebuild what the lost data held; returns how many tasks were queued again. */
  recover: () => Promise<number>;
}

/** Start watching; returns a function that stops it. */
export async function watchForDataLoss(opts: DataLossWatchOptions): Promise<() => void> {
  const { redis, markerKey } = opts;
  /** Set the marker unless another process did; the value every process agrees on. */
  const claim = async (): Promise<string> => {
    await redis.set(markerKey, randomUUID(), 'NX');
    return (await redis.get(markerKey)) ?? '';
  };
  let epoch = await claim();
  let checking: Promise<void> | undefined;
  const check = async (): Promise<void> => {
    if ((await redis.get(markerKey)) === epoch) return;
    epoch = await claim();
    const tasks = await opts.recover();
    opts.logger.warn({ tasks }, 'redis came back without the fleet data; poll schedule recreated, followed tasks queued again');
  };
  const trigger = (): void => {
    checking ??= check()
      .catch(opts.warn)
      .finally(() => {
        checking = undefined;
      });
  };
  const timer = setInterval(trigger, opts.everyMs);
  timer.unref?.();
  redis.on('ready', trigger);
  return () => {
    clearInterval(timer);
    redis.off('ready', trigger);
  };
}
