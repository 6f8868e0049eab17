/**
 * Submits in flight (namespace 'pending'): written before the proxy is asked, removed once its
 * answer is stored. Whatever is left at start-up was cut off by a crash, so its message says so.
 */
import { t } from '../domain/i18n/index.js';
import type { Delivery } from './delivery.js';
import { RECORD_TTL_MS } from '../domain/records.js';
import type { Store } from '../domain/ports.js';
import type { Actor, MessageRef } from '../domain/types.js';
import { failedView } from '../domain/views.js';

export interface PendingSubmit {
  ref: MessageRef;
  display: string;
  owner: Actor;
}

/** Remember a submit about to be sent; returns the key to clear once the answer is stored. */
export async function markSubmitting(store: Store, pending: PendingSubmit): Promise<string> {
  const { ref } = pending;
  const key = `${ref.chat.platform}:${ref.chat.chatId}:${ref.messageId}`;
  await store.set('pending', key, pending, RECORD_TTL_MS);
  return key;
}

/** Tell the users whose submit was cut off that the proxy's answer is unknown. */
export async function reportInterruptedSubmits(store: Store, delivery: Delivery): Promise<void> {
  const found: [string, PendingSubmit][] = [];
  for await (const entry of store.entries<PendingSubmit>('pending')) found.push(entry);
  for (const [key, pending] of found) {
    await store.delete('pending', key);
    const view = failedView(pending.display, pending.owner.name, pending.owner.locale, 'INTERNAL');
    view.detail = t(pending.owner.locale, 'task.interrupted');
    void delivery.push(`submit:${pending.ref.messageId}`, pending.ref, view);
  }
}
