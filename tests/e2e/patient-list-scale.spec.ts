import { expect, test } from '@playwright/test';
import type { Sandbox } from '../../sandbox/server.ts';
import { checkScreen, firstRun } from './support/app';
import { practitioners, startHie } from './support/hie';

/**
 * The design point's patient list: 2,500 patients in one clinician's panel. The list is
 * virtualized — only the rows in view are in the DOM — and stays usable from the keyboard from
 * the first row to the last; search stays instant (an in-memory index).
 */
const panelSize = 2_500;
let sandbox: Sandbox;
test.beforeAll(async () => {
  test.setTimeout(300_000);
  sandbox = await startHie({ patients: panelSize, resourcesPerPatient: 10, practitioners: 1 });
});
test.afterAll(async () => {
  await sandbox?.close();
});
test.use({ locale: 'fr-FR' });
test.setTimeout(600_000);

test(`a panel of ${panelSize} patients: every one listed, a few dozen rows in the DOM, keyboard to the end`, async ({ page }, testInfo) => {
  const [doctor] = await practitioners(sandbox);
  if (!doctor) throw new Error('no practitioner');
  expect(doctor.patients).toHaveLength(panelSize);
  await firstRun(page, doctor);
  // A long initial sync: the panel shows the progress, the counts, the phase and, once measured, the time left.
  const panel = page.getByRole('region', { name: 'Première synchronisation' });
  await expect(panel.getByText(/^dans \d+ (seconde|minute|heure)s?$/)).toBeVisible({ timeout: 120_000 });
  await expect(panel.getByRole('progressbar')).toHaveAttribute('aria-valuetext', /^\d+ %$/);
  await expect(panel.getByText(/^\d[\d\u202f ]* sur \d[\d\u202f ]*$/)).toBeVisible();
  await checkScreen(page, testInfo, 'initial-sync-estimate');
  await expect(page.getByRole('heading', { name: 'Première synchronisation' })).toBeHidden({ timeout: 480_000 });
  const count = page.getByRole('status').filter({ hasText: /patients affichés sur/ });
  await expect(count).toHaveText(`${panelSize} patients affichés sur ${panelSize}`, { timeout: 60_000 });
  const list = page.getByRole('list', { name: 'Patients' });
  const inDom = await list.getByRole('listitem').count();
  expect(inDom).toBeGreaterThan(5);
  expect(inDom).toBeLessThan(60);
  await expect(list.getByRole('listitem').first()).toHaveAttribute('aria-setsize', String(panelSize));
  await checkScreen(page, testInfo, 'patient-list-2500');

  // From the first row to the last with the keyboard: the last one is rendered and focused.
  await list.getByRole('button').first().focus();
  await page.keyboard.press('End');
  const last = list.locator(`[data-row="${panelSize - 1}"]`);
  await expect(last).toBeFocused();
  await expect(last.locator('xpath=..')).toHaveAttribute('aria-posinset', String(panelSize));
  expect(await list.getByRole('listitem').count()).toBeLessThan(60);
  await page.keyboard.press('PageUp');
  await expect(list.locator(`[data-row="${panelSize - 9}"]`)).toBeFocused();

  // Search across all of them, accents aside.
  await page.getByLabel('Rechercher un patient').fill('helene');
  await expect(count).not.toHaveText(`${panelSize} patients affichés sur ${panelSize}`);
  // The matches are listed from the top (the list was scrolled to its end above).
  await expect(list.locator('[data-row="0"]')).toBeVisible();
  const found = await list.getByRole('button').allTextContents();
  expect(found.length).toBeGreaterThan(0);
  for (const row of found.slice(0, 10)) expect(row).toMatch(/Hélène/);
});
