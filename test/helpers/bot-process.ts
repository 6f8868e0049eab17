/**
 * Start the bot exactly as `npm start` does, as a real child process. Node runs the TypeScript
 * through tsx's loader in the same process (not the tsx CLI, which would fork a grandchild that
 * a SIGKILL of the child does not reach).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

const root = new URL('../../', import.meta.url).pathname;

export interface BotProcess {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>;
  /** SIGKILL, resolved once the process is gone. */
  kill: () => Promise<void>;
}

const running = new Set<ChildProcessWithoutNullStreams>();

export function spawnBot(env: Record<string, string>): BotProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  return {
    child,
    output: () => out,
    async waitFor(pattern, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const match = out.match(pattern);
        if (match) return match;
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`timed out waiting for ${pattern}; output:\n${out}`);
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await gone;
    },
  };
}

/** Kill every bot process still running (afterEach). */
export async function killAllBots(): Promise<void> {
  await Promise.all(
    [...running].map((child) => {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      return gone;
    }),
  );
}
