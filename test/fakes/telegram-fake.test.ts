import { autoRetry } from '@grammyjs/auto-retry';
import { run, type RunnerHandle } from '@grammyjs/runner';
import { Bot, GrammyError, InlineKeyboard, InputFile } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import { makePng, startFakeTelegram, type FakeTelegram, type FakeTelegramOptions } from './telegram/index.js';

const CHAT = 4242;
const USER = { id: 4242, first_name: 'Ann', username: 'ann' };

let tg: FakeTelegram | undefined;
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await tg?.close();
  tg = undefined;
});

async function start(opts: FakeTelegramOptions = {}): Promise<{ fake: FakeTelegram; bot: Bot }> {
  tg = await startFakeTelegram(opts);
  const bot = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });
  return { fake: tg, bot };
}

/** The user writes to the bot first, so the private chat exists (bots cannot start chats). */
function openChat(fake: FakeTelegram): void {
  fake.sendText({ chatId: CHAT, from: USER, text: 'hi' });
}

async function rawCall(fake: FakeTelegram, method: string, body: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${fake.apiRoot}/bot${fake.token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('fake Telegram with a real grammY bot', () => {
  it('answers /start through long polling with bot.start()', async () => {
    const { fake, bot } = await start();
    bot.command('start', (ctx) => ctx.reply(`Hello, ${ctx.from?.first_name}!`, { reply_parameters: { message_id: ctx.msg.message_id } }));
    void bot.start();
    cleanups.push(() => bot.stop());

    const sent = fake.sendText({ chatId: CHAT, from: USER, text: '/start' });
    await fake.waitUntil(() => fake.messages(CHAT).length === 1, 5000, 'reply to /start');

    const [reply] = fake.messages(CHAT);
    expect(reply).toMatchObject({ text: 'Hello, Ann!', fromBot: true, replyTo: sent.message_id });
    expect(reply?.messageId).toBeGreaterThan(sent.message_id);
    expect(fake.calls.map((c) => c.method).slice(0, 3)).toEqual(['getMe', 'deleteWebhook', 'getUpdates']);
    await bot.stop();
    expect(fake.errors).toEqual([]);
  });

  it('receives a PNG uploaded with sendPhoto as multipart and keeps its bytes', async () => {
    const { fake, bot } = await start();
    openChat(fake);
    const png = makePng(320, 200);
    const keyboard = new InlineKeyboard().text('U1', 'upscale:1').text('V1', 'vary:1');
    const msg = await bot.api.sendPhoto(CHAT, new InputFile(png, 'grid.png'), { caption: 'Your <b>grid</b>', parse_mode: 'HTML', reply_markup: keyboard });

    expect(msg.photo?.at(-1)).toMatchObject({ width: 320, height: 200, file_size: png.length });
    expect(msg.caption).toBe('Your grid');
    expect(msg.caption_entities).toEqual([{ type: 'bold', offset: 5, length: 4 }]);
    const stored = fake.message(CHAT, msg.message_id);
    expect(stored?.photo?.bytes.equals(png)).toBe(true);
    expect(stored?.replyMarkup).toEqual(keyboard);
    expect(fake.calls.at(-1)?.files[0]?.name).toBe('grid.png');
  });

  it('rejects uploads that are not images or have impossible dimensions', async () => {
    const { fake, bot } = await start();
    openChat(fake);
    await expect(bot.api.sendPhoto(CHAT, new InputFile(Buffer.from('not an image'), 'x.png'))).rejects.toMatchObject({ description: 'Bad Request: IMAGE_PROCESS_FAILED' });
    await expect(bot.api.sendPhoto(CHAT, new InputFile(makePng(2100, 100)))).rejects.toMatchObject({ description: 'Bad Request: PHOTO_INVALID_DIMENSIONS' });
  });

  it('rejects callback_data over 64 bytes with BUTTON_DATA_INVALID, counting bytes not characters', async () => {
    const { fake, bot } = await start();
    openChat(fake);
    const tooLong = new InlineKeyboard().text('x', 'a'.repeat(65));
    const error = await bot.api.sendMessage(CHAT, 'pick', { reply_markup: tooLong }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect(error).toMatchObject({ error_code: 400, description: 'Bad Request: BUTTON_DATA_INVALID' });

    const cyrillic = new InlineKeyboard().text('x', 'ж'.repeat(33)); // 33 characters, 66 bytes
    await expect(bot.api.sendMessage(CHAT, 'pick', { reply_markup: cyrillic })).rejects.toMatchObject({ description: 'Bad Request: BUTTON_DATA_INVALID' });
    await expect(bot.api.sendMessage(CHAT, 'pick', { reply_markup: new InlineKeyboard().text('x', 'a'.repeat(64)) })).resolves.toMatchObject({ text: 'pick' });
    expect(fake.errors.filter((e) => e.description.endsWith('BUTTON_DATA_INVALID'))).toHaveLength(2);
  });

  it('lets auto-retry recover from a forced 429', async () => {
    const { fake, bot } = await start({ rateLimits: false });
    openChat(fake);
    bot.api.config.use(autoRetry({ maxRetryAttempts: 2, maxDelaySeconds: 5 }));
    fake.failNext('sendMessage', { status: 429, description: 'Too Many Requests: retry after 1', retryAfter: 1 });

    const msg = await bot.api.sendMessage(CHAT, 'after the flood');

    expect(msg.text).toBe('after the flood');
    expect(fake.calls.filter((c) => c.method === 'sendMessage').map((c) => c.response.ok)).toEqual([false, true]);
    expect(fake.errors).toEqual([{ method: 'sendMessage', status: 429, description: 'Too Many Requests: retry after 1' }]);
  });

  it('enforces per-chat and per-group flood limits on the injected clock', async () => {
    let now = 1_000_000;
    const { fake, bot } = await start({ now: () => now });
    openChat(fake);
    for (let i = 0; i < 3; i++) await bot.api.sendMessage(CHAT, `burst ${i}`);
    await expect(bot.api.sendMessage(CHAT, 'one too many')).rejects.toMatchObject({ error_code: 429, parameters: { retry_after: 1 } });
    now += 1000;
    await expect(bot.api.sendMessage(CHAT, 'later')).resolves.toMatchObject({ text: 'later' });

    const group = -100777;
    fake.sendText({ chatId: group, chatType: 'supergroup', from: USER, text: 'hello group' });
    for (let i = 0; i < 20; i++) {
      now += 1500;
      await bot.api.sendMessage(group, `g${i}`);
    }
    now += 1500;
    const error = await bot.api.sendMessage(group, 'g20').catch((e: unknown) => e);
    expect(error).toMatchObject({ error_code: 429, description: 'Too Many Requests: retry after 30' });
  });

  it('refuses an edit that changes nothing, and text edits of photo messages', async () => {
    const { fake, bot } = await start({ rateLimits: false });
    openChat(fake);
    const keyboard = new InlineKeyboard().text('Go', 'go');
    const msg = await bot.api.sendMessage(CHAT, 'Progress 10%', { reply_markup: keyboard });
    await expect(bot.api.editMessageText(CHAT, msg.message_id, 'Progress 10%', { reply_markup: keyboard })).rejects.toMatchObject({
      description: 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    });
    await bot.api.editMessageText(CHAT, msg.message_id, 'Progress 50%', { reply_markup: keyboard });
    expect(fake.message(CHAT, msg.message_id)).toMatchObject({ text: 'Progress 50%', editCount: 1 });

    const photo = await bot.api.sendPhoto(CHAT, new InputFile(makePng(10, 10)));
    await expect(bot.api.editMessageText(CHAT, photo.message_id, 'x')).rejects.toMatchObject({ description: 'Bad Request: there is no text in the message to edit' });
    await expect(bot.api.editMessageText(CHAT, 999, 'x')).rejects.toMatchObject({ description: 'Bad Request: message to edit not found' });
  });

  it('records callback answers from a bot run by @grammyjs/runner and rejects late or repeated ones', async () => {
    let now = 5_000_000;
    const { fake, bot } = await start({ now: () => now, rateLimits: false });
    bot.on('callback_query:data', (ctx) => ctx.answerCallbackQuery({ text: `got ${ctx.callbackQuery.data}` }));
    const runner: RunnerHandle = run(bot);
    cleanups.push(() => runner.stop());
    openChat(fake);
    const msg = await bot.api.sendMessage(CHAT, 'choose', { reply_markup: new InlineKeyboard().text('A', 'pick:a') });

    const queryId = fake.pressButton({ chatId: CHAT, messageId: msg.message_id, from: USER, data: 'pick:a' });
    await fake.waitUntil(() => fake.callbackAnswers.has(queryId), 5000, 'callback answered');
    expect(fake.callbackAnswers.get(queryId)).toMatchObject({ text: 'got pick:a' });
    await expect(bot.api.answerCallbackQuery(queryId)).rejects.toMatchObject({ description: 'Bad Request: query is too old and response timeout expired or query ID is invalid' });

    await runner.stop();
    expect(fake.errors.map((e) => e.status)).toEqual([400]);
    const late = fake.pressButton({ chatId: CHAT, messageId: msg.message_id, from: USER, data: 'pick:a' });
    now += 16_000;
    await expect(bot.api.answerCallbackQuery(late)).rejects.toMatchObject({ error_code: 400 });
  });

  it('serves a user photo through getFile and the file download URL', async () => {
    const { fake, bot } = await start();
    const png = makePng(120, 80, [10, 20, 30]);
    const sent = fake.sendPhoto({ chatId: CHAT, from: USER, png, caption: 'use this' });
    const largest = sent.photo?.at(-1);
    expect(largest).toMatchObject({ width: 120, height: 80 });

    const file = await bot.api.getFile(largest?.file_id ?? '');
    const res = await fetch(`${fake.apiRoot}/file/bot${fake.token}/${file.file_path}`);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true);
    expect(fake.downloads.map((d) => d.filePath)).toEqual([file.file_path]);
  });

  it('counts text length after HTML parsing and rejects malformed HTML', async () => {
    const { fake, bot } = await start({ rateLimits: false });
    openChat(fake);
    await expect(bot.api.sendMessage(CHAT, `<b>${'a'.repeat(4096)}</b>`, { parse_mode: 'HTML' })).resolves.toBeDefined();
    await expect(bot.api.sendMessage(CHAT, 'a'.repeat(4097))).rejects.toMatchObject({ description: 'Bad Request: message is too long' });
    await expect(bot.api.sendMessage(CHAT, 'a <b>bold', { parse_mode: 'HTML' })).rejects.toMatchObject({
      description: 'Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"',
    });
    await expect(bot.api.sendMessage(CHAT, 'Done.', { parse_mode: 'MarkdownV2' })).rejects.toMatchObject({ description: expect.stringContaining("Character '.' is reserved") });
    await expect(bot.api.sendMessage(CHAT, '  ')).rejects.toMatchObject({ description: 'Bad Request: message text is empty' });
  });

  it('sends albums of 2-10 items and edits media with an uploaded file', async () => {
    const { fake, bot } = await start({ rateLimits: false });
    openChat(fake);
    const album = await bot.api.sendMediaGroup(CHAT, [
      { type: 'photo', media: new InputFile(makePng(30, 30)), caption: 'first' },
      { type: 'photo', media: new InputFile(makePng(40, 40)) },
    ]);
    expect(album).toHaveLength(2);
    const groupIds = fake.messages(CHAT).map((m) => m.mediaGroupId);
    expect(groupIds[0]).toBeTruthy();
    expect(groupIds).toEqual([groupIds[0], groupIds[0]]);
    expect(fake.messages(CHAT).map((m) => m.photo?.width)).toEqual([30, 40]);
    await expect(bot.api.sendMediaGroup(CHAT, [{ type: 'photo', media: new InputFile(makePng(5, 5)) }])).rejects.toMatchObject({ error_code: 400 });

    const replaced = makePng(50, 60);
    const edited = await bot.api.editMessageMedia(CHAT, album[0]?.message_id ?? 0, { type: 'photo', media: new InputFile(replaced), caption: 'upscaled' });
    expect(edited).toMatchObject({ caption: 'upscaled' });
    expect(fake.message(CHAT, album[0]?.message_id ?? 0)?.photo?.bytes.equals(replaced)).toBe(true);
  });

  it('sends clips with sendVideo and sendAnimation under the 50 MB upload limit, and edits a photo into a clip', async () => {
    const { fake, bot } = await start({ rateLimits: false });
    openChat(fake);
    const mp4 = Buffer.concat([Buffer.from('\u0000\u0000\u0000\u0018ftypisom\u0000\u0000\u0002\u0000isomiso2', 'latin1'), Buffer.alloc(64)]);
    const gif = Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.alloc(64)]);
    const video = await bot.api.sendVideo(CHAT, new InputFile(mp4, 'clip.mp4'), { caption: 'a clip', width: 480, height: 270 });
    expect(video.video).toMatchObject({ mime_type: 'video/mp4', width: 480, height: 270, file_size: mp4.length });
    expect(fake.message(CHAT, video.message_id)?.video?.bytes.equals(mp4)).toBe(true);
    const animation = await bot.api.sendAnimation(CHAT, new InputFile(gif, 'loop.gif'));
    expect(animation.animation).toMatchObject({ mime_type: 'image/gif' });
    // Something Telegram cannot play arrives as a file, as on Telegram.
    const notAClip = await bot.api.sendVideo(CHAT, new InputFile(makePng(8, 8), 'still.png'));
    expect(notAClip.video).toBeUndefined();
    expect((notAClip as { document?: unknown }).document).toBeDefined();
    await expect(bot.api.sendVideo(CHAT, new InputFile(Buffer.concat([mp4, Buffer.alloc(50 * 1024 * 1024)]), 'big.mp4'))).rejects.toMatchObject({ error_code: 413 });

    const photo = await bot.api.sendPhoto(CHAT, new InputFile(makePng(30, 30)), { caption: 'preview' });
    const edited = await bot.api.editMessageMedia(CHAT, photo.message_id, { type: 'video', media: new InputFile(mp4, 'clip.mp4'), caption: 'done' });
    expect(edited).toMatchObject({ caption: 'done', video: { mime_type: 'video/mp4' } });
    expect(fake.message(CHAT, photo.message_id)?.photo).toBeUndefined();
    await bot.api.editMessageCaption(CHAT, photo.message_id, { caption: 'done, with buttons' });
    expect(fake.message(CHAT, photo.message_id)?.caption).toBe('done, with buttons');
  });

  it('refuses replies to missing messages unless sending without reply is allowed', async () => {
    const { fake, bot } = await start({ rateLimits: false });
    openChat(fake);
    await expect(bot.api.sendMessage(CHAT, 'x', { reply_parameters: { message_id: 77 } })).rejects.toMatchObject({ description: 'Bad Request: message to be replied not found' });
    await expect(bot.api.sendMessage(CHAT, 'x', { reply_parameters: { message_id: 77, allow_sending_without_reply: true } })).resolves.toMatchObject({ text: 'x' });
  });

  it('enforces caption, callback answer and ForceReply placeholder limits', async () => {
    const { fake, bot } = await start({ rateLimits: false });
    openChat(fake);
    await expect(bot.api.sendPhoto(CHAT, new InputFile(makePng(8, 8)), { caption: 'c'.repeat(1025) })).rejects.toMatchObject({ description: 'Bad Request: message caption is too long' });
    await expect(bot.api.sendMessage(CHAT, 'prompt?', { reply_markup: { force_reply: true, input_field_placeholder: 'p'.repeat(65) } })).rejects.toMatchObject({ error_code: 400 });
    const ask = await bot.api.sendMessage(CHAT, 'prompt?', { reply_markup: { force_reply: true, input_field_placeholder: 'a cat in space' } });
    expect(fake.message(CHAT, ask.message_id)?.replyMarkup).toEqual({ force_reply: true, input_field_placeholder: 'a cat in space' });
    const answer = fake.sendText({ chatId: CHAT, from: USER, text: 'a red fox', replyTo: ask.message_id });
    expect(answer.reply_to_message?.message_id).toBe(ask.message_id);

    const msg = await bot.api.sendMessage(CHAT, 'choose', { reply_markup: new InlineKeyboard().text('A', 'a') });
    const queryId = fake.pressButton({ chatId: CHAT, messageId: msg.message_id, from: USER, data: 'a' });
    await expect(bot.api.answerCallbackQuery(queryId, { text: 't'.repeat(201) })).rejects.toMatchObject({ description: 'Bad Request: MESSAGE_TOO_LONG' });
    expect(() => fake.pressButton({ chatId: CHAT, messageId: msg.message_id, from: USER, data: 'not-there' })).toThrow(/no button/);
  });

  it('reports configured chat admins as creators and everyone else as members', async () => {
    const { fake, bot } = await start();
    const group = -100555;
    fake.sendText({ chatId: group, chatType: 'group', from: USER, text: 'hi' });
    fake.sendText({ chatId: group, chatType: 'group', from: { id: 7, first_name: 'Bo' }, text: 'yo' });
    fake.setChatAdmins(group, [USER.id]);
    expect(await bot.api.getChatMember(group, USER.id)).toMatchObject({ status: 'creator', user: { id: USER.id } });
    expect(await bot.api.getChatMember(group, 7)).toMatchObject({ status: 'member', user: { id: 7 } });
  });

  it('validates and stores bot commands per language', async () => {
    const { fake, bot } = await start();
    await expect(bot.api.setMyCommands([{ command: 'Imagine', description: 'Draw' }])).rejects.toMatchObject({ description: 'Bad Request: BOT_COMMAND_INVALID' });
    await bot.api.setMyCommands([{ command: 'imagine', description: 'Нарисовать' }], { language_code: 'ru' });
    expect(fake.myCommands({ languageCode: 'ru' })).toEqual([{ command: 'imagine', description: 'Нарисовать' }]);
    expect(await bot.api.getMyCommands()).toEqual([]);
  });
});

