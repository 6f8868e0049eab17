/**
 * Benchmark 8: 30 people send /imagine in one Discord channel at once, against the fake Discord
 * with Discord's limits (5 public messages per 5 s per channel across bot token and interaction
 * webhooks, 5 requests per 2 s per webhook token, 50 requests/s per bot; real 429s with
 * Retry-After), in real time. Measured: time until every result is in the channel against the
 * floor the channel limit sets for the results alone, 429s as a share of all calls, results lost
 * and duplicated, interactions not acknowledged in time. mjbot: the real app + Discord adapter.
 * Naive: a discord.js bot that defers, submits, edits its reply on every notify (progress and
 * result, one edit at a time per task) and lets discord.js retry 429s after Retry-After.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, type ChatInputCommandInteraction } from 'discord.js';
import { createApp } from '../src/app.js';
import { createDiscordAdapter } from '../src/adapters/discord/index.js';
import { makeRequest } from '../src/adapters/discord/http.js';
import { parseConfig } from '../src/config.js';
import { silentLogger } from '../src/log.js';
import { MjClient } from '../src/mj/client.js';
import type { Task } from '../src/mj/schemas.js';
import { startSimulator, type Simulator } from '../src/sim/index.js';
import { startFakeDiscord, type FakeDiscord, type FakeMessage } from '../test/fakes/discord/index.js';
import { fmt, waitFor, type BenchResult } from './util.js';

const USERS = 30;
/** Discord's channel limit as the fake enforces it. */
const CHANNEL = { limit: 5, windowMs: 5000 };
/** The simulator: 3 progress steps 1.5 s apart, so each drawing takes ~6 s and sends 5 updates. */
const SIM = { stepMs: 1500, progressSteps: 3, concurrency: USERS + 10, queueLimit: USERS * 2 };
const REAL_LIMIT_MS = 300_000;

interface Outcome {
  seconds: number;
  floorSeconds: number;
  delivered: number;
  duplicates: number;
  calls: number;
  tooMany: number;
  notAcked: number;
}

const prompt = (i: number): string => `burst picture ${i} end`;
const users = Array.from({ length: USERS }, (_, i) => ({ id: String(400000000000000000n + BigInt(i)), username: `user${i}` }));

function title(m: FakeMessage): string {
  return ((m.embeds[0] as { title?: string } | undefined)?.title ?? m.content).trim();
}

/** Result messages per prompt: a ✅ message with the picture attached. */
function resultsByPrompt(fake: FakeDiscord): number[] {
  const counts = Array<number>(USERS).fill(0);
  for (const m of fake.messages()) {
    if (!title(m).startsWith('✅') || m.attachments.length === 0) continue;
    const text = JSON.stringify(m.embeds) + m.content;
    for (let i = 0; i < USERS; i++) if (text.includes(prompt(i))) counts[i]! += 1;
  }
  return counts;
}

/**
 * The earliest the last result could be in the channel, the same for both variants: every picture
 * submitted at the burst's start and drawn in the simulator's draw time (median of this run,
 * submit to finish), then the results alone through the channel, `limit` per `windowMs`.
 */
function floorMs(sim: Simulator): number {
  const draws = sim.tasks().filter((t) => t.finishTime && t.submitTime).map((t) => Number(t.finishTime) - Number(t.submitTime)).sort((a, b) => a - b);
  const draw = draws[Math.floor(draws.length / 2)] ?? 0;
  return draw + (Math.ceil(USERS / CHANNEL.limit) - 1) * CHANNEL.windowMs;
}

function outcome(fake: FakeDiscord, sim: Simulator, t0: number, lastAt: number): Outcome {
  const counts = resultsByPrompt(fake);
  const api = fake.requests;
  return {
    seconds: (lastAt - t0) / 1000,
    floorSeconds: floorMs(sim) / 1000,
    delivered: counts.filter((c) => c > 0).length,
    duplicates: counts.reduce((sum, c) => sum + Math.max(0, c - 1), 0),
    calls: api.length,
    tooMany: api.filter((r) => r.status === 429).length,
    notAcked: api.filter((r) => r.path.endsWith('/callback') && r.status >= 400).length,
  };
}

/** Start the burst and wait for every result (or the bound); returns when the last one landed. */
async function burst(fake: FakeDiscord): Promise<{ t0: number; lastAt: number }> {
  const t0 = Date.now();
  let lastAt = t0;
  let seen = 0;
  users.forEach((user, i) => fake.slash({ name: 'imagine', options: [{ name: 'prompt', type: 3, value: prompt(i) }], user }));
  await waitFor(() => {
    const now = resultsByPrompt(fake).filter((c) => c > 0).length;
    if (now > seen) [seen, lastAt] = [now, Date.now()];
    return now >= USERS;
  }, REAL_LIMIT_MS, 20);
  return { t0, lastAt };
}

