/**
 * Parts of benchmark 3: the scenarios (users in one group, or each in a private chat), the
 * fake clock, counting results in the fake, the floor Telegram's limits set, and the naive bot.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Api, GrammyError, InputFile } from 'grammy';
import { MjClient } from '../src/mj/client.js';
import type { Task } from '../src/mj/schemas.js';
import type { FakeTelegram, SimulatedUser } from '../test/fakes/telegram/index.js';
import { DEFAULT_RATE_LIMITS, FloodControl } from '../test/fakes/telegram/rate-limit.js';
import { sleep } from './util.js';

export interface Scenario {
  name: string;
  users: number;
  /** One group for everyone, or a private chat each. */
  group: boolean;
  /** Virtual time runs this many times faster than real time. */
  speed: number;
  /** Simulator step in real ms; a job takes SIM_STEPS steps. */
  stepMs: number;
  /** mjbot's busy-group threshold (default: its own). */
  busyGroupJobs?: number;
  /** A variation of mjbot alone, no baseline. */
  mjbotOnly?: boolean;
}

/** NOT_START → SUBMITTED → 3 × IN_PROGRESS → SUCCESS with the simulator's defaults. */
export const SIM_STEPS = 5;
export const GROUP_ID = -100777;

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export function fastClock(speed: number): Clock {
  const t0 = Date.now();
  return { now: () => t0 + (Date.now() - t0) * speed, sleep: (ms) => sleep(Math.ceil(ms / speed)) };
}

export function usersOf(s: Scenario): SimulatedUser[] {
  return Array.from({ length: s.users }, (_, i) => ({ id: 5000 + i, first_name: `User${i}`, language_code: 'en' }));
}

export const chatOf = (s: Scenario, user: SimulatedUser): number => (s.group ? GROUP_ID : user.id);

/** Calls Telegram counts as messages (and reactions, which the bot spends on the bot-wide budget). */
const COUNTED = /^(send(Message|Photo|Document|Video|Animation|MediaGroup)|editMessage(Text|Caption|Media|ReplyMarkup)|setMessageReaction)$/;

const captionOf = (params: Record<string, unknown>): string => String(params.caption ?? (params.media as { caption?: string } | undefined)?.caption ?? '');
const isResultCall = (method: string, params: Record<string, unknown>): boolean => /^(sendPhoto|sendDocument|editMessageMedia)$/.test(method) && /^(<b>)?✅/.test(captionOf(params));

export interface Count {
  delivered: number;
  duplicates: number;
  lastAt: number;
  calls: number;
  tooMany: number;
  otherErrors: number;
}

/** Results in the chats (one per user is right), when the last arrived, and the calls made. */
export function count(fake: FakeTelegram, s: Scenario, users: SimulatedUser[], commands: Map<number, number>): Count {
  let delivered = 0;
  let duplicates = 0;
  for (const user of users) {
    const chat = chatOf(s, user);
    const command = commands.get(user.id);
    const mine = fake.messages(chat).filter((m) => (m.photo || m.document) && /^✅/.test(m.caption ?? '') && m.replyTo === command);
    if (mine.length > 0) delivered += 1;
    duplicates += Math.max(0, mine.length - 1);
  }
  const counted = fake.calls.filter((c) => COUNTED.test(c.method));
  const lastAt = Math.max(0, ...fake.calls.filter((c) => c.response.ok && isResultCall(c.method, c.params)).map((c) => c.at));
  return {
    delivered,
    duplicates,
    lastAt,
    calls: counted.length,
    tooMany: counted.filter((c) => !c.response.ok && c.response.error_code === 429).length,
    otherErrors: fake.errors.filter((e) => e.status !== 429).length,
  };
}

/**
 * The floor: every job drawn in the simulator's time (from the moment all commands are in), then
 * the results alone as fast as the fake's limits let them out (first come first served).
 */
export function floorSeconds(s: Scenario): number {
  const drawMs = SIM_STEPS * s.stepMs * s.speed;
  let now = 0;
  const flood = new FloodControl(DEFAULT_RATE_LIMITS, () => now);
  now = drawMs;
  for (const user of usersOf(s)) {
    for (;;) {
      try {
        flood.take(chatOf(s, user));
        break;
      } catch {
        now += 10;
      }
    }
  }
  return now / 1000;
}

/** Call `fn`, sleeping retry_after (virtual seconds) on 429, at most 30 tries. */
async function retrying<T>(clock: Clock, fn: () => Promise<T>): Promise<T | undefined> {
  for (let attempt = 0; attempt < 30; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof GrammyError) || err.error_code !== 429) return undefined;
      await clock.sleep((err.parameters.retry_after ?? 1) * 1000);
    }
  }
  return undefined;
}

/**
 * The naive bot: a status message per job, an edit on every progress notify, the result photo
 * (replying to the command), 429s retried after retry_after; no budget of any kind.
 */
export async function runNaiveBot(fake: FakeTelegram, simUrl: string, s: Scenario, clock: Clock, users: SimulatedUser[], commands: Map<number, number>): Promise<() => Promise<void>> {
  const api = new Api(fake.token, { apiRoot: fake.apiRoot });
  const jobs = new Map<string, { chat: number; status?: number; command: number }>();
  const onNotify = async (task: Task): Promise<void> => {
    const job = jobs.get(task.id);
    if (!job) return;
    if (task.status === 'SUCCESS' && task.imageUrl) {
      const bytes = Buffer.from(await (await fetch(task.imageUrl)).arrayBuffer());
      await retrying(clock, () => api.sendPhoto(job.chat, new InputFile(bytes, 'mj.png'), { caption: `✅ done ${task.id}`, reply_parameters: { message_id: job.command, allow_sending_without_reply: true } }));
      if (job.status !== undefined) await api.deleteMessage(job.chat, job.status).catch(() => undefined);
    } else if (job.status !== undefined) {
      const status = job.status;
      await retrying(clock, () => api.editMessageText(job.chat, status, `🎨 ${task.status} ${task.progress ?? ''} ${task.id}`));
    }
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.end('{}');
      void onNotify(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Task).catch(() => undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const hook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const client = new MjClient({ baseUrl: simUrl, flavour: 'plus' });
  await Promise.all(
    users.map(async (user) => {
      const chat = chatOf(s, user);
      const command = fake.sendText({ chatId: chat, chatType: s.group ? 'supergroup' : 'private', from: user, text: `/imagine burst picture ${user.id}` });
      commands.set(user.id, command.message_id);
      const job: { chat: number; status?: number; command: number } = { chat, command: command.message_id };
      const { taskId } = await client.imagine({ prompt: `burst picture ${user.id}`, notifyHook: hook });
      jobs.set(taskId, job);
      const sent = await retrying(clock, () => api.sendMessage(chat, `⏳ Submitted for ${user.first_name}…`, { reply_parameters: { message_id: command.message_id } }));
      job.status = sent?.message_id;
    }),
  );
  return async () => {
    await client.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}
