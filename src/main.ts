/**
 * Process entry (`npm start`): parse the config once, build the app with the adapters the config
 * asks for — Telegram and/or Discord, or a console session when no chat token is set — and run.
 */
import { loadConfig } from './config.js';
import { isBotError } from './errors.js';
import { createLogger } from './log.js';
import { createApp } from './app.js';

async function main(): Promise<void> {
  let config;
  try {
    config = await loadConfig();
  } catch (err) {
    // A bad value stops start-up with a message naming the variable (never its value).
    console.error(isBotError(err) ? err.message : err);
    process.exit(2);
  }
  const consoleMode = !config.TELEGRAM_BOT_TOKEN && !config.DISCORD_TOKEN;
  // In a console session the terminal is the UI: logs go to stderr, quietly.
  const logger = createLogger(consoleMode && config.LOG_LEVEL === 'info' ? { ...config, LOG_LEVEL: 'warn' } : config, consoleMode ? process.stderr : undefined);
  const app = await createApp(config, logger, { console: { input: process.stdin, output: process.stdout } });
  await app.start();

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
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
  const ends = app.adapters.flatMap((adapter) => (adapter.done ? [adapter.done] : []));
  if (ends.length) {
    await Promise.race(ends);
    await stop('input closed');
  }
}

void main();
