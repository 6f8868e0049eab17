/**
 * Thirty people draw in one Discord channel at the same moment, against a fake that enforces
 * Discord's channel message limit (5 per window, here 1 s), per-route buckets and the global
 * limit with real 429s. Everyone gets their result once, on their own reply; no interaction
 * fails; the bot stays inside the limits instead of bouncing off them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { embedOf, isResult, resultOf, startStack, type DiscordStack } from './harness.js';
import type { FakeUser } from '../fakes/discord/index.js';

let stack: DiscordStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const USERS = 30;
const users: FakeUser[] = Array.from({ length: USERS }, (_, i) => ({ id: String(300000000000000000n + BigInt(i)), username: `user${i}` }));
const titleOf = (body: unknown): string => (body as { embeds?: { title?: string }[] } | undefined)?.embeds?.[0]?.title ?? '';

describe('a burst in one Discord channel', () => {
  // SQLite is the default store: simultaneous interactions once stalled on its write lock there.
  it.each([{ store: 'memory', sqlite: false }, { store: 'SQLite', sqlite: true }])('30 users at once ($store store): every result arrives exactly once on its own reply, no interaction fails, and no request is rate limited', async ({ sqlite }) => {
    stack = await startStack({
      sqlite,
      channel: { limit: 5, windowMs: 1000 },
      sim: { stepMs: 150, progressSteps: 4, concurrency: USERS, queueLimit: USERS * 2 },
      env: { CHAT_MAX_RUNNING: String(USERS) },
    });
    const { fake } = stack;
    const handles = users.map((user, i) => fake.slash({ name: 'imagine', options: [{ name: 'prompt', type: 3, value: `burst picture ${i} end` }], user }));
    const results = await Promise.all(handles.map((h) => resultOf(fake, h, 40_000)));

    // Every interaction was acknowledged in time with a deferred reply, and that reply became the result.
    for (const [i, handle] of handles.entries()) {
      expect(handle.responses.map((r) => r.type)).toEqual([5]);
      expect(results[i]?.id).toBe(handle.originalMessageId);
      expect(embedOf(results[i])?.description).toContain(`burst picture ${i} end`);
    }
    const callbacks = fake.requests.filter((r) => r.path.endsWith('/callback'));
    expect(callbacks.map((r) => r.status).filter((s) => s >= 400)).toEqual([]);

    // Exactly once: one result message per prompt, written once, and never overwritten by an older view.
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (let i = 0; i < USERS; i++) {
      expect(fake.messages().filter((m) => isResult(m) && embedOf(m)?.description?.includes(`burst picture ${i} end`))).toHaveLength(1);
    }
    for (const result of results) {
      const writes = fake.requests.filter((r) => r.method === 'PATCH' && r.status === 200 && (r.path.endsWith(`/messages/${result.id}`) || r.path.includes(`${handles.find((h) => h.originalMessageId === result.id)?.token}/messages/@original`)));
      expect(writes.filter((w) => titleOf(w.body).startsWith('✅'))).toHaveLength(1);
      expect(titleOf(writes.at(-1)?.body)).toMatch(/^✅/);
    }
    // The pacer kept inside the channel's limit: Discord never had to say 429.
    expect(fake.rateLimits).toEqual({ route: 0, channel: 0, global: 0 });
    // Progress was what gave way: fewer progress edits than the 4 steps × 30 tasks the proxy reported.
    const progress = fake.requests.filter((r) => r.method === 'PATCH' && r.status === 200 && titleOf(r.body).startsWith('🎨'));
    expect(progress.length).toBeLessThan(USERS * 4);
  }, 60_000);

  it('results that come after the 15-minute interaction tokens expired still reach everyone, on their own message, through the channel and without a 429', async () => {
    const count = 10;
    stack = await startStack({
      channel: { limit: 5, windowMs: 1000 },
      sim: { stepMs: 100, progressSteps: 2, concurrency: count },
      env: { CHAT_MAX_RUNNING: String(count) },
    });
    const { fake, sim } = stack;
    const handles = users.slice(0, count).map((user, i) => fake.slash({ name: 'imagine', options: [{ name: 'prompt', type: 3, value: `late picture ${i} end` }], user }));
    await fake.waitUntil(() => sim.tasks().length === count, 10_000, 'all jobs submitted');
    sim.pause();
    fake.advance(16 * 60_000);
    sim.resume();
    const results = await Promise.all(handles.map((h) => resultOf(fake, h, 30_000)));

    for (const [i, handle] of handles.entries()) {
      expect(results[i]?.id).toBe(handle.originalMessageId);
      expect(embedOf(results[i])?.description).toContain(`late picture ${i} end`);
      const viaBot = fake.requests.filter((r) => r.method === 'PATCH' && r.status === 200 && r.path === `/channels/${fake.channelId}/messages/${handle.originalMessageId}`);
      expect(viaBot.filter((r) => titleOf(r.body).startsWith('✅'))).toHaveLength(1);
    }
    expect(fake.messages().filter((m) => isResult(m))).toHaveLength(count);
    expect(fake.rateLimits).toEqual({ route: 0, channel: 0, global: 0 });
  }, 60_000);
});
