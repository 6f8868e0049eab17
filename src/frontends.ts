/** Starts the front ends the config asks for on top of an App. */
import type { App } from './app.js';
import { startConsole } from './adapters/console/index.js';
import { startDiscord } from './adapters/discord/index.js';
import { startTelegram } from './adapters/telegram/index.js';

export interface Frontends {
  /** Resolves when the process should end on its own (console input closed). */
  done: Promise<void>;
  close(): Promise<void>;
}

export async function startFrontends(app: App, io: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream }): Promise<Frontends> {
  const { config } = app;
  const closers: (() => Promise<void> | void)[] = [];
  let done: Promise<void> = new Promise(() => undefined);
  if (config.TELEGRAM_BOT_TOKEN) {
    const telegram = await startTelegram(app);
    closers.push(() => telegram.close());
  }
  if (config.DISCORD_TOKEN) {
    const discord = await startDiscord(app);
    closers.push(() => discord.close());
  }
  if (!config.TELEGRAM_BOT_TOKEN && !config.DISCORD_TOKEN) {
    const session = startConsole({ service: app.service, input: io.input, output: io.output, outputDir: config.OUTPUT_DIR, locale: config.DEFAULT_LOCALE, prompt: true });
    closers.push(() => session.close());
    done = session.done;
  }
  return {
    done,
    async close() {
      for (const close of closers.reverse()) await close();
    },
  };
}
