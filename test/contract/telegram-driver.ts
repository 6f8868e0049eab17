/** The contract on Telegram: the real grammY adapter against the fake Bot API, in a group. */
import { alice, bob, button, buttonsOf, startHarness, waitForForm, waitForMessage, type Harness } from '../telegram/harness.js';
import type { BotMessage, SimulatedUser } from '../fakes/telegram/index.js';
import type { ContractDriver, ResultSeen, Who } from './driver.js';
import { delivered, forgetDelivery, taskIdFor } from './replay.js';

const GROUP = -100777;
const users: Record<Who, SimulatedUser> = { owner: alice, other: bob };
const isResult = (m: BotMessage) => Boolean((m.photo || m.document || m.video || m.animation) && m.caption?.startsWith('✅') && buttonsOf(m).length > 0);

export async function telegramDriver(): Promise<ContractDriver> {
  const h: Harness = await startHarness();
  const seen = (m: BotMessage): ResultSeen => ({ ref: String(m.messageId), buttons: buttonsOf(m).map((b) => b.text), video: Boolean(m.video || m.animation) });
  const message = (ref: string) => h.fake.messages(GROUP).find((m) => m.messageId === Number(ref));
  const nextResult = async (replyTo: number) => seen(await waitForMessage(h.fake, GROUP, (m) => m.replyTo === replyTo && isResult(m), `result replying to ${replyTo}`));
  const press = (who: Who, ref: string, label: string) => h.fake.pressButton({ chatId: GROUP, messageId: Number(ref), from: users[who], data: button(message(ref), label).callback_data });
  return {
    name: 'telegram',
    sim: h.sim,
    groups: true,
    confirmsCancel: true,
    async imagine(who, prompt) {
      const sent = h.fake.sendText({ chatId: GROUP, chatType: 'supergroup', from: users[who], text: `/imagine ${prompt}` });
      return nextResult(sent.message_id);
    },
    async pressForResult(who, result, label) {
      press(who, result.ref, label);
      return nextResult(Number(result.ref));
    },
    async pressForForm(who, result, label) {
      press(who, result.ref, label);
      const { question, buttons } = await waitForForm(h.fake, GROUP, `form after ${label}`);
      return { ref: String(buttons.messageId), text: question.text ?? '' };
    },
    async cancelForm(who, form) {
      const before = message(form.ref)?.editCount ?? 0;
      press(who, form.ref, 'Cancel');
      await h.fake.waitUntil(() => (message(form.ref)?.editCount ?? 0) > before, 5000, 'the form message edited');
      return message(form.ref)?.text;
    },
    async pressRefused(who, result, label) {
      const id = press(who, result.ref, label);
      await h.fake.waitUntil(() => h.fake.callbackAnswers.has(id), 5000, 'answer to the refused press');
      const answer = h.fake.callbackAnswers.get(id);
      if (!answer?.show_alert) throw new Error(`expected an alert, got ${JSON.stringify(answer)}`);
      return answer.text ?? '';
    },
    async imagineRefused(who, text) {
      const sent = h.fake.sendText({ chatId: GROUP, chatType: 'supergroup', from: users[who], text: `/imagine ${text}` });
      return (await waitForMessage(h.fake, GROUP, (m) => m.fromBot && m.replyTo === sent.message_id, 'refusal')).text ?? '';
    },
    async redeliver(_result, prompt) {
      const taskId = taskIdFor(h.sim, prompt);
      await forgetDelivery(h.app.store, taskId);
      await h.restart();
      await delivered(h.app.store, taskId);
      return h.fake.messages(GROUP).filter((m) => isResult(m) && (m.caption ?? '').includes(prompt)).map(seen);
    },
    close: () => h.close(),
  };
}
