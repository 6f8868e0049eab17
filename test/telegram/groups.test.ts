/**
 * Telegram adapter in groups, under flood limits, across a restart, and in webhook mode.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SimulatedUser } from '../fakes/telegram/index.js';
import { alice, bob, button, carol, expectCallbackDataWithinLimit, fastClock, keyboardOf, resultPhotos, startHarness, waitForMessage, waitForResult, type Harness } from './harness.js';

const GROUP = -100500;

describe('Telegram: groups, limits and restarts', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('two people draw at once in a group and a third cannot press their buttons', async () => {
    h = await startHarness();
    const a = h.fake.sendText({ chatId: GROUP, chatType: 'supergroup', from: alice, text: '/imagine@fake_mj_bot a castle on a hill' });
    const b = h.fake.sendText({ chatId: GROUP, chatType: 'supergroup', from: bob, text: '/imagine a submarine' });
    await waitForResult(h.fake, GROUP, 2);
    const results = resultPhotos(h.fake, GROUP);
    const ofAlice = results.find((m) => m.replyTo === a.message_id);
    const ofBob = results.find((m) => m.replyTo === b.message_id);
    expect(ofAlice?.caption).toContain('a castle on a hill');
    expect(ofBob?.caption).toContain('a submarine');

    const actionsBefore = h.sim.requests.filter((r) => r.path === '/mj/submit/action').length;
    const denied = h.fake.pressButton({ chatId: GROUP, messageId: ofAlice!.messageId, from: carol, data: button(ofAlice, 'U1').callback_data });
    await h.fake.waitUntil(() => h!.fake.callbackAnswers.has(denied), 5000, 'answer to the denied press');
    expect(h.fake.callbackAnswers.get(denied)).toMatchObject({ show_alert: true });
    expect(h.fake.callbackAnswers.get(denied)?.text).toContain('Only Alice can use the buttons');

    const allowed = h.fake.pressButton({ chatId: GROUP, messageId: ofBob!.messageId, from: bob, data: button(ofBob, 'V3').callback_data });
    await waitForResult(h.fake, GROUP, 3);
    expect(h.fake.callbackAnswers.get(allowed)?.show_alert).not.toBe(true);
    expect(h.sim.requests.filter((r) => r.path === '/mj/submit/action')).toHaveLength(actionsBefore + 1);
  });

  it('a group admin switches the chat to collaborative mode, after which anyone may press the buttons', async () => {
    h = await startHarness();
    h.fake.sendText({ chatId: GROUP, chatType: 'supergroup', from: bob, text: '/collab on' });
    await waitForMessage(h.fake, GROUP, (m) => /admin/i.test(m.text ?? ''), 'refusal for a non-admin');
    h.fake.setChatAdmins(GROUP, [alice.id]);
    h.fake.sendText({ chatId: GROUP, chatType: 'supergroup', from: alice, text: '/collab on' });
    await h.fake.waitUntil(() => h!.fake.calls.filter((c) => c.method === 'getChatMember').length >= 2, 5000, 'admin lookup');
    const a = h.fake.sendText({ chatId: GROUP, chatType: 'supergroup', from: alice, text: '/imagine a shared canvas' });
    const result = await waitForMessage(h.fake, GROUP, (m) => Boolean(m.photo) && m.replyTo === a.message_id && keyboardOf(m).length > 0, 'result');
    const press = h.fake.pressButton({ chatId: GROUP, messageId: result.messageId, from: carol, data: button(result, 'U3').callback_data });
    await h.fake.waitUntil(() => h!.sim.requests.some((r) => r.path === '/mj/submit/action'), 10_000, 'carol\'s press reaches the proxy');
    expect(h.fake.callbackAnswers.get(press)?.show_alert).not.toBe(true);
  });

  it('/gallery posts the group session\'s finished images as one album', async () => {
    h = await startHarness();
    h.fake.sendText({ chatId: GROUP, chatType: 'supergroup', from: alice, text: '/imagine a red kite' });
    h.fake.sendText({ chatId: GROUP, chatType: 'supergroup', from: bob, text: '/imagine a blue whale' });
    await waitForResult(h.fake, GROUP, 2);
    // Both tasks fully settled (delivered and recorded in the session) before asking.
    while (h.app.service.diagnostics().tracked > 0) await new Promise((r) => setTimeout(r, 20));
    h.fake.sendText({ chatId: GROUP, chatType: 'supergroup', from: carol, text: '/gallery' });
    await h.fake.waitUntil(() => h!.fake.calls.some((c) => c.method === 'sendMediaGroup' && c.response.ok), 10_000, 'gallery album');
    const album = h.fake.calls.find((c) => c.method === 'sendMediaGroup')!;
    expect(album.params.media).toHaveLength(2);
    expect(album.files).toHaveLength(2);
    expect(album.files.every((f) => f.bytes.subarray(1, 4).toString() === 'PNG')).toBe(true);
  });

  it('a forged button is refused with an alert and never reaches the proxy', async () => {
    h = await startHarness();
    h.fake.sendText({ chatId: alice.id, from: alice, text: '/imagine a paper boat' });
    const grid = await waitForResult(h.fake, alice.id, 1);
    const real = button(grid, 'U1').callback_data;
    const middle = Math.floor(real.length / 2);
    const forged = real.slice(0, middle) + (real[middle] === 'A' ? 'B' : 'A') + real.slice(middle + 1);
    const submitsBefore = h.sim.requests.filter((r) => r.path.startsWith('/mj/submit')).length;

    const id = h.fake.pressButton({ chatId: alice.id, messageId: grid.messageId, from: alice, data: forged, force: true });
    await h.fake.waitUntil(() => h!.fake.callbackAnswers.has(id), 5000, 'answer to the forged press');
    expect(h.fake.callbackAnswers.get(id)).toMatchObject({ show_alert: true });
    expect(h.fake.callbackAnswers.get(id)?.text).toContain('not valid');
    expect(h.sim.requests.filter((r) => r.path.startsWith('/mj/submit'))).toHaveLength(submitsBefore);
  });

  it('a restart in the middle of a task delivers its result exactly once, and old buttons still work', async () => {
    h = await startHarness();
    const chat = alice.id;
    h.fake.sendText({ chatId: chat, from: alice, text: '/imagine a clockwork owl' });
    const grid = await waitForResult(h.fake, chat, 1);

    h.sim.pause();
    h.fake.pressButton({ chatId: chat, messageId: grid.messageId, from: alice, data: button(grid, 'U4').callback_data });
    await h.fake.waitUntil(() => h!.sim.requests.some((r) => r.path === '/mj/submit/action'), 5000, 'U4 submitted');
    await waitForMessage(h.fake, chat, (m) => m.replyTo === grid.messageId && m.text !== undefined, 'U4 task message');

    await h.restart();
    h.sim.resume();
    const upscaled = await waitForResult(h.fake, chat, 2);
    expect(upscaled.replyTo).toBe(grid.messageId);
    // Give the tracker several more poll rounds to deliver it a second time, if it were going to.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(resultPhotos(h.fake, chat)).toHaveLength(2);
    const finalSends = h.fake.calls.filter((c) => /^(sendPhoto|sendDocument|editMessageMedia)$/.test(c.method) && c.response.ok && String((c.params.caption ?? (c.params.media as { caption?: string } | undefined)?.caption) ?? '').includes('U4'));
    expect(finalSends.filter((c) => String(c.params.caption ?? (c.params.media as { caption?: string }).caption).startsWith('<b>✅'))).toHaveLength(1);

    h.fake.pressButton({ chatId: chat, messageId: grid.messageId, from: alice, data: button(grid, 'V2').callback_data });
    const varied = await waitForResult(h.fake, chat, 3);
    expect(varied.caption).toContain('V2');
  });

  it('a burst of 30 people in one group gets every result despite Telegram flood limits', async () => {
    const clock = fastClock(60);
    h = await startHarness({
      fake: { rateLimits: {}, now: clock.now },
      tg: { clock, minUpdateIntervalMs: 50 },
      sim: { concurrency: 30, queueLimit: 60 },
    });
    const users: SimulatedUser[] = Array.from({ length: 30 }, (_, i) => ({ id: 2000 + i, first_name: `User${i}`, language_code: 'en' }));
    const commands = users.map((user) => h!.fake.sendText({ chatId: GROUP, chatType: 'supergroup', from: user, text: `/imagine burst picture ${user.id}` }));
    await h.fake.waitUntil(() => resultPhotos(h!.fake, GROUP).length >= 30, 40_000, '30 results');
    const results = resultPhotos(h.fake, GROUP);
    for (const [i, command] of commands.entries()) {
      const mine = results.filter((m) => m.replyTo === command.message_id);
      expect(mine).toHaveLength(1);
      expect(mine[0]?.caption).toContain(`burst picture ${users[i]?.id}`);
    }
    // The budget keeps under every limit (a stray 429 would be retried); nothing else may fail.
    const counted = h.fake.calls.filter((c) => /^(send|edit)/.test(c.method)).length;
    expect(h.fake.errors.filter((e) => e.status === 429).length).toBeLessThanOrEqual(Math.floor(counted / 100));
    expect(h.fake.errors.filter((e) => e.status !== 429).map((e) => `${e.method} ${e.description}`)).toEqual([]);
  }, 60_000);

  it('40 people each in a private chat at once stay within the bot-wide 30 messages a second', async () => {
    const clock = fastClock(20);
    h = await startHarness({ fake: { rateLimits: {}, now: clock.now }, tg: { clock, minUpdateIntervalMs: 100 }, sim: { concurrency: 50, queueLimit: 100 } });
    const users: SimulatedUser[] = Array.from({ length: 40 }, (_, i) => ({ id: 4000 + i, first_name: `Solo${i}`, language_code: 'en' }));
    for (const user of users) h.fake.sendText({ chatId: user.id, from: user, text: `/imagine private picture ${user.id}` });
    await h.fake.waitUntil(() => users.every((u) => resultPhotos(h!.fake, u.id).length >= 1), 40_000, '40 results');
    for (const user of users) expect(resultPhotos(h.fake, user.id)).toHaveLength(1);
    // The fake answers a 31st message within a second with 429: there was none.
    expect(h.fake.errors).toEqual([]);
  }, 60_000);

  it('every inline keyboard the bot sends fits the 64-byte callback_data limit', async () => {
    h = await startHarness();
    h.fake.sendText({ chatId: alice.id, from: alice, text: '/imagine a glass city' });
    const grid = await waitForResult(h.fake, alice.id, 1);
    h.fake.pressButton({ chatId: alice.id, messageId: grid.messageId, from: alice, data: button(grid, 'U3').callback_data });
    const solo = await waitForResult(h.fake, alice.id, 2);
    h.fake.pressButton({ chatId: alice.id, messageId: solo.messageId, from: alice, data: button(solo, 'Vary (Region)').callback_data });
    await waitForMessage(h.fake, alice.id, (m) => m.text !== undefined && m.replyMarkup !== undefined && JSON.stringify(m.replyMarkup).includes('Left half'), 'region presets');
    h.fake.sendText({ chatId: alice.id, from: alice, text: '/settings' });
    await waitForMessage(h.fake, alice.id, (m) => m.replyTo !== undefined && m.text !== undefined && JSON.stringify(m.replyMarkup ?? {}).includes('callback_data') && !JSON.stringify(m.replyMarkup).includes('Left half'), 'settings menu');
    expect(expectCallbackDataWithinLimit(h.fake)).toBeGreaterThan(30);
  });

  it('webhook mode refuses calls without the secret token and handles updates that carry it', async () => {
    h = await startHarness({ env: { TELEGRAM_WEBHOOK_URL: 'https://bot.example.test/tg/hook', TELEGRAM_WEBHOOK_SECRET: 'hook-secret-123456', HTTP_PORT: '0' } });
    const setWebhook = h.fake.calls.find((c) => c.method === 'setWebhook');
    expect(setWebhook?.params).toMatchObject({ url: 'https://bot.example.test/tg/hook', secret_token: 'hook-secret-123456' });
    const message = h.fake.sendText({ chatId: alice.id, from: alice, text: '/imagine a webhook kite' });
    const url = `${h.app.http!.url}/tg/hook`;
    const body = JSON.stringify({ update_id: 7001, message });
    const refused = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'wrong-secret-000000' }, body });
    expect(refused.status).toBe(403);
    const accepted = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'hook-secret-123456' }, body });
    expect(accepted.status).toBe(200);
    const result = await waitForResult(h.fake, alice.id, 1);
    expect(result.replyTo).toBe(message.message_id);
  });
});
