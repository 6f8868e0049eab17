/**
 * /cancel where the proxy can cancel (plus, trueai): the job stops at the proxy and its message
 * ends as cancelled; only its owner may cancel it; relays without the endpoint say so.
 */
import { afterEach, describe, expect, it } from 'vitest';
import cancel from '../../commands/cancel.js';
import imagine from '../../commands/imagine.js';
import type { Flavour } from '../../src/mj/capabilities.js';
import { createCommandStack, taskIdOf, user, type CommandStack } from './setup.js';

let stack: CommandStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function stuckJob(flavour: Flavour, owner = user('owner', 'en', true)): Promise<{ s: CommandStack; id: string }> {
  const s = (stack = await createCommandStack({ flavour }));
  s.sim.stickTask('next');
  const id = taskIdOf(await s.run(imagine, { prompt: 'a slow fox' }, owner));
  await s.sim.waitFor(id, ['IN_PROGRESS']);
  return { s, id };
}

describe.each(['plus', 'trueai'] as Flavour[])('/cancel on %s', (flavour) => {
  it('stops the job at the proxy and ends its message as cancelled', async () => {
    const { s, id } = await stuckJob(flavour);
    expect(await s.run(cancel, { task: id }, user('owner', 'en', true))).toMatchObject({ type: 'message', text: expect.stringMatching(/^Cancelled: the job was stopped/) });
    expect(s.sim.requests.filter((r) => r.method === 'POST' && r.path === `/mj/task/${id}/cancel`)).toHaveLength(1);
    const final = await s.finalOf(id);
    expect(final.phase).toBe('failed');
    expect(final.headline).toBe('✖️ Cancelled');
    // Cancelling it again: it has finished.
    expect(await s.run(cancel, { task: id }, user('owner', 'en', true))).toMatchObject({ type: 'message', text: 'That job has already finished.' });
  });

  it('lets only the owner cancel, and says whose it is', async () => {
    const { s, id } = await stuckJob(flavour);
    expect(await s.run(cancel, { task: id }, user('other', 'en', true))).toMatchObject({ type: 'error', code: 'NOT_OWNER' });
    expect(s.sim.requests.some((r) => r.path.endsWith('/cancel'))).toBe(false);
    expect(s.sim.task(id)?.status).toBe('IN_PROGRESS');
  });
});

describe('/cancel where the proxy cannot cancel', () => {
  it.each([['newapi'], ['oss']] as [Flavour][])('%s: "not available through this proxy or relay", and the job goes on', async (flavour) => {
    const { s, id } = await stuckJob(flavour);
    expect(await s.run(cancel, { task: id }, user('owner', 'en', true))).toMatchObject({ type: 'error', code: 'MJ_UNSUPPORTED' });
    expect(s.sim.requests.some((r) => r.path.endsWith('/cancel'))).toBe(false);
  });

  it('with nothing chosen and no open question it says how to choose a job', async () => {
    const s = (stack = await createCommandStack());
    expect(await s.run(cancel, {}, user('nobody'))).toMatchObject({ type: 'message', text: expect.stringMatching(/^Nothing to cancel here/) });
  });
});
