import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // 2 cores: keep parallelism modest so loopback servers and child processes stay responsive.
    maxWorkers: 2,
    pool: 'forks',
  },
});
