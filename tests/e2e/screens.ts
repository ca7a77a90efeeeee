import { mkdirSync } from 'node:fs';
import type { Page, TestInfo } from '@playwright/test';

/** Saves a full-page screenshot under test-results/screens/ and attaches it to the report. */
export async function saveScreen(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  mkdirSync('test-results/screens', { recursive: true });
  const path = `test-results/screens/${name}.png`;
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}
