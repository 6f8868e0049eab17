/**
 * Discord's bot-wide limit (50 requests per second) is left to discord.js's REST queue, which the
 * adapter uses for every request: these tests check that it really keeps a bot under the limit,
 * and that a global 429 caused elsewhere (another process on the same token) is waited out, not
 * lost. The fake answers 429s the way Discord does, which the first test pins.
 */
import { REST, Routes, type RateLimitData } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { makeRequest } from '../../src/adapters/discord/http.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/discord/index.js';

let fake: FakeDiscord | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** The REST client as the adapter builds it. */
function restFor(f: FakeDiscord): REST {
  return new REST({ api: f.apiBase, makeRequest }).setToken(f.token);
}

const raw = (f: FakeDiscord, path: string, init: RequestInit = {}): Promise<Response> =>
  fetch(`${f.apiBase}/v10${path}`, { ...init, headers: { authorization: `Bot ${f.token}`, 'content-type': 'application/json', ...init.headers } });

describe("Discord's rate limits", () => {
  it('the fake answers like Discord: a global 429 past 50 requests in a second, a bucket 429 past 5 messages in a channel', async () => {
    fake = await startFakeDiscord();
    const answers = await Promise.all(Array.from({ length: 60 }, () => raw(fake!, `/channels/${fake!.channelId}`)));
    const limited = answers.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    const first = limited[0]!;
    expect(first.headers.get('x-ratelimit-global')).toBe('true');
    expect(first.headers.get('x-ratelimit-scope')).toBe('global');
    expect(Number(first.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await first.json()) as { message: string; retry_after: number; global: boolean };
    expect(body).toEqual({ message: 'You are being rate limited.', retry_after: expect.any(Number), global: true });

    await new Promise((resolve) => setTimeout(resolve, 1100));
    const posts: Response[] = [];
    for (let i = 0; i < 6; i++) posts.push(await raw(fake, `/channels/${fake.channelId}/messages`, { method: 'POST', body: JSON.stringify({ content: `message ${i}` }) }));
    expect(posts.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429]);
    expect(posts[0]?.headers.get('x-ratelimit-limit')).toBe('5');
    expect(posts[4]?.headers.get('x-ratelimit-remaining')).toBe('0');
    const sixth = (await posts[5]!.json()) as { message: string; global: boolean };
    expect(sixth).toMatchObject({ message: 'You are being rate limited.', global: false });
    expect(fake.messages()).toHaveLength(5);
  });

  it("discord.js's REST queue keeps a bot under the global limit by itself: 150 requests at once, none refused", async () => {
    fake = await startFakeDiscord();
    const rest = restFor(fake);
    const got = await Promise.all(Array.from({ length: 150 }, () => rest.get(Routes.channel(fake!.channelId)) as Promise<{ id: string }>));
    expect(got.every((c) => c.id === fake!.channelId)).toBe(true);
    // Unpaced, 100 of them would be refused. discord.js counts its second from when it sends, the
    // server from when requests arrive, so a latency spike may cost a stray 429 (retried, not lost).
    expect(fake.rateLimits.global).toBeLessThan(3);
    expect(fake.requests.filter((r) => r.path === `/channels/${fake!.channelId}` && r.status === 200)).toHaveLength(150);
  });

  it('a global 429 caused by another process on the same token is waited out and the request still succeeds', async () => {
    // A small global budget, so the other process spends it quickly whatever the machine's load.
    fake = await startFakeDiscord({ rateLimit: { globalPerSecond: 5 } });
    const rest = restFor(fake);
    const events: RateLimitData[] = [];
    rest.on('rateLimited', (info) => events.push(info));
    // Another process spends the second's budget.
    await Promise.all(Array.from({ length: 5 }, () => raw(fake!, '/users/@me')));
    const channel = (await rest.get(Routes.channel(fake.channelId))) as { id: string };
    expect(channel.id).toBe(fake.channelId);
    expect(fake.rateLimits.global).toBe(1);
    expect(events.some((e) => e.global)).toBe(true);
    const mine = fake.requests.filter((r) => r.path === `/channels/${fake!.channelId}`);
    expect(mine.map((r) => r.status)).toEqual([429, 200]);
  });
});
