/** The contract on Discord: the real discord.js adapter against the fake gateway and REST, in a guild channel. */
import { buttonId, clipOf, isResult, OTHER_USER, resultOf, rowsOf, startStack, type DiscordStack } from '../discord/harness.js';
import type { FakeMessage, FakeUser, InteractionHandle } from '../fakes/discord/index.js';
import type { ContractDriver, ResultSeen, Who } from './driver.js';
import { delivered, forgetDelivery, taskIdFor } from './replay.js';

export async function discordDriver(): Promise<ContractDriver> {
  // SQLite: the store outlives a restart (redeliver).
  const stack: DiscordStack = await startStack({ sqlite: true });
  const { fake } = stack;
  const user = (who: Who): FakeUser | undefined => (who === 'other' ? OTHER_USER : undefined);
  const seen = (m: FakeMessage): ResultSeen => ({
    ref: m.id,
    buttons: rowsOf(m).flat().map((b) => b.label ?? b.emoji?.name ?? ''),
    video: clipOf(m)?.bytes.subarray(4, 8).toString('latin1') === 'ftyp',
  });
  const click = (who: Who, ref: string, label: string) => fake.click({ messageId: ref, customId: buttonId(fake.message(ref), label), user: user(who) });
  const privately = async (handle: InteractionHandle, what: string) => {
    await fake.waitUntil(() => handle.ephemeralReplies().length > 0, 5000, what);
    return handle.ephemeralReplies()[0]?.content ?? '';
  };
  const modals = new Map<string, InteractionHandle>();
  return {
    name: 'discord',
    sim: stack.sim,
    groups: true,
    confirmsCancel: false,
    async imagine(who, prompt) {
      return seen(await resultOf(fake, fake.slash({ name: 'imagine', options: [{ name: 'prompt', type: 3, value: prompt }], user: user(who) })));
    },
    async pressForResult(who, result, label) {
      return seen(await resultOf(fake, click(who, result.ref, label)));
    },
    async pressForForm(who, result, label) {
      const handle = click(who, result.ref, label);
      await fake.waitUntil(() => handle.modal !== undefined, 5000, `modal after ${label}`);
      modals.set(handle.id, handle);
      return { ref: handle.id, text: `${handle.modal?.title}\n${JSON.stringify(handle.modal?.components)}` };
    },
    async cancelForm(_who, form) {
      // Discord closes a modal on the client: nothing reaches the bot.
      modals.delete(form.ref);
      return undefined;
    },
    pressRefused: (who, result, label) => privately(click(who, result.ref, label), 'refusal'),
    imagineRefused: (who, text) => privately(fake.slash({ name: 'imagine', options: [{ name: 'prompt', type: 3, value: text }], user: user(who) }), 'refusal'),
    async redeliver(_result, prompt) {
      const taskId = taskIdFor(stack.sim, prompt);
      await forgetDelivery(stack.app.store, taskId);
      await stack.restart();
      await delivered(stack.app.store, taskId);
      return fake.messages().filter((m) => isResult(m) && JSON.stringify(m.embeds).includes(prompt)).map(seen);
    },
    close: () => stack.close(),
  };
}
