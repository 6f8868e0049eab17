/** The fake's bot-wide flood limit and setMessageReaction, as a real grammY client meets them. */
import { Bot } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from './telegram/index.js';

let tg: FakeTelegram | undefined;
afterEach(async () => {
  await tg?.close();
  tg = undefined;
});

describe('fake Telegram: bot-wide limit and reactions', () => {
  it('answers the 31st message within one second over many chats with Telegram\'s 429, and lets it through a second later', async () => {
    let now = 5_000_000;
    tg = await startFakeTelegram({ now: () => now });
    const bot = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });
    for (let i = 0; i < 31; i++) tg.sendText({ chatId: 7000 + i, from: { id: 7000 + i, first_name: `U${i}` }, text: 'hi' });
    for (let i = 0; i < 30; i++) await bot.api.sendMessage(7000 + i, `hello ${i}`);
    const error = await bot.api.sendMessage(7030, 'one too many').catch((e: unknown) => e);
    expect(error).toMatchObject({ error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } });
    now += 1000;
    await expect(bot.api.sendMessage(7030, 'now it fits')).resolves.toMatchObject({ text: 'now it fits' });
  });

  it('sets one allowed reaction on a user\'s message, and refuses unknown emojis, two reactions and missing messages', async () => {
    tg = await startFakeTelegram({ rateLimits: false });
    const bot = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });
    const group = -100900;
    const command = tg.sendText({ chatId: group, chatType: 'supergroup', from: { id: 11, first_name: 'Ann' }, text: '/imagine a cat' });
    await bot.api.setMessageReaction(group, command.message_id, [{ type: 'emoji', emoji: '👀' }]);
    expect(tg.message(group, command.message_id)?.reactions).toEqual(['👀']);
    await bot.api.setMessageReaction(group, command.message_id, [{ type: 'emoji', emoji: '✍' }]);
    expect(tg.message(group, command.message_id)?.reactions).toEqual(['✍']);

    // "✍️" with a variation selector is not in Telegram's list.
    const bad = await bot.api.setMessageReaction(group, command.message_id, [{ type: 'emoji', emoji: '✍️' as '✍' }]).catch((e: unknown) => e);
    expect(bad).toMatchObject({ error_code: 400, description: 'Bad Request: REACTION_INVALID' });
    const two = await bot.api.setMessageReaction(group, command.message_id, [{ type: 'emoji', emoji: '👀' }, { type: 'emoji', emoji: '👍' }]).catch((e: unknown) => e);
    expect(two).toMatchObject({ error_code: 400, description: 'Bad Request: REACTIONS_TOO_MANY' });
    const missing = await bot.api.setMessageReaction(group, 999, [{ type: 'emoji', emoji: '👀' }]).catch((e: unknown) => e);
    expect(missing).toMatchObject({ error_code: 400, description: 'Bad Request: message to react not found' });
    await bot.api.setMessageReaction(group, command.message_id, []);
    expect(tg.message(group, command.message_id)?.reactions).toEqual([]);
  });
});
