/**
 * Telegram unreachable while the bot runs (connections cut, as with a dead link): the bot logs
 * one warning, /healthz turns red, polling keeps retrying, and once Telegram is back the bot says
 * so, turns green and answers what users sent meanwhile.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { captureLogs, WARN } from '../helpers/logs.js';
import { alice, startHarness, waitForResult, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('Telegram network trouble while running', () => {
  it('warns once, turns /healthz red, keeps polling, and recovers by itself', async () => {
    const logs = captureLogs();
    h = await startHarness({ logger: logs.logger, tg: { pollRetryMs: 50 } });
    const { fake, app } = h;
    fake.sendText({ chatId: alice.id, from: alice, text: '/imagine a lighthouse' });
    await waitForResult(fake, alice.id, 1);
    expect((await app.health.run()).checks.telegram).toBe(true);

    fake.setReachable(false);
    await logs.waitFor((l) => l.level === WARN && /^telegram cannot be reached/.test(l.msg ?? ''), 'outage warning');
    expect((await app.health.run()).checks.telegram).toBe(false);
    // A user writes while the bot cannot reach Telegram: the update waits on Telegram's side.
    fake.sendText({ chatId: alice.id, from: alice, text: '/imagine a storm at sea' });

    fake.setReachable(true);
    await logs.waitFor((l) => l.msg === 'telegram reachable again', 'recovery');
    const second = await waitForResult(fake, alice.id, 2);
    expect(second.caption).toContain('a storm at sea');
    expect((await app.health.run()).checks.telegram).toBe(true);
    const warnings = logs.lines().filter((l) => l.level === WARN && /^telegram cannot be reached/.test(l.msg ?? ''));
    expect(warnings).toHaveLength(1);
  });
});
