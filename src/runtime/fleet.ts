/**
 * Scale-out on Redis with BullMQ. Several bot processes share one Redis store:
 * - every open task is a BullMQ job (jobId = task-<taskId>) in the `track` queue; the worker that
 *   holds its lock is the one process tracking it. If that process dies or stalls past the lock
 *   time, BullMQ moves the job back to the queue and a live process takes the task over;
 * - fencing: the lock's token is compared in Redis before every apply and every delivery, so a
 *   process that lost a task (paused, cut off) stops instead of delivering it a second time;
 * - a job scheduler in the `poll` queue fires once per interval for the whole fleet: whichever
 *   worker gets the tick makes the one batch list-by-condition request for every open task and
 *   publishes the snapshots on a Redis channel; each process applies those it still holds;
 * - notifyHook callbacks reaching a process that does not own the task are published the same way;
 * - every so often the poll worker queues every open task again (a no-op for those that have a
 *   job): a process killed between saving a task and queueing it leaves no task unfollowed;
 * - Redis trouble is logged as structured warnings; when Redis comes back without its data
 *   (fleet-recovery.ts), the poll schedule is created again and the tasks being followed are queued again.
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { FleetHost, TaskFleet } from '../core/domain/ports.js';
import type { Logger } from '../log.js';
import type { Task } from '../mj/schemas.js';
import { parseTask } from '../mj/task-parse.js';
import { watchForDataLoss } from './fleet-recovery.js';
import { createRedisWatch } from './redis-watch.js';

export interface FleetOptions {
  redisUrl: string;
  /** One batch of tasks from the proxy (list-by-condition, chunked by the client). */
  listTasks: (ids: string[]) => Promise<Task[]>;
  intervalMs: number;
  /** How long a dead or paused process keeps its tasks before others take them over. */
  lockMs: number;
  logger: Logger;
  /** Key prefix for BullMQ and the channel (tests isolate runs with it). */
  prefix?: string;
}

export interface Fleet extends TaskFleet {
  /** Poll ticks this process ran (tests, metrics). */
  readonly ticks: number;
}

/** BullMQ refuses integer-looking job ids; the prefix keeps one job per task. */
const jobIdOf = (taskId: string): string => `task-${taskId}`;
const taskIdOf = (jobId: string): string => jobId.replace(/^task-/, '');

