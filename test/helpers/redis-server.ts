/**
 * A throwaway redis-server of the test's own (never the shared one), on a free port: `kill()`
 * takes it away like a crash, `start()` brings it back — empty, or with its data when it was
 * given a directory to persist in (append-only file, fsync on every write).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePort } from './net.js';
import { until } from './wait.js';

export interface OwnRedis {
  readonly url: string;
  /** Start it (again), empty; resolves once it answers PING. */
  start(): Promise<void>;
  /** SIGKILL; resolves once the process is gone. */
  kill(): Promise<void>;
}

const running = new Set<ChildProcess>();

export async function ownRedis(opts: { dir?: string } = {}): Promise<OwnRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const answers = async (): Promise<boolean> => {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      return (await probe.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      probe.disconnect();
    }
  };
  return {
    url,
    async start() {
      const persistence = opts.dir ? ['--dir', opts.dir, '--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
      const started = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence], { stdio: 'ignore' });
      child = started;
      running.add(started);
      started.once('exit', () => running.delete(started));
      await until(answers, 10_000, `redis-server on ${port}`);
    },
    async kill() {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const gone = new Promise((resolve) => c.once('exit', resolve));
      c.kill('SIGKILL');
      await gone;
    },
  };
}

/** Kill every redis-server the tests started (afterEach). */
export async function killOwnRedis(): Promise<void> {
  await Promise.all(
    [...running].map((c) => {
      const gone = new Promise((resolve) => c.once('exit', resolve));
      c.kill('SIGKILL');
      return gone;
    }),
  );
}
