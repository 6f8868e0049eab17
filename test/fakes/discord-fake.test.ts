/** Drives a real discord.js v14 Client against the fake Discord and checks Discord's rules hold. */
import { once } from 'node:events';
import {
  ActionRowBuilder, ButtonBuilder, ButtonStyle, Client, DiscordAPIError, GatewayIntentBits, LabelBuilder,
  MessageFlags, ModalBuilder, Routes, StringSelectMenuBuilder, TextInputBuilder, TextInputStyle,
  type ButtonInteraction, type ChatInputCommandInteraction, type Interaction, type ModalSubmitInteraction, type StringSelectMenuInteraction,
} from 'discord.js';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from './discord/index.js';

let fake: FakeDiscord | undefined;
let client: Client | undefined;

afterEach(async () => {
  await client?.destroy();
  await fake?.close();
  client = fake = undefined;
});

async function connect(opts: FakeDiscordOptions = {}): Promise<{ fake: FakeDiscord; client: Client }> {
  fake = await startFakeDiscord(opts);
  client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase } });
  const ready = once(client, 'clientReady');
  await client.login(fake.token);
  await Promise.all([ready, fake.ready()]);
  return { fake, client };
}

function nextInteraction<T extends Interaction>(c: Client): Promise<T> {
  return new Promise((resolve) => c.once('interactionCreate', (i) => resolve(i as T)));
}

function tinyPng(): Buffer {
  const png = new PNG({ width: 2, height: 2 });
  png.data.fill(200);
  return PNG.sync.write(png);
}

function buttonRow(...ids: string[]): ActionRowBuilder<ButtonBuilder> {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(
    ids.map((id) => new ButtonBuilder().setCustomId(id).setLabel(id).setStyle(ButtonStyle.Secondary)),
  );
}

async function apiError(p: Promise<unknown>): Promise<DiscordAPIError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(DiscordAPIError);
  return e as DiscordAPIError;
}

