/**
 * Scale-out on Redis with BullMQ. Several bot processes share one Redis store:
 * - every open task is a BullMQ job (jobId = taskId) in the `track` queue; the worker that holds
 *   it is the one process tracking it. If that process dies, its job lock expires, BullMQ moves
 *   the stalled job back to the queue and a live process takes the task over;
 * - a job scheduler in the `poll` queue fires once per interval for the whole fleet: whichever
 *   worker gets the tick makes the one batch list-by-condition request for every open task and
 *   publishes the snapshots on a Redis channel; each process applies those it owns;
 * - notifyHook callbacks reaching a process that does not own the task are published the same way.
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { FleetHost, TaskFleet } from '../core/domain/ports.js';
import type { Logger } from '../log.js';
import { TaskSchema, type Task } from '../mj/schemas.js';

export interface FleetOptions {
  redisUrl: string;
  /** One batch of tasks from the proxy (list-by-condition, chunked by the client). */
  listTasks: (ids: string[]) => Promise<Task[]>;
  intervalMs: number;
  /** How long a dead process keeps its tasks before others take them over. */
  lockMs: number;
  logger: Logger;
  /** Key prefix for BullMQ and the channel (tests isolate runs with it). */
  prefix?: string;
}

export interface Fleet extends TaskFleet {
  /** Poll ticks this process ran (tests, metrics). */
  readonly ticks: number;
}

/** The fleet's queues and channels; its workers start with `start(host)` (the service calls it). */
export function createFleet(opts: FleetOptions): Fleet {
  const prefix = opts.prefix ?? 'mjbot';
  const channel = `${prefix}:task-updates`;
  const connection = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
  const subscriber = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
  const publisher = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
  const queueOpts = { connection, prefix };
  const trackQueue = new Queue('track', queueOpts);
  const pollQueue = new Queue('poll', queueOpts);
  let ticks = 0;

  let host: FleetHost | undefined;
  let workers: Worker[] = [];

  const start = async (h: FleetHost): Promise<void> => {
    host = h;
    const trackWorker = new Worker(
      'track',
      async (job) => {
        const taskId = String(job.data.taskId);
        opts.logger.debug({ taskId }, 'tracking task');
        // The job stays active (its lock renewed by BullMQ) for as long as this process follows the task.
        await h.follow(taskId);
      },
      { ...queueOpts, concurrency: 100_000, lockDuration: opts.lockMs, stalledInterval: Math.max(500, Math.floor(opts.lockMs / 2)), maxStalledCount: 1000 },
    );
    const pollWorker = new Worker(
      'poll',
      async () => {
        ticks++;
        const ids = await h.openIds();
        if (ids.length === 0) return;
        const tasks = await opts.listTasks(ids);
        if (tasks.length) await publisher.publish(channel, JSON.stringify(tasks));
      },
      { ...queueOpts, concurrency: 1 },
    );
    workers = [trackWorker, pollWorker];
    for (const worker of workers) worker.on('error', (err) => opts.logger.warn({ err }, 'fleet worker error'));
    await pollQueue.upsertJobScheduler('tick', { every: opts.intervalMs }, { name: 'tick', opts: { removeOnComplete: true, removeOnFail: true } });

    await subscriber.subscribe(channel);
    subscriber.on('message', (_channel: string, message: string) => {
      let list: unknown;
      try {
        list = JSON.parse(message);
      } catch {
        return;
      }
      for (const raw of Array.isArray(list) ? list : []) {
        const parsed = TaskSchema.safeParse(raw);
        // Only the owner applies; the others do nothing.
        if (parsed.success && h.owns(parsed.data.id)) void h.apply(parsed.data).catch((err: unknown) => opts.logger.warn({ err }, 'fleet ingest failed'));
      }
    });
  };

  return {
    get ticks() {
      return ticks;
    },
    start,
    async track(taskId) {
      // BullMQ refuses integer-looking job ids; the prefix keeps one job per task.
      await trackQueue.add('track', { taskId }, { jobId: `task-${taskId}`, removeOnComplete: true, removeOnFail: true });
    },
    async route(task) {
      if (host?.owns(task.id)) return host.apply(task);
      await publisher.publish(channel, JSON.stringify([task]));
      return 'published';
    },
    async close() {
      // force: leave active jobs to expire, so another process takes the tasks over.
      await Promise.all(workers.map((w) => w.close(true)));
      await Promise.all([trackQueue.close(), pollQueue.close()]);
      for (const redis of [subscriber, publisher, connection]) redis.disconnect();
    },
  };
}
