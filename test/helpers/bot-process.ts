/**
 * Start the bot exactly as `npm start` does, as a real child process. Node runs the TypeScript
 * through tsx's loader in the same process (not the tsx CLI, which would fork a grandchild that
 * a SIGKILL of the child does not reach).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

const root = new URL('../../', import.meta.url).pathname;

export interface BotProcess {
  child: ChildProcessWithoutNullStreams;
  /** stdout and stderr as they arrived. */
  output: () => string;
  stdout: () => string;
  stderr: () => string;
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>;
  /** SIGKILL, resolved once the process is gone. */
  kill: () => Promise<void>;
}

const running = new Set<ChildProcessWithoutNullStreams>();

/** `npm start`'s entry, or another script of the repository (e.g. the deploy-commands one). */
export function spawnBot(env: Record<string, string>, script = 'src/main.ts'): BotProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let out = '';
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    stderr += chunk.toString('utf8');
  });
  return {
    child,
    output: () => out,
    stdout: () => stdout,
    stderr: () => stderr,
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

export interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Wait until the process ends by itself; a process still running after `withinMs` is killed and
 * the wait fails, naming what it printed.
 */
export async function exitOf(bot: BotProcess, withinMs: number): Promise<Exit> {
  const { child } = bot;
  if (child.exitCode === null && child.signalCode === null) {
    const ended = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), withinMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!ended) {
      await bot.kill();
      throw new Error(`still running after ${withinMs} ms; output:\n${bot.output()}`);
    }
  }
  // The streams may still hold the last lines when 'exit' fires.
  await new Promise<void>((resolve) => (child.stdout.readableEnded && child.stderr.readableEnded ? resolve() : child.once('close', () => resolve())));
  return { code: child.exitCode, stdout: bot.stdout(), stderr: bot.stderr() };
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
