import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The repository root, so test paths and snapshots read as they do from `npm test`.
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites share one Redis and one PostgreSQL; each uses its own prefix/schema,
    // but two cores are all we have, so keep file parallelism modest.
    maxWorkers: 2,
  },
});
