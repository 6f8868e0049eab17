/**
 * Telegram as a conversation: every question the bot asks can be answered the way Telegram users
 * answer (replying to whichever message they see, or — in a private chat — just typing), nothing
 * typed is lost, and plain text draws in private chats while group chatter is left alone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FormRecord } from '../../src/core/domain/forms.js';
import type { BotMessage } from '../fakes/telegram/index.js';
import { alice, bob, button, buttonsOf, startHarness, waitForForm, waitForMessage, waitForResult, type Harness } from './harness.js';

const GROUP = -100600;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A remix-mode new-api relay: V1 answers MODAL later, which the bot asks as a late form. */
const remixRelay = () => startHarness({ sim: { flavour: 'newapi', remix: true }, env: { MJ_FLAVOUR: 'newapi' } });

const modals = (hh: Harness) => hh.sim.requests.filter((r) => r.path.endsWith('/submit/modal'));

/** Wait until the bot has bound the form's messages (it does so right after Telegram accepted each). */
async function bound(hh: Harness, chatId: number, ...messages: BotMessage[]): Promise<void> {
  const chat = { platform: 'telegram' as const, chatId: String(chatId), isGroup: chatId < 0 };
  const until = Date.now() + 5000;
  while (!(await Promise.all(messages.map((m) => hh.app.service.formForReply(chat, String(m.messageId))))).every(Boolean)) {
    if (Date.now() > until) throw new Error('form messages never bound');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** imagine → V1 → the late remix form; returns the grid and the form's two messages. */
async function remixOffer(hh: Harness, chatId: number, chatType: 'private' | 'supergroup' = 'private') {
  hh.fake.sendText({ chatId, chatType, from: alice, text: '/imagine a paper boat' });
  const grid = await waitForResult(hh.fake, chatId, 1);
  hh.fake.pressButton({ chatId, messageId: grid.messageId, from: alice, data: button(grid, 'V1').callback_data });
  const form = await waitForForm(hh.fake, chatId, 'remix question');
  await bound(hh, chatId, form.question, form.buttons);
  return { grid, ...form };
}

describe('Telegram: answering what the bot asks', () => {
  it('remix: replying to the message with the Cancel button sends the prompt, and the variation comes', async () => {
    h = await remixRelay();
    const { question, buttons } = await remixOffer(h, alice.id);
    expect((question.replyMarkup as { force_reply?: boolean }).force_reply).toBe(true);
    expect(buttonsOf(buttons).map((b) => b.text)).toContain('✖️ Cancel');
    h.fake.sendText({ chatId: alice.id, from: alice, text: 'a paper boat in a storm', replyTo: buttons.messageId });
    await waitForResult(h.fake, alice.id, 2);
    expect(modals(h).map((r) => (r.body as { prompt?: string }).prompt)).toEqual(['a paper boat in a storm']);
  });

  it('remix: replying to the question itself works too', async () => {
    h = await remixRelay();
    const { question } = await remixOffer(h, alice.id);
    h.fake.sendText({ chatId: alice.id, from: alice, text: 'a paper boat at dawn', replyTo: question.messageId });
    await waitForResult(h.fake, alice.id, 2);
    expect((modals(h)[0]?.body as { prompt?: string }).prompt).toBe('a paper boat at dawn');
  });

  it('remix: in a private chat the next plain text answers the open question', async () => {
    h = await remixRelay();
    await remixOffer(h, alice.id);
    h.fake.sendText({ chatId: alice.id, from: alice, text: 'a paper boat on a lake' });
    await waitForResult(h.fake, alice.id, 2);
    expect((modals(h)[0]?.body as { prompt?: string }).prompt).toBe('a paper boat on a lake');
    expect(h.sim.requests.filter((r) => r.path.endsWith('/submit/imagine'))).toHaveLength(1);
  });

  it('remix in a group: another member’s reply is refused politely, the owner’s reply is taken', async () => {
    h = await remixRelay();
    const { question, buttons } = await remixOffer(h, GROUP, 'supergroup');
    // Asked of the owner: the question mentions Alice, so the selective ForceReply opens on her client only.
    expect(question.entities?.find((e) => e.type === 'text_mention')?.user?.id).toBe(alice.id);
    expect((question.replyMarkup as { selective?: boolean }).selective).toBe(true);
    const intruder = h.fake.sendText({ chatId: GROUP, chatType: 'supergroup', from: bob, text: 'a rubber duck', replyTo: buttons.messageId });
    await waitForMessage(h.fake, GROUP, (m) => m.fromBot && m.replyTo === intruder.message_id && /Only Alice/.test(m.text ?? ''), 'refusal to Bob');
    h.fake.sendText({ chatId: GROUP, chatType: 'supergroup', from: bob, text: 'just chatting here' });
    h.fake.sendText({ chatId: GROUP, chatType: 'supergroup', from: alice, text: 'a paper boat, golden hour', replyTo: question.messageId });
    await waitForResult(h.fake, GROUP, 2);
    expect(modals(h).map((r) => (r.body as { prompt?: string }).prompt)).toEqual(['a paper boat, golden hour']);
  });

  it('an answer after the form expired says so, echoes the text back, and Start again asks anew', async () => {
    h = await startHarness();
    h.fake.sendText({ chatId: alice.id, from: alice, text: '/imagine a lighthouse' });
    const grid = await waitForResult(h.fake, alice.id, 1);
    h.fake.pressButton({ chatId: alice.id, messageId: grid.messageId, from: alice, data: button(grid, 'U1').callback_data });
    const solo = await waitForResult(h.fake, alice.id, 2);
    h.fake.pressButton({ chatId: alice.id, messageId: solo.messageId, from: alice, data: button(solo, 'Custom Zoom').callback_data });
    const { question, buttons } = await waitForForm(h.fake, alice.id, 'Custom Zoom question');
    await bound(h, alice.id, question, buttons);
    // A day and a bit later.
    for await (const [id, form] of h.app.store.entries<FormRecord>('form')) await h.app.store.set('form', id, { ...form, createdAt: form.createdAt - 25 * 3600_000 });
    const late = h.fake.sendText({ chatId: alice.id, from: alice, text: 'a lighthouse --zoom 1.8', replyTo: question.messageId });
    const told = await waitForMessage(h.fake, alice.id, (m) => m.fromBot && m.replyTo === late.message_id, 'expiry answer');
    expect(told.text).toMatch(/expired/);
    expect(told.text).toContain('a lighthouse --zoom 1.8');
    expect(modals(h)).toHaveLength(0);
    h.fake.pressButton({ chatId: alice.id, messageId: told.messageId, from: alice, data: button(told, 'Start again').callback_data });
    const again = await waitForMessage(h.fake, alice.id, (m: BotMessage) => m.messageId > told.messageId && (m.replyMarkup as { force_reply?: boolean } | undefined)?.force_reply === true, 'a new question');
    expect(again.text).toContain('--zoom');
  });
});

describe('Telegram: plain text', () => {
  it('in a private chat, plain text is a prompt: it draws, with an attached photo as a reference', async () => {
    h = await startHarness();
    h.fake.sendText({ chatId: alice.id, from: alice, text: 'a fox in a field of lavender' });
    const result = await waitForResult(h.fake, alice.id, 1);
    expect(result.caption).toContain('a fox in a field of lavender');
    h.fake.sendPhoto({ chatId: alice.id, from: alice, caption: 'the same fox, in winter' });
    await waitForResult(h.fake, alice.id, 2);
    const imagines = h.sim.requests.filter((r) => r.path.endsWith('/submit/imagine')).map((r) => (r.body as { prompt: string }).prompt);
    // The photo travels as an uploaded reference in front of the prompt.
    expect(imagines).toEqual(['a fox in a field of lavender', expect.stringMatching(/^http:\/\/\S+\.png the same fox, in winter$/)]);
  });

  it('in a group, members’ chatter is ignored; a mention of the bot or a reply to it draws', async () => {
    h = await startHarness();
    h.fake.sendText({ chatId: GROUP, chatType: 'supergroup', from: alice, text: 'anyone up for lunch?' });
    h.fake.sendText({ chatId: GROUP, chatType: 'supergroup', from: bob, text: '@fake_mj_bot a castle made of sand' });
    const result = await waitForResult(h.fake, GROUP, 1);
    expect(result.caption).toContain('a castle made of sand');
    h.fake.sendText({ chatId: GROUP, chatType: 'supergroup', from: alice, text: 'a tower of glass', replyTo: result.messageId });
    await waitForResult(h.fake, GROUP, 2);
    // A reply to a result draws with that picture as a reference.
    expect(h.sim.requests.filter((r) => r.path.endsWith('/submit/imagine')).map((r) => (r.body as { prompt: string }).prompt)).toEqual(['a castle made of sand', expect.stringMatching(/^http:\/\/\S+\.png a tower of glass$/)]);
    expect(h.fake.messages(GROUP).filter((m) => m.fromBot && /lunch/.test(m.text ?? ''))).toEqual([]);
  });
});

describe('Telegram: /cancel, /history, /task and links', () => {
  it('/cancel closes the open question; the next plain text then draws instead of answering it', async () => {
    h = await startHarness();
    h.fake.sendText({ chatId: alice.id, from: alice, text: '/imagine a windmill' });
    const grid = await waitForResult(h.fake, alice.id, 1);
    h.fake.pressButton({ chatId: alice.id, messageId: grid.messageId, from: alice, data: button(grid, 'U2').callback_data });
    const solo = await waitForResult(h.fake, alice.id, 2);
    h.fake.pressButton({ chatId: alice.id, messageId: solo.messageId, from: alice, data: button(solo, 'Custom Zoom').callback_data });
    const { question, buttons } = await waitForForm(h.fake, alice.id, 'Custom Zoom question');
    await bound(h, alice.id, question, buttons);
    const cancel = h.fake.sendText({ chatId: alice.id, from: alice, text: '/cancel' });
    await waitForMessage(h.fake, alice.id, (m) => m.fromBot && m.replyTo === cancel.message_id && /Cancelled/.test(m.text ?? ''), 'cancelled');
    h.fake.sendText({ chatId: alice.id, from: alice, text: 'a windmill at night' });
    await waitForResult(h.fake, alice.id, 3);
    expect(modals(h)).toHaveLength(0);
    expect(h.sim.requests.filter((r) => r.path.endsWith('/submit/imagine')).map((r) => (r.body as { prompt: string }).prompt)).toEqual(['a windmill', 'a windmill at night']);
  });

  it('/cancel as a reply to a drawing job stops it on the proxy, frees the slot and does not charge the quota', async () => {
    h = await startHarness({ sim: { stepMs: 400, progressSteps: 5 }, env: { DAILY_QUOTA: '1', USER_MAX_RUNNING: '1' } });
    const first = h.fake.sendText({ chatId: alice.id, from: alice, text: '/imagine a slow sunrise' });
    const job = await waitForMessage(h.fake, alice.id, (m) => m.fromBot && m.replyTo === first.message_id, 'the job message');
    await h.fake.waitUntil(() => h!.sim.tasks().some((t) => t.status === 'IN_PROGRESS'), 10_000, 'drawing');
    h.fake.sendText({ chatId: alice.id, from: alice, text: '/cancel', replyTo: job.messageId });
    await h.fake.waitUntil(() => h!.sim.requests.some((r) => /\/task\/\d+\/cancel$/.test(r.path)), 10_000, 'cancel sent to the proxy');
    await waitForMessage(h.fake, alice.id, (m) => m.fromBot && /Cancelled/.test(`${m.text ?? ''}${m.caption ?? ''}`) && m.messageId >= job.messageId && /sunrise/.test(`${m.text ?? ''}${m.caption ?? ''}`), 'the job shows Cancelled');
    // The quota of one is still there: the next job is accepted (once the cancelled one is settled: shown, then its slot freed).
    while (h.app.service.diagnostics().tracked > 0) await new Promise((r) => setTimeout(r, 20));
    h.fake.sendText({ chatId: alice.id, from: alice, text: '/imagine a quick sunset' });
    await waitForResult(h.fake, alice.id, 1);
  });

  it('/history lists the user’s jobs across chats, a number shows one here, and /task alone shows the latest', async () => {
    h = await startHarness();
    h.fake.sendText({ chatId: GROUP, chatType: 'supergroup', from: alice, text: '/imagine a group mural' });
    await waitForResult(h.fake, GROUP, 1);
    h.fake.sendText({ chatId: alice.id, from: alice, text: '/imagine a private sketch' });
    await waitForResult(h.fake, alice.id, 1);
    const asked = h.fake.sendText({ chatId: alice.id, from: alice, text: '/history' });
    const list = await waitForMessage(h.fake, alice.id, (m) => m.fromBot && m.replyTo === asked.message_id, 'history');
    expect(list.text).toMatch(/1\. ✅ Done · a private sketch/);
    expect(list.text).toMatch(/2\. ✅ Done · a group mural .*\(another chat\)/);
    h.fake.pressButton({ chatId: alice.id, messageId: list.messageId, from: alice, data: button(list, '2').callback_data });
    const shown = await waitForMessage(h.fake, alice.id, (m) => m.fromBot && Boolean(m.photo) && /group mural/.test(m.caption ?? '') && m.messageId > list.messageId, 'the group job shown here');
    expect(buttonsOf(shown).map((b) => b.text)).toContain('U1');
    const latest = h.fake.sendText({ chatId: alice.id, from: alice, text: '/task' });
    const card = await waitForMessage(h.fake, alice.id, (m) => m.fromBot && m.replyTo === latest.message_id, 'latest task');
    expect(card.caption ?? card.text).toContain('a private sketch');
    // Bob's history is his own.
    const other = h.fake.sendText({ chatId: bob.id, from: bob, text: '/history' });
    expect((await waitForMessage(h.fake, bob.id, (m) => m.fromBot && m.replyTo === other.message_id, 'bob history')).text).toMatch(/No jobs yet/);
  });

  it('/describe with a link describes the linked image; a link to a private address is refused', async () => {
    h = await startHarness();
    h.fake.sendText({ chatId: alice.id, from: alice, text: '/imagine a red apple' });
    await waitForResult(h.fake, alice.id, 1);
    const url = h.sim.tasks().find((t) => t.status === 'SUCCESS')?.imageUrl;
    h.fake.sendText({ chatId: alice.id, from: alice, text: `/describe ${url}` });
    const described = await waitForResult(h.fake, alice.id, 2);
    expect(described.caption).toContain('Prompts for this image');
    expect(h.sim.requests.filter((r) => r.path.endsWith('/submit/describe'))).toHaveLength(1);
    const bad = h.fake.sendText({ chatId: alice.id, from: alice, text: '/describe http://169.254.169.254/latest/meta-data/' });
    const refusal = await waitForMessage(h.fake, alice.id, (m) => m.fromBot && m.replyTo === bad.message_id, 'refusal');
    expect(refusal.text).toMatch(/could not|not allowed|download/i);
    expect(h.sim.requests.filter((r) => r.path.endsWith('/submit/describe'))).toHaveLength(1);
  });
});

describe('Telegram: leaving the line', () => {
  it('a job waiting in the line leaves it by /cancel as a reply, or by its ✖️ Cancel button; nothing is sent or charged', async () => {
    h = await startHarness({ sim: { stepMs: 300, progressSteps: 4 }, env: { CHAT_MAX_RUNNING: '1', DAILY_QUOTA: '1' } });
    const first = h.fake.sendText({ chatId: GROUP, chatType: 'supergroup', from: alice, text: '/imagine a long night' });
    await waitForMessage(h.fake, GROUP, (m) => m.fromBot && m.replyTo === first.message_id, 'alice drawing');
    // Alice's drawing holds still until Bob is done with the line, however slow the machine.
    await h.fake.waitUntil(() => h!.sim.tasks().length === 1, 10_000, 'alice submitted');
    h.sim.pause();
    const second = h.fake.sendText({ chatId: GROUP, chatType: 'supergroup', from: bob, text: '/imagine a short day' });
    const waiting = await waitForMessage(h.fake, GROUP, (m) => m.fromBot && m.replyTo === second.message_id && /Queued: 1 ahead/.test(m.text ?? ''), 'bob waiting');
    expect(buttonsOf(waiting).map((b) => b.text)).toEqual(['✖️ Cancel']);
    // Alice may not take Bob's job out of the line.
    const meddling = h.fake.sendText({ chatId: GROUP, chatType: 'supergroup', from: alice, text: '/cancel', replyTo: waiting.messageId });
    await waitForMessage(h.fake, GROUP, (m) => m.fromBot && m.replyTo === meddling.message_id && /Only Bob/.test(m.text ?? ''), 'refusal');
    const cancel = h.fake.sendText({ chatId: GROUP, chatType: 'supergroup', from: bob, text: '/cancel', replyTo: waiting.messageId });
    await waitForMessage(h.fake, GROUP, (m) => m.fromBot && m.replyTo === cancel.message_id && /left the line/.test(m.text ?? ''), 'left');
    await h.fake.waitUntil(() => /Cancelled/.test(h!.fake.messages(GROUP).find((m) => m.messageId === waiting.messageId)?.text ?? ''), 5000, 'the waiting message says Cancelled');
    // Bob's quota of one is untouched: his next job is accepted and drawn once Alice's is done.
    const third = h.fake.sendText({ chatId: GROUP, chatType: 'supergroup', from: bob, text: '/imagine a short day, again' });
    const again = await waitForMessage(h.fake, GROUP, (m) => m.fromBot && m.replyTo === third.message_id && /Queued: 1 ahead/.test(m.text ?? ''), 'bob waiting again');
    h.fake.pressButton({ chatId: GROUP, messageId: again.messageId, from: bob, data: button(again, 'Cancel').callback_data });
    await h.fake.waitUntil(() => /Cancelled/.test(h!.fake.messages(GROUP).find((m) => m.messageId === again.messageId)?.text ?? ''), 5000, 'cancelled by the button');
    h.sim.resume();
    await waitForResult(h.fake, GROUP, 1);
    expect(h.sim.requests.filter((r) => r.path.endsWith('/submit/imagine')).map((r) => (r.body as { prompt: string }).prompt)).toEqual(['a long night']);
  });
});
