/** Drives a console session through in-memory streams, the way a person at a terminal would. */
import { PassThrough } from 'node:stream';
import { createConsoleAdapter, type ConsoleAdapter, type ConsoleConfig } from '../../src/adapters/console/index.js';
import { adapterDepsOf, type Stack } from '../helpers/stack.js';

export interface ConsoleDriver {
  session: ConsoleAdapter;
  /** Everything printed so far. */
  output(): string;
  type(line: string): void;
  /** Wait for `pattern` in output printed after the previous match; returns the match. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  end(): Promise<void>;
}

export function driveConsole(stack: Pick<Stack, 'service' | 'store'>, outputDir: string, opts: Partial<ConsoleConfig> = {}): ConsoleDriver {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  let cursor = 0;
  output.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const session = createConsoleAdapter(adapterDepsOf(stack, 'console'), { input, output, outputDir, userName: 'tester', minUpdateIntervalMs: 0, ...opts });
  void session.start();
  return {
    session,
    output: () => text,
    type: (line) => input.write(`${line}\n`),
    async waitFor(pattern, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const match = pattern.exec(text.slice(cursor));
        if (match) {
          cursor += (match.index ?? 0) + match[0].length;
          return match;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`no ${pattern} in console output after position ${cursor}:\n${text}`);
    },
    async end() {
      input.end();
      await session.done;
    },
  };
}
