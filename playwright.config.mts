import { defineConfig } from '@playwright/test';

/**
 * Browser tests in Debian's Chromium (never a downloaded browser), against the web-host build
 * served by `vite preview`. Screenshots land in test-results/screens/ as artifacts.
 */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];
const port = Number(process.env['RELAIS_E2E_PORT'] ?? 4179);
/**
 * Time limits. A test that walks several screens sets its own budget (`test.setTimeout`, with what
 * it walks), at least three times its duration measured on a machine with both cores loaded
 * (`npm run test:stress`); 60 s is only for the short ones. One `expect` waits 15 s by default: a
 * screen redrawn after a decryption or a sync can take seconds on a busy machine, and a wait ends as
 * soon as its condition holds, so a generous limit costs nothing when the test passes. An action
 * (click, fill, select) whose element never comes fails after 30 s instead of at the test's end.
 */
const expectTimeoutMs = 15_000;

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/playwright',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  timeout: 60_000,
  expect: { timeout: expectTimeoutMs },
  reporter: [['list'], ['json'], ['./tests/tools/timings/playwright-reporter.ts', { expectTimeoutMs }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions: { executablePath: process.env['RELAIS_CHROMIUM'] ?? '/usr/bin/chromium', args: chromiumArgs },
    trace: 'retain-on-failure',
    actionTimeout: 30_000,
  },
  webServer: {
    command: `vite preview --mode web --port ${port}`,
    url: `http://127.0.0.1:${port}/index.html`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
