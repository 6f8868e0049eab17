/**
 * End-to-end flows through the shared service over real HTTP against the simulator:
 * imagine → U2 → Custom Zoom (form) → result, describe → PicReader (form) → imagine, in each flavour.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { until } from '../access/stack.js';
import { button, createCoreStack, type CoreStack } from './harness.js';
import type { Reply } from '../../src/core/domain/types.js';

let stack: CoreStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

function taskIdOf(reply: Reply): string {
  if (reply.type !== 'task' || !reply.taskId) throw new Error(`expected a task, got ${JSON.stringify(reply)}`);
  return reply.taskId;
}

describe.each(['plus', 'trueai', 'newapi'] as const)('service flows on the %s flavour', (flavour) => {
  it('imagine → U2 → Custom Zoom with a form step → zoomed result, with progress shown on the way', async () => {
    stack = await createCoreStack({ flavour });
    const s = stack;
    const origin = s.origin();
    const gridId = taskIdOf(await s.service.submit(origin, { kind: 'imagine', prompt: 'a red fox' }, 'a red fox'));
    // Hold the drawing half way, so the progress is seen however slow the machine is.
    await s.sim.waitFor(gridId, ['IN_PROGRESS']);
    s.sim.pause();
    await until(() => s.presenter.viewsOf(gridId).some((v) => v.phase === 'progress' && (v.percent ?? 0) > 0 && v.image?.preview), 'progress with a preview');
    s.sim.resume();
    const grid = await s.finalOf(gridId);
    expect(grid.phase).toBe('result');
    expect(grid.rows.map((r) => r.map((b) => b.label || b.emoji))).toEqual([
      ['U1', 'U2', 'U3', 'U4', '🔄'],
      ['V1', 'V2', 'V3', 'V4'],
    ]);
    const gridViews = s.presenter.viewsOf(grid.taskId!);
    expect(gridViews.some((v) => v.phase === 'progress' && (v.percent ?? 0) > 0 && v.image?.preview)).toBe(true);
    const png = PNG.sync.read((await s.service.loadImage(grid.image!)).bytes);
    expect(png.width).toBeGreaterThan(100);

    const upscale = await s.finalOf(taskIdOf(await s.service.press(button(grid, 'U2'), origin)));
    expect(upscale.rows.flat().map((b) => b.label)).toContain('Custom Zoom');

    const plan = await s.service.planPress(button(upscale, 'Custom Zoom'), origin);
    expect(plan.type).toBe('form');
    if (plan.type !== 'form') return;
    expect(plan.form.prompt?.value).toMatch(/--zoom 1\.5/);

    const bad = await s.service.answerForm(plan.form.formId, { prompt: 'a red fox --zoom 3' }, origin);
    expect(bad).toMatchObject({ type: 'error', code: 'BAD_INPUT' });
    if (bad.type === 'error') expect(bad.text).toMatch(/1.*2/);

    const zoomed = await s.finalOf(taskIdOf(await s.service.answerForm(plan.form.formId, { prompt: 'a red fox --zoom 1.5' }, origin)));
    expect(zoomed.phase).toBe('result');
    const modalCalls = s.sim.requests.filter((r) => r.path.endsWith('/submit/modal'));
    expect(modalCalls).toHaveLength(1);
    expect(modalCalls[0]!.body).toMatchObject({ prompt: 'a red fox --zoom 1.5' });
    // The form was used: answering it again is refused instead of submitting twice.
    expect(await s.service.answerForm(plan.form.formId, { prompt: 'x --zoom 1.2' }, origin)).toMatchObject({ type: 'error', code: 'FORM_EXPIRED' });
  });
});

describe('describe → imagine', () => {
  it('describe shows the four prompts and 1️⃣ opens a form prefilled with the first one, which draws it', async () => {
    stack = await createCoreStack({ flavour: 'plus' });
    const s = stack;
    const origin = s.origin();
    const png = new PNG({ width: 64, height: 64 });
    png.data.fill(200);
    const described = await s.finalOf(taskIdOf(await s.service.submit(origin, { kind: 'describe', image: PNG.sync.write(png) }, 'describe')));
    expect(described.detail).toMatch(/1️⃣[\s\S]*4️⃣/);
    const plan = await s.service.planPress(button(described, '1️⃣'), origin);
    if (plan.type !== 'form') throw new Error('expected a form');
    const first = plan.form.prompt!.value;
    expect(first.length).toBeGreaterThan(3);
    expect(described.detail).toContain(first.slice(0, 20));
    const drawn = await s.finalOf(taskIdOf(await s.service.answerForm(plan.form.formId, {}, origin)));
    expect(drawn.phase).toBe('result');
    expect(drawn.rows.flat().map((b) => b.label)).toContain('U1');
    const modal = s.sim.requests.find((r) => r.path.endsWith('/submit/modal'));
    expect(modal?.body).toMatchObject({ prompt: first });
  });
});

describe('remix behind a new-api relay', () => {
  it('a V press that silently becomes MODAL (code 21 rewritten to 1) is noticed on fetch and offered as a form', async () => {
    stack = await createCoreStack({ flavour: 'newapi', sim: { remix: true } });
    const s = stack;
    const origin = s.origin();
    const grid = await s.finalOf(taskIdOf(await s.service.submit(origin, { kind: 'imagine', prompt: 'a castle' }, 'a castle')));
    const pressed = await s.service.press(button(grid, 'V1'), origin);
    const variationId = taskIdOf(pressed);
    // The relay answered code 1: the MODAL state is only visible on fetch.
    const deadline = Date.now() + 5000;
    let form;
    while (!form && Date.now() < deadline) {
      form = [...s.presenter.messages.values()].flatMap((m) => m.forms)[0];
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(form?.prompt?.value).toContain('a castle');
    expect(s.presenter.viewsOf(variationId).some((v) => v.phase === 'waiting-input')).toBe(true);
    const answered = await s.service.answerForm(form!.formId, { prompt: 'a castle at night' }, origin);
    expect(answered.type).toBe('task');
    const result = await s.finalOf(variationId);
    expect(result.phase).toBe('result');
    expect(s.sim.requests.filter((r) => r.path.endsWith('/submit/modal')).map((r) => r.body)).toEqual([expect.objectContaining({ taskId: variationId, prompt: 'a castle at night' })]);
  });
});

describe('open-source proxy', () => {
  it('grid buttons work through /change although the proxy returns no buttons', async () => {
    stack = await createCoreStack({ flavour: 'oss' });
    const s = stack;
    const origin = s.origin();
    const grid = await s.finalOf(taskIdOf(await s.service.submit(origin, { kind: 'imagine', prompt: 'a boat' }, 'a boat')));
    expect(grid.rows.flat().map((b) => b.label || b.emoji)).toEqual(['U1', 'U2', 'U3', 'U4', '🔄', 'V1', 'V2', 'V3', 'V4']);
    const up = await s.finalOf(taskIdOf(await s.service.press(button(grid, 'U2'), origin)));
    expect(up.phase).toBe('result');
    expect(s.sim.requests.some((r) => r.path.endsWith('/submit/change'))).toBe(true);
  });
});
