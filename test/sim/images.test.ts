import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { envelope, eventually, get, hookReceiver, imagineDone, post, sim, type WireTask } from './helpers.js';

describe('signed image URLs', () => {
  it('expire with 403 and a fresh fetch of the task returns a newly signed URL that works', async () => {
    let now = 1_700_000_000_000;
    const s = await sim({ imageUrlTtlMs: 60_000, now: () => now });
    const task = await imagineDone(s);
    const first = String(task.imageUrl);
    expect(first).toMatch(/\/sim\/img\/\d+\/grid\.png\?ex=\d+&hm=[0-9a-f]+$/);
    expect((await fetch(first)).status).toBe(200);
    now += 61_000;
    expect((await fetch(first)).status).toBe(403);
    const refreshed = String(((await get(`${s.url}/mj/task/${task.id}/fetch`)).json as WireTask).imageUrl);
    expect(refreshed).not.toBe(first);
    expect((await fetch(refreshed)).status).toBe(200);
  });

  it('refuses a URL whose signature was tampered with', async () => {
    const s = await sim({ imageUrlTtlMs: 60_000 });
    const url = String((await imagineDone(s)).imageUrl);
    // Flip the first signature character to a different one (never a no-op).
    const tampered = url.replace(/hm=(.)/, (_, c: string) => `hm=${c === '0' ? '1' : '0'}`);
    expect(tampered).not.toBe(url);
    expect((await fetch(tampered)).status).toBe(403);
    expect((await fetch(url.split('?')[0] ?? '')).status).toBe(403);
  });
});

describe('notifyHook chaos and reset', () => {
  it('with notifyChaos delivers every state but repeats or reorders some posts', async () => {
    const s = await sim({ notifyChaos: true, progressSteps: 4 });
    const hook = await hookReceiver();
    const ids: string[] = [];
    for (const prompt of ['a', 'b', 'c']) ids.push(String(envelope(await post(`${s.url}/mj/submit/imagine`, { prompt, notifyHook: hook.url })).result));
    await Promise.all(ids.map((id) => s.waitFor(id)));
    await eventually(() => ids.every((id) => hook.bodies.some((b) => b.id === id && b.status === 'SUCCESS')), 5000);
    for (const id of ids) {
      const seen = new Set(hook.bodies.filter((b) => b.id === id).map((b) => `${b.status}:${String(b.progress)}`));
      expect(seen.has('SUBMITTED:0%') && seen.has('SUCCESS:100%')).toBe(true);
    }
    await new Promise((r) => setTimeout(r, 100));
    const rank = (b: WireTask): number => (b.status === 'SUCCESS' ? 101 : parseInt(String(b.progress), 10));
    const duplicated = new Set(hook.bodies.map((b) => `${b.id}:${rank(b)}`)).size < hook.bodies.length;
    const reordered = ids.some((id) => {
      const ranks = hook.bodies.filter((b) => b.id === id).map(rank);
      return ranks.some((r, i) => i > 0 && r < (ranks[i - 1] ?? 0));
    });
    expect(duplicated || reordered).toBe(true);
  });

  it('reset forgets tasks and requests', async () => {
    const s = await sim();
    const task = await imagineDone(s);
    s.reset();
    expect(s.tasks()).toEqual([]);
    expect(s.requests).toEqual([]);
    expect((await get(`${s.url}/mj/task/${task.id}/fetch`)).text).toBe('');
  });
});

describe('npm run sim', () => {
  it('prints its URL and an example curl, serves requests and stops on SIGINT', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/sim/cli.ts', '--port', '0', '--flavour', 'trueai', '--step-ms', '10'], {
      cwd: new URL('../..', import.meta.url),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      await eventually(() => out.includes('curl -X POST'), 15_000);
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1] ?? '';
      expect(out).toContain(`curl -X POST ${url}/mj/submit/imagine -H 'content-type: application/json'`);
      const res = envelope(await post(`${url}/mj/submit/imagine`, { prompt: 'cli' }));
      expect(res.properties.discordChannelId).toBeDefined();
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