describe('fake Telegram long polling and HTTP surface', () => {
  it('drops updates below the offset and honours limit', async () => {
    const { fake } = await start();
    for (const text of ['one', 'two', 'three']) fake.sendText({ chatId: CHAT, from: USER, text });
    const all = await rawCall(fake, 'getUpdates', { offset: 0 });
    const ids = (all.json.result as { update_id: number }[]).map((u) => u.update_id);
    expect(ids).toHaveLength(3);

    const rest = await rawCall(fake, 'getUpdates', { offset: (ids[0] ?? 0) + 1, limit: 1 });
    expect((rest.json.result as { update_id: number }[]).map((u) => u.update_id)).toEqual([ids[1]]);
    const again = await rawCall(fake, 'getUpdates', { offset: 0 });
    expect((again.json.result as unknown[]).length).toBe(2);
  });

  it('holds a long poll until an update arrives and answers a superseded poll with 409', async () => {
    const { fake } = await start();
    const first = rawCall(fake, 'getUpdates', { timeout: 30 });
    await new Promise((r) => setTimeout(r, 100)); // let the first poll reach the fake before the second
    const second = rawCall(fake, 'getUpdates', { timeout: 30 });
    expect(await first).toMatchObject({ status: 409, json: { description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' } });

    fake.sendText({ chatId: CHAT, from: USER, text: 'wake up' });
    const released = await second;
    expect((released.json.result as { message: { text: string } }[]).map((u) => u.message.text)).toEqual(['wake up']);
  });

  it('answers 401 for a wrong token and 404 for an unknown method', async () => {
    const { fake } = await start();
    const wrong = await fetch(`${fake.apiRoot}/bot999:nope/getMe`);
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ ok: false, error_code: 401, description: 'Unauthorized' });
    const unknown = await rawCall(fake, 'sendTelepathy', {});
    expect(unknown).toEqual({ status: 404, json: { ok: false, error_code: 404, description: 'Not Found' } });
  });
});
