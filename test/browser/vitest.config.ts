import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

/**
 * Pages of the API (the reference at /docs, the review desk) in headless Chromium, against the
 * Worker run by `wrangler dev` on the local stack, as a developer runs it (test/browser/global-setup.ts).
 */
export default defineProject({
  // The repository, whether this file is listed by path (whose project root is its own folder) or imported.
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    name: 'browser',
    environment: 'node',
    include: ['test/browser/**/*.test.ts'],
    globalSetup: ['./test/browser/global-setup.ts'],
    // One wrangler dev and one database for the run; each file launches its own Chromium, one at a time.
    fileParallelism: false,
    // Chromium parses the 4.8 MB reference bundle and renders whole pages on shared CI machines.
    testTimeout: 60_000,
    // Starting wrangler dev (bundling the Worker, starting workerd) and launching Chromium.
    hookTimeout: 120_000,
  },
});
