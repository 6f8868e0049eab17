/**
 * Start-up failure tests run the real `npm start` entry as a child process and look at what an
 * operator sees: the exit code, stderr (exactly one line), and that nothing secret was printed.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { expect } from 'vitest';
import { exitOf, spawnBot, type Exit } from '../helpers/bot-process.js';

/** `npm start` promises to end a failed start within this bound (loading the code included). */
export const STARTUP_BOUND_MS = 15_000;

/** Start the bot with `env` and wait for it to give up (stdin stays open: a console session would wait for input). */
export async function failedStart(env: Record<string, string>, script?: string): Promise<Exit> {
  return exitOf(spawnBot({ STORE_URL: 'memory://', ...env }, script), STARTUP_BOUND_MS);
}

/** Exactly one non-empty line on stderr, matching `pattern`; a non-zero exit code; none of `secrets` anywhere. */
export function expectOneLine(exit: Exit, pattern: RegExp, secrets: readonly string[] = []): string {
  const lines = exit.stderr.split('\n').filter((line) => line.trim() !== '');
  expect(lines, `stderr:\n${exit.stderr}\nstdout:\n${exit.stdout}`).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(exit.code).not.toBe(0);
  expect(exit.code).not.toBeNull();
  for (const secret of secrets) expect(exit.stdout + exit.stderr, `printed a secret (${secret.slice(0, 6)}…)`).not.toContain(secret);
  return lines[0] ?? '';
}

/** A TCP server that accepts connections and never answers: a host that hangs. */
export async function silentServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