/** The fleet's queues and channels; its workers start with `start(host)` (the service calls it). */
export function createFleet(opts: FleetOptions): Fleet {
  const prefix = opts.prefix ?? 'mjbot';
  const channel = `${prefix}:task-updates`;
  const redis = createRedisWatch(opts.logger);
  // BullMQ's connection waits for Redis (blocking commands need that); the fencing client gives
  // up after a moment instead, so a check that cannot be made is retried later, not waited for.
  const connection = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
  const subscriber = new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
  const publisher = new Redis(opts.redisUrl, { maxRetriesPerRequest: 1, commandTimeout: 5000 });
  redis.watch(connection, 'fleet');
  redis.watch(subscriber, 'fleet-subscriber');
  redis.watch(publisher, 'fleet-publisher');
  const queueOpts = { connection, prefix };
  const trackQueue = new Queue('track', queueOpts);
  const pollQueue = new Queue('poll', queueOpts);
  trackQueue.on('error', (err) => redis.warn('track-queue', err));
  pollQueue.on('error', (err) => redis.warn('poll-queue', err));
  /** Lock token of every task this process follows (the fencing token). */
  const tokens = new Map<string, string>();
  const lockKey = (taskId: string): string => `${trackQueue.toKey(jobIdOf(taskId))}:lock`;
  let ticks = 0;
  let host: FleetHost | undefined;
  let workers: Worker[] = [];
  let stopWatching = (): void => undefined;
  /** Resolves when the fleet closes: a poll tick waiting on the proxy stops waiting then. */
  let markClosing = (): void => undefined;
  const closing = new Promise<'closing'>((resolve) => (markClosing = () => resolve('closing')));

  /** Which of `ids` this process still holds, in one round trip (rejects when Redis cannot be asked). */
  const stillHeld = async (ids: string[]): Promise<Set<string>> => {
    const mine = ids.filter((id) => tokens.has(id));
    if (mine.length === 0) return new Set();
    const current = await publisher.mget(...mine.map(lockKey));
    return new Set(mine.filter((id, i) => current[i] === tokens.get(id)));
  };

  /** Stop following tasks another process holds now. */
  const letGo = (ids: string[]): void => {
    for (const id of ids) {
      if (!host?.owns(id)) continue;
      opts.logger.warn({ taskId: id }, 'fleet lock of a task lost; another process follows it now');
      tokens.delete(id);
      host.release(id);
    }
  };

  const applyHeld = async (h: FleetHost, tasks: Task[]): Promise<void> => {
    const owned = tasks.filter((t) => h.owns(t.id));
    if (owned.length === 0) return;
    const held = await stillHeld(owned.map((t) => t.id));
    letGo(owned.map((t) => t.id).filter((id) => !held.has(id)));
    for (const task of owned) {
      if (held.has(task.id)) void h.apply(task).catch((err: unknown) => opts.logger.warn({ err, taskId: task.id }, 'fleet ingest failed'));
    }
  };

  const schedulePolls = (): Promise<unknown> =>
    pollQueue.upsertJobScheduler('tick', { every: opts.intervalMs }, { name: 'tick', opts: { removeOnComplete: true, removeOnFail: true } });

  /** Queue a task to be followed; BullMQ keeps one job per id, so queueing it again changes nothing. */
  const track = async (taskId: string): Promise<void> => {
    await trackQueue.add('track', { taskId }, { jobId: jobIdOf(taskId), removeOnComplete: true, removeOnFail: true });
  };

  /** Open tasks without a job (their process died between saving and queueing them) get one. */
  const sweepEveryMs = Math.max(opts.lockMs, 10 * opts.intervalMs);
  let lastSweep = Date.now();
  const requeueOpen = async (h: FleetHost): Promise<void> => {
    if (Date.now() - lastSweep < sweepEveryMs) return;
    lastSweep = Date.now();
    for (const id of await h.openIds()) await track(id);
  };

  const start = async (h: FleetHost): Promise<void> => {
    host = h;
    const trackWorker = new Worker(
      'track',
      async (job, token) => {
        const taskId = String(job.data.taskId);
        opts.logger.debug({ taskId }, 'tracking task');
        if (token) tokens.set(taskId, token);
        try {
          // The job stays active (its lock renewed by BullMQ) for as long as this process follows the task.
          await h.follow(taskId);
        } finally {
          if (tokens.get(taskId) === token) tokens.delete(taskId);
        }
      },
      { ...queueOpts, concurrency: 100_000, lockDuration: opts.lockMs, stalledInterval: Math.max(500, Math.floor(opts.lockMs / 2)), maxStalledCount: 1000 },
    );
    // Paused or cut off past the lock time: BullMQ could not renew these locks, someone else has them.
    trackWorker.on('lockRenewalFailed', (jobIds: string[]) => letGo(jobIds.map(taskIdOf)));
    const pollWorker = new Worker(
      'poll',
      async () => {
        ticks++;
        await requeueOpen(h);
        const ids = await h.pollIds();
        if (ids.length === 0) return;
        const tasks = await Promise.race([opts.listTasks(ids), closing]);
        if (tasks !== 'closing' && tasks.length) await publisher.publish(channel, JSON.stringify(tasks));
      },
      { ...queueOpts, concurrency: 1 },
    );
    workers = [trackWorker, pollWorker];
    trackWorker.on('error', (err) => redis.warn('track-worker', err, 'fleet worker error'));
    pollWorker.on('error', (err) => redis.warn('poll-worker', err, 'fleet worker error'));
    await schedulePolls();

    await subscriber.subscribe(channel);
    subscriber.on('message', (_channel: string, message: string) => {
      let list: unknown;
      try {
        list = JSON.parse(message);
      } catch {
        return;
      }
      const tasks = (Array.isArray(list) ? list : []).flatMap((raw) => parseTask(raw) ?? []);
      // Only the holder of a task's lock applies it; the others do nothing.
      applyHeld(h, tasks).catch((err: unknown) => redis.warn('fleet-fencing', err, 'could not check fleet locks; the next poll tries again'));
    });

    stopWatching = await watchForDataLoss({
      redis: publisher,
      markerKey: `${prefix}:fleet:epoch`,
      everyMs: Math.max(1000, Math.min(opts.lockMs, 10_000)),
      logger: opts.logger,
      warn: (err) => redis.warn('fleet-recovery', err),
      recover: async () => {
        await schedulePolls();
        const ids = await h.restore();
        for (const id of ids) await track(id);
        return ids.length;
      },
    });
  };

  return {
    get ticks() {
      return ticks;
    },
    start,
    track,
    async route(task) {
      if (host?.owns(task.id)) {
        if ((await stillHeld([task.id])).has(task.id)) return host.apply(task);
        letGo([task.id]);
      }
      await publisher.publish(channel, JSON.stringify([task]));
      return 'published';
    },
    async holds(taskId) {
      const held = (await stillHeld([taskId])).has(taskId);
      if (!held) tokens.delete(taskId);
      return held;
    },
    async close() {
      stopWatching();
      markClosing();
      // The poll worker is closed gracefully (its tick ends at once now): a tick that finished after a
      // forced close would make BullMQ retry its completion on the closed connection in a tight loop
      // that starves the event loop. The track worker's jobs last as long as their tasks, so it is
      // forced: active jobs are left to expire, and another process takes the tasks over.
      const [trackWorker, pollWorker] = workers;
      await pollWorker?.close();
      await trackWorker?.close(true);
      await Promise.all([trackQueue.close(), pollQueue.close()]);
      for (const client of [subscriber, publisher, connection]) client.disconnect();
    },
  };
}
