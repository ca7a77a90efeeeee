import { defineConfig } from 'vitest/config';

// Two projects: `unit` tests one module at a time (test doubles allowed inside),
// `integration` runs against real parts: the sandbox over HTTP, the real keyring,
// real Chromium, the real packager. tests/e2e is Playwright's, not vitest's.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
          // Replica tests (fake IndexedDB, WebCrypto) took up to 1.6 s each on a loaded machine (a CI
          // run with two CPU hogs beside a Chromium bench): 15 s keeps every one well past 3 × that.
          testTimeout: 15_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.{ts,tsx}', 'tests/browser/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
