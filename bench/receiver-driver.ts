/**
 * Benchmark 9's driver: plays the MJ proxy's notify pool against one receiver. Sends every state
 * of every task (state by state, so a task's states arrive in order) over a fixed number of
 * keep-alive connections as fast as they are answered. In-process by default (as the earlier
 * measurements were made); run as a script (args: hook URL, JSON file of task ids) it prints the
 * POST rate as JSON from a process of its own.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Agent, fetch } from 'undici';
import { sampleTask } from './util.js';

export const STATES: [string, string][] = [['SUBMITTED', '0%'], ['IN_PROGRESS', '15%'], ['IN_PROGRESS', '30%'], ['IN_PROGRESS', '46%'], ['IN_PROGRESS', '62%'], ['IN_PROGRESS', '78%'], ['IN_PROGRESS', '93%'], ['SUCCESS', '100%']];
export const CONNECTIONS = 32;

export async function drive(hook: string, ids: string[]): Promise<{ perSecond: number; failed: number }> {
  const bodies = STATES.map(([status, progress]) => ids.map((id) => JSON.stringify(sampleTask(id, progress, status))));
  const dispatcher = new Agent({ connections: CONNECTIONS, pipelining: 1 });
  let failed = 0;
  const t0 = performance.now();
  for (const step of bodies) {
    let next = 0;
    // CONNECTIONS senders, each posting its next body once the last one was answered.
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (next < step.length) {
          const body = step[next++]!;
          try {
            const res = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json' }, body, dispatcher });
            await res.arrayBuffer();
            if (res.status !== 200) failed += 1;
          } catch {
            failed += 1;
          }
        }
      }),
    );
  }
  const perSecond = (ids.length * STATES.length) / ((performance.now() - t0) / 1000);
  await dispatcher.close();
  return { perSecond, failed };
}

// Run as a script (not imported by receiver.ts): drive and print the result.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) console.log(JSON.stringify(await drive(process.argv[2] ?? '', JSON.parse(readFileSync(process.argv[3] ?? '', 'utf8')) as string[])));
