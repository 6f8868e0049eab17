/**
 * The naive baseline of the chaos benchmark, one worker process: tasks are shared through Redis
 * with a lease per task (SET NX PX, renewed while held) — the usual "distributed lock" recipe,
 * without fencing and without a delivery state. A worker that holds a task's lease polls it and,
 * once finished, posts the result and marks it done. Env: REDIS_URL, SIM_URL, TG_API (Bot API
 * root with /bot<token>), LEASE_MS.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

const env = process.env;
const redis = new Redis(env.REDIS_URL ?? '', { maxRetriesPerRequest: 1 });
redis.on('error', () => undefined);
const me = randomUUID();
const leaseMs = Number(env.LEASE_MS ?? 2000);

interface Job {
  taskId: string;
  chatId: number;
}

async function status(taskId: string): Promise<string | undefined> {
  const res = await fetch(`${env.SIM_URL}/mj/task/${taskId}/fetch`);
  const task = (await res.json().catch(() => undefined)) as { status?: string } | undefined;
  return task?.status;
}

async function post(chatId: number, text: string): Promise<void> {
  await fetch(`${env.TG_API}/sendMessage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat_id: chatId, text }) });
}

/** One pass over every task: take or keep its lease, and deliver what is finished. */
async function pass(): Promise<void> {
  const jobs = (await redis.lrange('naive:tasks', 0, -1)).map((raw) => JSON.parse(raw) as Job);
  for (const job of jobs) {
    if (await redis.exists(`naive:done:${job.taskId}`)) continue;
    const lease = `naive:lease:${job.taskId}`;
    const holder = await redis.get(lease);
    if (holder === me) await redis.pexpire(lease, leaseMs);
    else if ((await redis.set(lease, me, 'PX', leaseMs, 'NX')) !== 'OK') continue;
    if ((await status(job.taskId)) !== 'SUCCESS') continue;
    await post(job.chatId, '✅ Done');
    await redis.set(`naive:done:${job.taskId}`, '1');
  }
}

for (;;) {
  await pass().catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 250));
}
