/**
 * Test helpers for running the client against the real simulator over loopback HTTP.
 */
import { PNG } from 'pngjs';
import { MjClient, type MjClientOptions } from '../../src/mj/client.js';
import type { Task } from '../../src/mj/schemas.js';
import { startSimulator } from '../../src/sim/index.js';

export type Sim = Awaited<ReturnType<typeof startSimulator>>;
export const SIM_KEY = 'sim-key-0123456789';

/** A small solid-colour PNG as a data URL. */
export function pngDataUrl(rgb: [number, number, number], size = 8): string {
  const png = new PNG({ width: size, height: size });
  for (let i = 0; i < size * size; i++) png.data.set([...rgb, 255], i * 4);
  return `data:image/png;base64,${PNG.sync.write(png).toString('base64')}`;
}

const open: { sims: Sim[]; clients: MjClient[] } = { sims: [], clients: [] };

export async function sim(opts: Parameters<typeof startSimulator>[0] = {}): Promise<Sim> {
  const s = await startSimulator({ apiKey: SIM_KEY, stepMs: 5, ...opts });
  open.sims.push(s);
  return s;
}

export function clientFor(s: Sim, opts: Partial<MjClientOptions> = {}): MjClient {
  const c = new MjClient({ baseUrl: s.url, apiKey: SIM_KEY, flavour: 'auto', timeoutMs: 5000, retry: { retries: 3, baseDelayMs: 5, maxDelayMs: 20 }, ...opts });
  open.clients.push(c);
  return c;
}

export async function closeAll(): Promise<void> {
  await Promise.all(open.clients.splice(0).map((c) => c.close()));
  await Promise.all(open.sims.splice(0).map((s) => s.close()));
}

const TERMINAL = ['SUCCESS', 'FAILURE', 'MODAL', 'CANCEL'];

/** Polls `client.fetch` until the task settles (the way the bot will). */
export async function settle(client: MjClient, id: string, timeoutMs = 8000): Promise<Task> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const task = await client.fetch(id);
    if (task && TERMINAL.includes(task.status)) return task;
    if (Date.now() > deadline) throw new Error(`task ${id} did not settle: ${task?.status ?? 'unknown'}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function buttonId(task: Task, pattern: RegExp): string {
  const b = task.buttons.find((x) => pattern.test(x.customId));
  if (!b) throw new Error(`no button ${pattern} on task ${task.id}: ${task.buttons.map((x) => x.customId).join(', ')}`);
  return b.customId;
}
