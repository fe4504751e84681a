import { defineConfig } from 'vitest/config';

/** The fault-injection suite (`npm run test:faults`): each file starts its own servers; one at a time. */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'test-results/faults.json' },
  },
});
