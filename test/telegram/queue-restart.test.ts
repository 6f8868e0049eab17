/**
 * A group's fair line survives a restart: people waiting for a drawing slot keep their places,
 * their "queued" messages are kept current, and every one of them ends in its result — drawn
 * in the order they queued. (Before, the line lived in memory and a restart emptied it.)
 * Button presses wait in the line side by side (commands of one chat are handled in order).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { createAccessGate } from '../../src/core/access/index.js';
import { silentLogger } from '../../src/log.js';
import { openStore } from '../../src/runtime/store.js';
import { startSimulator } from '../../src/sim/index.js';
import { until } from '../access/stack.js';
import { tempDir } from '../core/harness.js';
import { startFakeTelegram } from '../fakes/telegram/index.js';
import { killAllBots, spawnBot } from '../helpers/bot-process.js';
import { alice, bob, button, resultPhotos, startHarness, waitForMessage, waitForResult, type Harness } from './harness.js';

const GROUP = -100777;

describe('Telegram: the group line across a restart', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('keeps the waiting people in order, keeps their messages current and draws each of them once', async () => {
    // No flood budget: every "queued" edit is shown (progress edits give way to the budget otherwise).
    h = await startHarness({ env: { CHAT_MAX_RUNNING: '1', USER_MAX_RUNNING: '5' }, tg: { budget: { perChatPerSecond: 1000, perChatBurst: 1000, perGroupPerMinute: 100_000 } } });
    const fake = h.fake;
    const actions = () => h!.sim.requests.filter((r) => r.path === '/mj/submit/action').map((r) => String((r.body as { customId?: unknown }).customId));
    fake.sendText({ chatId: GROUP, chatType: 'supergroup', from: alice, text: '/imagine a lighthouse at dawn' });
    const aliceGrid = await waitForResult(fake, GROUP, 1);
    fake.sendText({ chatId: GROUP, chatType: 'supergroup', from: bob, text: '/imagine a fox in a hat' });
    const bobGrid = await waitForResult(fake, GROUP, 2);

    h.sim.pause();
    const press = (grid: typeof aliceGrid, from: typeof alice, label: string) => fake.pressButton({ chatId: GROUP, messageId: grid.messageId, from, data: button(grid, label).callback_data });
    press(aliceGrid, alice, 'U1');
    await fake.waitUntil(() => actions().length === 1, 10_000, "Alice's U1 reaches the proxy");
    press(bobGrid, bob, 'U2');
    const bobWaits = await waitForMessage(fake, GROUP, (m) => /Queued: 1 ahead/.test(m.text ?? '') && (m.text ?? '').includes('U2'), "Bob's place in line");
    press(aliceGrid, alice, 'U3');
    const aliceWaits = await waitForMessage(fake, GROUP, (m) => /Queued: 2 ahead/.test(m.text ?? '') && (m.text ?? '').includes('U3'), "Alice's U3 in line");

    await h.restart();
    const afterRestart = fake.calls.length;
    // The places survived: /queue on the restarted bot lists them in the same order.
    fake.sendText({ chatId: GROUP, chatType: 'supergroup', from: alice, text: '/queue' });
    const queue = await waitForMessage(fake, GROUP, (m) => (m.text ?? '').includes('Waiting (2)'), 'the line after the restart');
    expect(queue.text).toMatch(/1\. Bob: U2 · a fox in a hat\n2\. Alice: U3 · a lighthouse at dawn/);

    h.sim.resume();
    await fake.waitUntil(() => resultPhotos(fake, GROUP).length >= 5, 20_000, 'three upscales');
    expect(actions().map((id) => /upsample::(\d)/.exec(id)?.[1])).toEqual(['1', '2', '3']);
    // The messages that said "queued" end in their results (a photo replaces each text message).
    await fake.waitUntil(() => [bobWaits, aliceWaits].every((m) => fake.message(GROUP, m.messageId) === undefined), 10_000, 'queued messages replaced');
    expect(resultPhotos(fake, GROUP).filter((m) => /U[123] ·/.test(m.caption ?? ''))).toHaveLength(3);
    // Alice's U3 moved up after the restart, and no message is left saying "queued".
    const edits = fake.calls.slice(afterRestart).filter((c) => c.method === 'editMessageText' && c.params.message_id === aliceWaits.messageId);
    expect(edits.some((c) => /Queued: 1 ahead/.test(String(c.params.text)))).toBe(true);
    await fake.waitUntil(() => !fake.messages(GROUP).some((m) => /Queued/.test(m.text ?? '')), 10_000, 'no message left queued');
  });

  it('a bot killed with SIGKILL while jobs wait: the next start takes them over in order and each ends in its result', async () => {
    const sim = await startSimulator({ stepMs: 30, progressSteps: 1 });
    const fake = await startFakeTelegram({ rateLimits: false });
    const dir = tempDir('mjbot-line-');
    try {
      const env = {
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_API_ROOT: fake.apiRoot,
        STORE_URL: `sqlite://${join(dir, 'bot.sqlite')}`,
        MJ_BASE_URL: sim.url,
        MJ_FLAVOUR: 'plus',
        MJ_POLL_INTERVAL_MS: '50',
        CHAT_MAX_RUNNING: '1',
        LOG_LEVEL: 'info',
      };
      const actions = () => sim.requests.filter((r) => r.path === '/mj/submit/action').map((r) => /upsample::(\d)/.exec(String((r.body as { customId?: unknown }).customId))?.[1]);
      const first = spawnBot(env);
      await first.waitFor(/telegram long polling started/);
      fake.sendText({ chatId: alice.id, from: alice, text: '/imagine a paper crane' });
      const grid = await waitForResult(fake, alice.id, 1, 20_000);

      sim.pause();
      const press = (label: string) => fake.pressButton({ chatId: alice.id, messageId: grid.messageId, from: alice, data: button(grid, label).callback_data });
      press('U1');
      await fake.waitUntil(() => actions().length === 1, 10_000, 'U1 reaches the proxy');
      // (Queue positions are progress edits, which Telegram's flood budget may skip: ask /queue instead.)
      press('U2');
      await waitForMessage(fake, alice.id, (m) => (m.text ?? '').includes('U2 ·'), "U2's message");
      press('U3');
      // The line as an operator sees it, read from the same SQLite file (no process of its own).
      const store = await openStore(env.STORE_URL);
      const book = createAccessGate({ config: parseConfig(env), store, logger: silentLogger() });
      const chat = { platform: 'telegram' as const, chatId: String(alice.id), isGroup: false };
      await until(async () => (await book.chatQueue(chat)).waiting.length === 2, 'U2 and U3 in line');
      await store.close();
      fake.sendText({ chatId: alice.id, from: alice, text: '/queue' });
      const line = await waitForMessage(fake, alice.id, (m) => (m.text ?? '').includes('Waiting (2)'), '/queue');
      expect(line.text).toMatch(/1\. Alice: U2 · a paper crane\n2\. Alice: U3 · a paper crane/);
      // Every press was confirmed to the Bot API (a later getUpdates), so none is handed out again.
      const seen = fake.calls.length;
      await fake.waitUntil(() => fake.calls.slice(seen).some((c) => c.method === 'getUpdates'), 10_000, 'updates confirmed');
      await first.kill();

      const second = spawnBot(env);
      await second.waitFor(/telegram long polling started/);
      sim.resume();
      await fake.waitUntil(() => resultPhotos(fake, alice.id).length >= 4, 30_000, 'the three upscales');
      expect(actions()).toEqual(['1', '2', '3']);
      for (const label of ['U1', 'U2', 'U3']) expect(resultPhotos(fake, alice.id).filter((m) => (m.caption ?? '').includes(`${label} ·`))).toHaveLength(1);
      await fake.waitUntil(() => !fake.messages(alice.id).some((m) => /Queued|Submitting/.test(m.text ?? '')), 10_000, 'no message left waiting');
      expect(second.output()).toContain('took over jobs of a stopped process');
    } finally {
      await killAllBots();
      await sim.close();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