async function runMjbot(): Promise<Outcome> {
  const fake = await startFakeDiscord({ rateLimit: { channel: CHANNEL } });
  const sim = await startSimulator(SIM);
  const dir = mkdtempSync(join(tmpdir(), 'mjbot-bench-discord-'));
  const env = {
    // The default store (SQLite), in a folder of its own.
    DISCORD_TOKEN: fake.token, DISCORD_API_BASE: fake.apiBase, STORE_URL: `sqlite://${join(dir, 'store.sqlite')}`,
    MJ_BASE_URL: sim.url, MJ_FLAVOUR: 'plus', MJ_POLL_INTERVAL_MS: '500', CHAT_MAX_RUNNING: String(USERS),
  };
  const app = await createApp(parseConfig(env), silentLogger(), { adapters: false });
  const adapter = createDiscordAdapter(app.adapterDeps('discord'), { token: fake.token, apiBase: fake.apiBase });
  await adapter.start();
  await app.service.start();
  await fake.ready();
  try {
    const before = fake.requests.length;
    const { t0, lastAt } = await burst(fake);
    fake.requests.splice(0, before);
    return outcome(fake, sim, t0, lastAt);
  } finally {
    await adapter.close();
    await app.close();
    await sim.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runNaive(): Promise<Outcome> {
  const fake = await startFakeDiscord({ rateLimit: { channel: CHANNEL } });
  const sim = await startSimulator(SIM);
  const mj = new MjClient({ baseUrl: sim.url, flavour: 'plus' });
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase, makeRequest } });
  const replies = new Map<string, ChatInputCommandInteraction>();
  /** One edit at a time per task, in the order the notifies came. */
  const chains = new Map<string, Promise<unknown>>();
  const onNotify = (task: Task): void => {
    const interaction = replies.get(task.id);
    if (!interaction) return;
    const edit = async (): Promise<void> => {
      if (task.status === 'SUCCESS' && task.imageUrl) {
        const bytes = Buffer.from(await (await fetch(task.imageUrl)).arrayBuffer());
        await interaction.editReply({ embeds: [{ title: '✅ Done', description: task.prompt ?? '', image: { url: 'attachment://mj.png' } }], files: [{ attachment: bytes, name: 'mj.png' }] });
      } else {
        await interaction.editReply({ embeds: [{ title: `🎨 ${task.status} ${task.progress ?? ''}`, description: task.prompt ?? '' }] });
      }
    };
    chains.set(task.id, (chains.get(task.id) ?? Promise.resolve()).then(edit).catch(() => undefined));
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.end('{}');
      onNotify(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Task);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const hook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  client.on(Events.InteractionCreate, (interaction) => {
    if (!interaction.isChatInputCommand()) return;
    void (async () => {
      await interaction.deferReply();
      const text = interaction.options.getString('prompt') ?? '';
      await interaction.editReply({ embeds: [{ title: '⏳ Submitting…', description: text }] });
      const { taskId } = await mj.imagine({ prompt: text, notifyHook: hook });
      replies.set(taskId, interaction);
    })().catch(() => undefined);
  });
  const ready = once(client, Events.ClientReady);
  await client.login(fake.token);
  await Promise.all([ready, fake.ready()]);
  try {
    const before = fake.requests.length;
    const { t0, lastAt } = await burst(fake);
    fake.requests.splice(0, before);
    return outcome(fake, sim, t0, lastAt);
  } finally {
    await client.destroy();
    await mj.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await sim.close();
    await fake.close();
  }
}

export async function runDiscordBurst(): Promise<BenchResult> {
  const rows: (string | number)[][] = [];
  const raw: Record<string, Outcome> = {};
  for (const [name, run] of [['mjbot', runMjbot], ['naive', runNaive]] as const) {
    const o = await run();
    raw[name] = o;
    rows.push([
      name, `${o.delivered}/${USERS}`, fmt(o.seconds, 1), fmt(o.floorSeconds, 1), `${fmt(o.seconds / o.floorSeconds, 2)}×`,
      o.calls, o.tooMany, `${fmt((100 * o.tooMany) / Math.max(1, o.calls), 1)} %`, USERS - o.delivered, o.duplicates, o.notAcked,
    ]);
  }
  return {
    id: 'discord-burst',
    title: `8. Channel burst: ${USERS} users in one Discord channel`,
    columns: ['variant', 'results delivered', 'time to last result s', 'floor s', 'time ÷ floor', 'API calls', '429s', '429 share', 'lost', 'duplicates', 'interactions not acknowledged in 3 s'],
    rows,
    notes: [
      `The fake enforces ${CHANNEL.limit} public messages per ${CHANNEL.windowMs / 1000} s per channel (bot token and interaction webhooks together), 5 requests per 2 s per interaction webhook and 50 requests/s per bot, answering 429 with Discord's body and Retry-After; real time.`,
      `Floor: all ${USERS} pictures submitted at the burst's start and drawn in the simulator's draw time (median submit → finish in the simulator during the run), then the results alone through the channel: ${Math.ceil(USERS / CHANNEL.limit)} windows of ${CHANNEL.limit} → draw time + ${(Math.ceil(USERS / CHANNEL.limit) - 1) * CHANNEL.windowMs / 1000} s. Acknowledgements and progress are not in the floor.`,
      `API calls: every request the fake received during the burst (interaction callbacks, webhook and channel writes, retries). Each variant stops after ${REAL_LIMIT_MS / 1000} s; a result count below ${USERS} means it did not finish in that bound.`,
    ],
    raw,
  };
}
