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
