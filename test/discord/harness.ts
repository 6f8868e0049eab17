/**
 * Discord end-to-end stack: the fake Discord (gateway + REST on 127.0.0.1), the MJ simulator,
 * and the real app + Discord adapter started the way `npm start` starts them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { createApp, type App } from '../../src/app.js';
import { createDiscordAdapter, type DiscordAdapter } from '../../src/adapters/discord/index.js';
import { parseConfig } from '../../src/config.js';
import { silentLogger } from '../../src/log.js';
import { startSimulator, type SimOptions, type Simulator } from '../../src/sim/index.js';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions, type FakeMessage, type FakeUser, type InteractionHandle } from '../fakes/discord/index.js';

export interface DiscordStack {
  fake: FakeDiscord;
  sim: Simulator;
  app: App;
  adapter: DiscordAdapter;
  /** Stop the adapter and the app (not the fake or the simulator) and start both again on the same store. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface StackOptions {
  sim?: SimOptions;
  fake?: FakeDiscordOptions;
  /** Persist the store in a temporary sqlite file (restart tests). */
  sqlite?: boolean;
  env?: Record<string, string>;
  minUpdateIntervalMs?: number;
  /**
   * The channel's message limit, enforced by the fake and paced by the adapter alike. Default 50
   * per second: roomy, so tests of other things never see their views coalesced; the pacing
   * tests set Discord's shape (5 per window).
   */
  channel?: { limit: number; windowMs: number; progressReserve?: number };
}

export const OTHER_USER: FakeUser = { id: '200000000000000002', username: 'someone', globalName: 'Someone Else' };

export async function startStack(opts: StackOptions = {}): Promise<DiscordStack> {
  const channel = opts.channel ?? { limit: 50, windowMs: 1000 };
  const fake = await startFakeDiscord({ rateLimit: { channel: { limit: channel.limit, windowMs: channel.windowMs } }, ...opts.fake });
  const sim = await startSimulator({ stepMs: 20, ...opts.sim });
  const dir = opts.sqlite ? mkdtempSync(join(tmpdir(), 'mjbot-discord-')) : undefined;
  const config = parseConfig({
    DISCORD_TOKEN: fake.token,
    DISCORD_API_BASE: fake.apiBase,
    STORE_URL: dir ? `sqlite://${join(dir, 'store.sqlite')}` : 'memory://',
    MJ_POLL_INTERVAL_MS: '50',
    MJ_BASE_URL: sim.url,
    MJ_FLAVOUR: 'plus',
    BOT_SECRET: 'discord-test-secret-0123456789abcdef',
    ...opts.env,
  });
  const boot = async (): Promise<{ app: App; adapter: DiscordAdapter }> => {
    const app = await createApp(config, silentLogger(), { simStepMs: 20, adapters: false });
    const channelBudget = { messages: channel.limit, windowMs: channel.windowMs, ...(channel.progressReserve === undefined ? {} : { progressReserve: channel.progressReserve }) };
    const adapter = createDiscordAdapter(app.adapterDeps('discord'), { token: fake.token, apiBase: fake.apiBase, minUpdateIntervalMs: opts.minUpdateIntervalMs ?? 250, channelBudget });
    await adapter.start();
    await app.service.start();
    return { app, adapter };
  };
  let running = await boot();
  await fake.ready();
  const stop = async (): Promise<void> => {
    await running.adapter.close();
    await running.app.close();
  };
  return {
    fake,
    sim,
    get app() {
      return running.app;
    },
    get adapter() {
      return running.adapter;
    },
    async restart() {
      await stop();
      running = await boot();
    },
    async close() {
      await stop().catch(() => undefined);
      await sim.close();
      await fake.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A small PNG to attach as a user image. */
export function userPng(width = 64, height = 64, shade = 180): Buffer {
  const png = new PNG({ width, height });
  for (let i = 0; i < png.data.length; i += 4) {
    png.data[i] = shade;
    png.data[i + 1] = (i / 4) % 255;
    png.data[i + 2] = 90;
    png.data[i + 3] = 255;
  }
  return PNG.sync.write(png);
}

export interface Embed {
  title?: string;
  description?: string;
  footer?: { text?: string };
  image?: { url?: string };
}

export interface Button {
  type: number;
  custom_id?: string;
  label?: string;
  emoji?: { name?: string };
}

export function embedOf(msg: FakeMessage | undefined): Embed | undefined {
  return msg?.embeds[0] as Embed | undefined;
}

/** The buttons of a message, row by row. */
export function rowsOf(msg: FakeMessage | undefined): Button[][] {
  return (msg?.components ?? []).map((row) => ((row as { components?: Button[] }).components ?? []));
}

/** The custom_id of the button labelled `label` (or with emoji `label`). */
export function buttonId(msg: FakeMessage | undefined, label: string): string {
  const found = rowsOf(msg).flat().find((b) => b.label === label || b.emoji?.name === label);
  if (!found?.custom_id) throw new Error(`no button "${label}" on message; have: ${rowsOf(msg).flat().map((b) => b.label ?? b.emoji?.name).join(', ')}`);
  return found.custom_id;
}

/** The MP4 clip attached to a message (a video result), if any. */
export function clipOf(msg: FakeMessage | undefined): FakeMessage['attachments'][number] | undefined {
  return msg?.attachments.find((a) => a.filename.endsWith('.mp4'));
}

/** True when the message shows a finished task with its image (or a video result's clip) attached. */
export function isResult(msg: FakeMessage | undefined): boolean {
  const embed = embedOf(msg);
  return Boolean(embed?.title?.startsWith('✅') && msg?.attachments.length && (embed.image?.url?.startsWith('attachment://') || clipOf(msg)));
}

/** Wait until the interaction's own public reply shows a finished task; returns that message. */
export async function resultOf(fake: FakeDiscord, handle: InteractionHandle, timeoutMs = 8000): Promise<FakeMessage> {
  await fake.waitUntil(() => isResult(fake.message(handle.originalMessageId ?? '')), timeoutMs, `result on the reply to ${handle.id}`);
  return fake.message(handle.originalMessageId ?? '')!;
}

/** Requests the simulator got for `path` (e.g. '/mj/submit/action'). */
export function simCalls(sim: Simulator, path: string): unknown[] {
  return sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith(path)).map((r) => r.body);
}
