/**
 * A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests of a real grammY bot.
 *
 * It enforces Telegram's limits with Telegram's own error texts (callback_data bytes, text and
 * caption lengths, flood limits, "message is not modified", ...), so bot bugs surface in tests.
 *
 * @example
 * const tg = await startFakeTelegram();
 * const bot = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });
 * tg.sendText({ chatId: 42, from: { id: 42 }, text: '/start' });
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeContext, MethodHandler } from './context.js';
import { editMethods } from './methods-edit.js';
import { commandsKey, miscMethods } from './methods-misc.js';
import { sendMethods } from './methods-send.js';
import { DEFAULT_RATE_LIMITS, FloodControl } from './rate-limit.js';
import { reactionMethods } from './methods-reaction.js';
import { createRequestListener, type ServerDeps } from './server.js';
import { FakeWorld } from './state.js';
import type { ApiCall, FailureAnswer, FakeTelegram, FakeTelegramOptions, RecordedError } from './types.js';
import { UpdateQueue } from './updates.js';
import { userPressesButton, userSendsDocument, userSendsPhoto, userSendsText } from './users.js';

export type * from './types.js';
export { makePng, imageSize } from './images.js';

const DEFAULT_TOKEN = '123456:TEST-fake-telegram-token';

function describeCall(call: ApiCall): string {
  const params = JSON.stringify(call.params, (_k, v: unknown) => (typeof v === 'string' && v.length > 60 ? `${v.slice(0, 60)}…` : v));
  const outcome = call.response.ok ? 'ok' : `${call.response.error_code} ${call.response.description}`;
  return `  ${call.method} ${params.length > 200 ? `${params.slice(0, 200)}…` : params} → ${outcome}`;
}

/** Starts the fake on an ephemeral loopback port. Close it with `close()` in afterEach/afterAll. */
export async function startFakeTelegram(opts: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const token = opts.token ?? DEFAULT_TOKEN;
  const now = opts.now ?? Date.now;
  const botInfo = { id: opts.botId ?? (Number(token.split(':')[0]) || 123456), is_bot: true, first_name: 'Fake MJ Bot', username: opts.botUsername ?? 'fake_mj_bot' };
  const world = new FakeWorld(botInfo, now);
  const rateLimits = opts.rateLimits === false ? undefined : { ...DEFAULT_RATE_LIMITS, ...opts.rateLimits };
  const ctx: FakeContext = {
    world,
    flood: new FloodControl(rateLimits, now),
    updates: new UpdateQueue(opts.maxLongPollMs ?? 2000),
    callbackQueries: new Map(),
    callbackAnswers: new Map(),
    callbackAnswerWindowMs: opts.callbackAnswerWindowMs ?? 15_000,
    commands: new Map(),
    webhook: { url: '', params: {} },
  };
  const methods = new Map<string, MethodHandler>(
    Object.entries({ ...sendMethods, ...editMethods, ...miscMethods, ...reactionMethods }).map(([name, handler]) => [name.toLowerCase(), handler]),
  );
  const calls: ApiCall[] = [];
  const errors: RecordedError[] = [];
  const watchers = new Set<() => void>();
  const notify = (): void => watchers.forEach((check) => check());
  const deps: ServerDeps = { token, ctx, methods, calls, errors, downloads: [], forcedFailures: new Map(), chatRules: new Map(), onChange: notify, unreachable: false };

  const server = createServer(createRequestListener(deps));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  /** Runs a user action, then lets waiters re-check. */
  const act = <T>(fn: () => T): T => {
    const result = fn();
    notify();
    return result;
  };

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    botInfo,
    calls,
    errors,
    downloads: deps.downloads,
    callbackAnswers: ctx.callbackAnswers,
    sendText: (o) => act(() => userSendsText(ctx, o)),
    sendPhoto: (o) => act(() => userSendsPhoto(ctx, o)),
    sendDocument: (o) => act(() => userSendsDocument(ctx, o)),
    pressButton: (o) => act(() => userPressesButton(ctx, o)),
    messages: (chatId) => world.allMessages(chatId).filter((m) => m.fromBot).map((m) => world.toBotMessage(m)),
    message: (chatId, messageId) => {
      const stored = world.find(chatId, messageId);
      return stored ? world.toBotMessage(stored) : undefined;
    },
    fileBytes: (fileId) => world.lookupFile(fileId)?.bytes,
    myCommands: (o = {}) => ctx.commands.get(commandsKey(o.scope, o.languageCode)) ?? [],
    setChatAdmins: (chatId, userIds) => {
      world.admins.set(chatId, new Set(userIds));
    },
    waitUntil: (pred, timeoutMs = 10_000, label = 'condition') =>
      new Promise<void>((resolve, reject) => {
        const finish = (err?: Error): void => {
          watchers.delete(check);
          clearTimeout(timer);
          clearInterval(poller);
          if (err) reject(err);
          else resolve();
        };
        const check = (): void => {
          try {
            if (pred()) finish();
          } catch (err) {
            finish(err instanceof Error ? err : new Error(String(err)));
          }
        };
        const timer = setTimeout(() => {
          const recent = calls.slice(-15).map(describeCall).join('\n') || '  (no calls)';
          finish(new Error(`fake telegram: waitUntil(${label}) timed out after ${timeoutMs} ms.\nRecent calls:\n${recent}\nUnconfirmed updates: ${ctx.updates.unconfirmed.length}`));
        }, timeoutMs);
        // Also poll, so predicates over state outside the fake (e.g. a store) work too.
        const poller = setInterval(check, 50);
        watchers.add(check);
        check();
      }),
    failNext: (method: string, answer: FailureAnswer, times = 1) => {
      const key = method.toLowerCase();
      const queue = deps.forcedFailures.get(key) ?? [];
      queue.push({ answer, remaining: times });
      deps.forcedFailures.set(key, queue);
    },
    setReachable: (reachable: boolean) => {
      deps.unreachable = !reachable;
      if (!reachable) server.closeAllConnections();
    },
    blockChat: (chatId: number) => {
      const rule = deps.chatRules.get(chatId) ?? { waiting: 0 };
      rule.blocked = true;
      deps.chatRules.set(chatId, rule);
    },
    unblockChat: (chatId: number) => {
      const rule = deps.chatRules.get(chatId);
      if (rule) rule.blocked = false;
    },
    holdChat: (chatId: number) => {
      const rule = deps.chatRules.get(chatId) ?? { waiting: 0 };
      let release = (): void => undefined;
      rule.held = new Promise<void>((resolve) => (release = resolve));
      deps.chatRules.set(chatId, rule);
      return () => {
        rule.held = undefined;
        release();
      };
    },
    heldCalls: (chatId: number) => deps.chatRules.get(chatId)?.waiting ?? 0,
    close: async () => {
      ctx.updates.releaseAll();
      for (const rule of deps.chatRules.values()) rule.held = undefined;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
