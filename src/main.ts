/**
 * Process entry (`npm start`): parse the config once, build the app with the adapters the config
 * asks for — Telegram and/or Discord, or a console session when no chat token is set — and run.
 * A start-up that fails, whatever the reason, ends within STARTUP_TIMEOUTS.totalMs with one line
 * on stderr (src/startup.ts) and a non-zero exit code: 2 for a bad setting, 1 for anything else.
 */
import { loadConfig } from './config.js';
import { StartupError } from './errors.js';
import { createLogger, secretsOf } from './log.js';
import { createApp, type App } from './app.js';
import { seconds, startupLine, STARTUP_TIMEOUTS, withTimeout } from './startup.js';

/** Print the one line and leave. */
function fail(line: string, exitCode: number): never {
  process.stderr.write(`${line}\n`);
  process.exit(exitCode);
}

async function main(): Promise<void> {
  let config;
  try {
    config = await loadConfig();
  } catch (err) {
    // A bad value names the variable and what is allowed, never its value.
    fail(startupLine(err, []), 2);
  }
  const consoleMode = !config.TELEGRAM_BOT_TOKEN && !config.DISCORD_TOKEN;
  // In a console session the terminal is the UI: logs go to stderr, quietly.
  const logger = createLogger(consoleMode && config.LOG_LEVEL === 'info' ? { ...config, LOG_LEVEL: 'warn' } : config, consoleMode ? process.stderr : undefined);
  let started = false;
  // Scrubbed of the configured secrets and of every secret derived from them so far.
  const failStart = (err: unknown): never => fail(startupLine(err, secretsOf(logger)), 1);
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
  process.on('uncaughtException', (err) => {
    if (!started) failStart(err);
    logger.fatal({ err }, 'uncaught exception');
    process.exit(1);
  });

  const app: App = await withTimeout(
    async () => {
      const built = await createApp(config, logger, { console: { input: process.stdin, output: process.stdout } });
      await built.start();
      return built;
    },
    STARTUP_TIMEOUTS.totalMs,
    () => new StartupError('LOG_LEVEL', `start-up did not finish within ${seconds(STARTUP_TIMEOUTS.totalMs)}: start again with LOG_LEVEL=debug to see the step it waits for`),
  ).catch(failStart);
  started = true;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  const ends = app.adapters.flatMap((adapter) => (adapter.done ? [adapter.done] : []));
  if (ends.length) {
    await Promise.race(ends);
    await stop('input closed');
  }
}

void main();
