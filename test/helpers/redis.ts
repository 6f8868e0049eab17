import { Redis } from 'ioredis';

/**
 * The Redis that tests use: 127.0.0.1:6379 (CI starts one), or another one named by
 * MJBOT_TEST_REDIS (e.g. redis://127.0.0.1:6390), so several checkouts can test side by side.
 */
const base = (process.env.MJBOT_TEST_REDIS ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '');

/** The test Redis, database `db` (each test file that flushes keeps to its own). */
export function testRedisUrl(db: number): string {
  return `${base}/${db}`;
}

/** Empty the test Redis database `db` (a file that uses it owns it). */
export async function flushTestRedis(db: number): Promise<void> {
  const redis = new Redis(testRedisUrl(db));
  try {
    await redis.flushdb();
  } finally {
    redis.disconnect();
  }
}