describe('fake Discord driven by a real discord.js client', () => {
  it('logs in, and a deferred slash command ends as a message with the PNG and the buttons', async () => {
    const { fake, client } = await connect();
    expect(client.user?.id).toBe(fake.botUserId);
    expect(client.channels.cache.has(fake.channelId)).toBe(true);
    const got = nextInteraction<ChatInputCommandInteraction>(client);
    const png = tinyPng();
    const handle = fake.slash({
      name: 'imagine', options: [{ name: 'prompt', type: 3, value: 'a red fox' }, { name: 'image', type: 11 }],
      attachments: [{ name: 'ref.png', bytes: png, contentType: 'image/png' }],
    });
    const interaction = await got;
    expect(interaction.options.getString('prompt')).toBe('a red fox');
    const ref = interaction.options.getAttachment('image', true);
    expect([ref.name, ref.width, ref.size]).toEqual(['ref.png', 2, png.length]);
    expect(Buffer.from(await (await fetch(ref.url)).arrayBuffer()).equals(png)).toBe(true);
    await interaction.deferReply();
    await interaction.editReply({ content: 'done', files: [{ attachment: png, name: 'grid.png' }], components: [buttonRow('u1', 'u2')] });

    const msg = fake.message(handle.originalMessageId ?? '');
    expect(handle.responses.map((r) => r.type)).toEqual([5]);
    expect(msg?.content).toBe('done');
    expect(msg?.attachments.map((a) => [a.filename, a.contentType, a.bytes.equals(png)])).toEqual([['grid.png', 'image/png', true]]);
    expect(fake.requests.some((r) => r.method === 'PATCH' && r.path.endsWith('/messages/@original'))).toBe(true);
    const served = await fetch(msg?.attachments[0]?.url ?? '');
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);
  });

  it('a clicked button can open a modal whose submitted text reaches the bot, which replies ephemerally', async () => {
    const { fake, client } = await connect();
    const slash = nextInteraction<ChatInputCommandInteraction>(client);
    const first = fake.slash({ name: 'imagine' });
    await (await slash).reply({ content: 'pick', components: [buttonRow('edit')] });

    const clicked = nextInteraction<ButtonInteraction>(client);
    const click = fake.click({ messageId: first.originalMessageId ?? '', customId: 'edit' });
    const modal = new ModalBuilder().setCustomId('edit-modal').setTitle('Edit prompt').addLabelComponents(
      new LabelBuilder().setLabel('Prompt').setTextInputComponent(new TextInputBuilder().setCustomId('prompt').setStyle(TextInputStyle.Paragraph)),
    );
    await (await clicked).showModal(modal);
    expect(click.modal?.title).toBe('Edit prompt');

    const submitted = nextInteraction<ModalSubmitInteraction>(client);
    const submit = fake.submitModal({ parent: click, values: { prompt: 'a blue fox' } });
    const modalInteraction = await submitted;
    expect(modalInteraction.fields.getTextInputValue('prompt')).toBe('a blue fox');
    // A modal cannot be answered with another modal (discord.js has no showModal here; use raw REST).
    const modalAgain = client.rest.post(Routes.interactionCallback(submit.id, submit.token), { body: { type: 9, data: modal.toJSON() }, auth: false });
    expect((await apiError(modalAgain)).code).toBe(50035);
    await modalInteraction.reply({ content: 'queued', flags: MessageFlags.Ephemeral });
    expect(submit.ephemeralReplies().map((m) => m.content)).toEqual(['queued']);
  });

  it('rejects a 101-character custom_id with a nested Invalid Form Body error', async () => {
    const { fake, client } = await connect();
    const got = nextInteraction<ChatInputCommandInteraction>(client);
    fake.slash({ name: 'imagine' });
    const interaction = await got;
    const row = { type: 1, components: [{ type: 2, style: 2, label: 'ok', custom_id: 'ok' }, { type: 2, style: 2, label: 'long', custom_id: 'x'.repeat(101) }] };
    const e = await apiError(interaction.reply({ content: 'hi', components: [row] }));
    expect(e.code).toBe(50035);
    const body = e.rawError as { errors?: { data?: { components?: Record<string, { components?: Record<string, { custom_id?: { _errors?: unknown[] } }> }> } } };
    expect(body.errors?.data?.components?.['0']?.components?.['1']?.custom_id?._errors?.[0]).toEqual({
      code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.',
    });
  });

  it('answers Unknown interaction when the first response comes after three seconds', async () => {
    const { fake, client } = await connect();
    const got = nextInteraction<ChatInputCommandInteraction>(client);
    fake.slash({ name: 'imagine' });
    const interaction = await got;
    fake.advance(3_001);
    expect((await apiError(interaction.deferReply())).code).toBe(10062);
  });

  it('refuses a second initial response, an empty message and a file over the size limit', async () => {
    const { fake, client } = await connect({ attachmentSizeLimit: 1000 });
    const got = nextInteraction<ChatInputCommandInteraction>(client);
    fake.slash({ name: 'imagine' });
    const interaction = await got;
    expect(interaction.attachmentSizeLimit).toBe(1000);
    expect((await apiError(interaction.reply({ content: '' }))).code).toBe(50006);
    await interaction.deferReply();
    expect((await apiError(interaction.webhook.send({ content: 'x'.repeat(2001) }))).code).toBe(50035);
    const big = await apiError(interaction.editReply({ files: [{ attachment: Buffer.alloc(1001), name: 'big.png' }] }));
    expect([big.status, big.code]).toEqual([413, 40005]);
  });

  it('a rate-limited edit is retried after the Retry-After the fake sent', async () => {
    const { fake, client } = await connect({ rateLimit: { webhookEditsPerWindow: 1, windowMs: 200 } });
    const got = nextInteraction<ChatInputCommandInteraction>(client);
    const handle = fake.slash({ name: 'imagine' });
    const interaction = await got;
    await interaction.deferReply();
    await interaction.editReply('one');
    // Same message through its id: a different discord.js bucket, but the same Discord bucket.
    await interaction.editReply({ content: 'two', message: handle.originalMessageId ?? '' });

    expect(fake.rateLimitedCount).toBe(1);
    const edits = fake.requests.filter((r) => r.path.endsWith(`/messages/${handle.originalMessageId}`));
    expect(edits.map((r) => r.status)).toEqual([429, 200]);
    expect((edits[1]?.at ?? 0) - (edits[0]?.at ?? 0)).toBeGreaterThanOrEqual(100);
    expect(fake.message(handle.originalMessageId ?? '')?.content).toBe('two');
  });

  it('answers Invalid Webhook Token to an edit fifteen minutes after the interaction', async () => {
    const { fake, client } = await connect();
    const got = nextInteraction<ChatInputCommandInteraction>(client);
    fake.slash({ name: 'imagine' });
    const interaction = await got;
    await interaction.deferReply();
    fake.advance(15 * 60_000 + 1);
    const e = await apiError(interaction.editReply('too late'));
    expect([e.status, e.code]).toEqual([401, 50027]);
  });

  it('validates registered commands and keeps the last PUT', async () => {
    const { fake, client } = await connect();
    const e = await apiError(client.application!.commands.set([{ name: 'Imagine', description: 'x' }]));
    expect(e.code).toBe(50035);
    await client.application!.commands.set([{ name: 'imagine', description: 'Draw', nameLocalizations: { 'zh-CN': '画' } }]);
    expect(fake.commands).toMatchObject([{ name: 'imagine', name_localizations: { 'zh-CN': '画' } }]);
  });

  it('a string select updates its message, and only the attachments listed on an edit are kept', async () => {
    const { fake, client } = await connect();
    const slash = nextInteraction<ChatInputCommandInteraction>(client);
    const first = fake.slash({ name: 'imagine' });
    const select = new StringSelectMenuBuilder().setCustomId('pick').addOptions({ label: 'One', value: '1' }, { label: 'Two', value: '2' });
    await (await slash).reply({
      content: 'choose', files: [{ attachment: tinyPng(), name: 'a.png' }],
      components: [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(select)],
    });
    const messageId = first.originalMessageId ?? '';
    expect(fake.message(messageId)?.attachments.map((a) => a.filename)).toEqual(['a.png']);

    const chosen = nextInteraction<StringSelectMenuInteraction>(client);
    const pick = fake.select({ messageId, customId: 'pick', values: ['2'] });
    const interaction = await chosen;
    expect(interaction.values).toEqual(['2']);
    await interaction.update({ content: 'you chose 2', attachments: [], components: [] });
    expect(pick.responses.map((r) => r.type)).toEqual([7]);
    expect(fake.message(messageId)).toMatchObject({ content: 'you chose 2', attachments: [], components: [], editCount: 1 });
  });

  it('a wrong token makes login fail with 401 Unauthorized', async () => {
    fake = await startFakeDiscord();
    client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase } });
    await expect(client.login('not-the-token')).rejects.toThrow();
    expect(fake.requests.map((r) => [r.path, r.status])).toEqual([['/gateway/bot', 401]]);
  });

  it('the client resumes after a dropped gateway and still gets interactions', async () => {
    const { fake, client } = await connect();
    fake.disconnectClient();
    const got = nextInteraction<ChatInputCommandInteraction>(client);
    fake.slash({ name: 'imagine' });
    const replied = (await got).reply('still here');
    await fake.waitUntil(() => fake.messages().length === 1, 5000, 'the reply after resuming');
    await replied;
    expect(fake.messages().map((m) => m.content)).toEqual(['still here']);
  });
});
