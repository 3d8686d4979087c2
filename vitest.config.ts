import { defineConfig } from 'vitest/config';

// One suite: unit tests beside the code (src/**), integration tests needing PostgreSQL / NATS
// (*.int.test.ts, they fail loudly when the service is missing) and end-to-end tests (e2e/**).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'e2e/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
