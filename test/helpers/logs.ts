/** A real logger (createLogger, with its scrubbing) whose JSON lines a test can read and wait for. */
import { createLogger, type Logger } from '../../src/log.js';

export type LogLine = Record<string, unknown> & { level: number; msg?: string };

export interface CapturedLogs {
  logger: Logger;
  lines(): LogLine[];
  /** Resolves with the first line (from the start) matching `pred`. */
  waitFor(pred: (line: LogLine) => boolean, label: string, timeoutMs?: number): Promise<LogLine>;
}

export const WARN = 40;

export function captureLogs(level: 'info' | 'debug' | 'trace' = 'info'): CapturedLogs {
  const lines: LogLine[] = [];
  const logger = createLogger({ LOG_LEVEL: level }, { write: (text: string) => void lines.push(JSON.parse(text) as LogLine) });
  return {
    logger,
    lines: () => lines,
    async waitFor(pred, label, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = lines.find(pred);
        if (found) return found;
        if (Date.now() > until) throw new Error(`no log line: ${label}; logged:\n${lines.map((l) => JSON.stringify(l)).join('\n')}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}
