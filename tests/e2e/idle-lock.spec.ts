import { expect, test } from '@playwright/test';
import type { Sandbox } from '../../sandbox/server.ts';
import { checkScreen, firstRun, openChart, syncBar, unlock } from './support/app';
import { practitioners, startHie } from './support/hie';

/**
 * The idle lock, with the page's clock under test control: after the chosen minutes without
 * input the screen hides every patient datum and asks for the passphrase again — while sync keeps
 * polling the HIE all along, which must not count as activity.
 */
let sandbox: Sandbox;
test.beforeAll(async () => {
  sandbox = await startHie({ patients: 6, resourcesPerPatient: 20, practitioners: 1 });
});
test.afterAll(async () => {
  await sandbox?.close();
});
test.use({ locale: 'fr-FR' });

test('locks after the idle minutes even while sync polls, and unlocking asks the passphrase again', async ({ page }, testInfo) => {
  const [doctor] = await practitioners(sandbox);
  if (!doctor) throw new Error('no practitioner');
  await page.clock.install();
  await firstRun(page, doctor);
  await expect(page.getByRole('heading', { name: 'Première synchronisation' })).toBeHidden({ timeout: 60_000 });
  await page.getByLabel('Verrouillage après').selectOption('1');
  const first = page.getByRole('list', { name: 'Patients' }).getByRole('button').first();
  const name = (await first.locator('.patient-row__name').textContent()) ?? '';
  await first.click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();

  let polls = 0;
  page.on('request', (request) => {
    if (request.url().startsWith(sandbox.fhirBase)) polls += 1;
  });
  // 50 s without input: still open, and sync has been talking to the HIE.
  await page.clock.runFor(50_000);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  expect(polls).toBeGreaterThan(0);
  // Past the minute: locked, the chart is gone from the page, not just hidden.
  await page.clock.runFor(15_000);
  await expect(page.getByRole('heading', { name: 'Relais est verrouillé' })).toBeVisible();
  await expect(page.getByText('Verrouillé après 1 min sans activité')).toBeVisible();
  await expect(page.getByText(name)).toHaveCount(0);
  await expect(syncBar(page)).toHaveCount(0);
  await checkScreen(page, testInfo, 'locked-idle');
  await unlock(page);
  await openChart(page, name.split(' ')[0] ?? '', name);

  // Input keeps it open: a key every 40 s for two minutes.
  for (let i = 0; i < 3; i += 1) {
    await page.clock.runFor(40_000);
    await page.keyboard.press('Shift');
  }
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
});
