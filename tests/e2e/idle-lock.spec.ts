import { expect, test } from '@playwright/test';
import type { Sandbox } from '../../sandbox/server.ts';
import { checkScreen, firstRun, loginOnHie, openChart, passphrase, syncBar, unlock, waitForInitialSync } from './support/app';
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
// Each walk signs in and syncs a small panel; the second also derives keys four times (600,000
// PBKDF2 rounds each). Budgets are set from loaded measurements in tests/README.md's way.
test.setTimeout(180_000);

test('locks after the idle minutes even while sync polls, and unlocking asks the passphrase again', async ({ page }, testInfo) => {
  const [doctor] = await practitioners(sandbox);
  if (!doctor) throw new Error('no practitioner');
  await firstRun(page, doctor);
  await expect(page.getByRole('heading', { name: 'Première synchronisation' })).toBeHidden({ timeout: 60_000 });
  const first = page.getByRole('list', { name: 'Patients' }).getByRole('button').first();
  const name = (await first.locator('.patient-row__name').textContent()) ?? '';
  await first.click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  // Sync keeps talking to the HIE while nobody touches anything (the data worker polls on real time).
  let polls = 0;
  page.on('request', (request) => {
    if (request.url().startsWith(sandbox.fhirBase)) polls += 1;
  });
  await expect.poll(() => polls, { timeout: 30_000 }).toBeGreaterThan(0);

  // The page's clock from here on; the idle lock is re-armed by the choice of one minute.
  await page.clock.install();
  await page.getByLabel('Verrouillage après').selectOption('1');
  // 50 s without input: still open.
  await page.clock.runFor(50_000);
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
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

test('a passphrase typed fast and sent with Enter is judged on its strength; it can be changed, and then only the new one unlocks', async ({ page }, testInfo) => {
  const [doctor] = await practitioners(sandbox);
  if (!doctor) throw new Error('no practitioner');
  await page.goto('/');
  await page.getByRole('button', { name: 'Se connecter à l’échange de santé' }).click();
  await loginOnHie(page, doctor);
  await expect(page.getByRole('heading', { name: 'Choisissez votre phrase de déverrouillage' })).toBeVisible();
  // No wait for the meter: the strength dictionaries may still be loading when Enter is pressed.
  await page.getByLabel('Phrase de déverrouillage', { exact: true }).fill(passphrase);
  await page.getByLabel('Confirmez la phrase').fill(passphrase);
  await page.getByLabel('Confirmez la phrase').press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Patientèle' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('La phrase est trop facile à deviner')).toHaveCount(0);
  await waitForInitialSync(page);

  const next = 'Trois goélands sur la digue de Perros-Guirec';
  await page.getByRole('navigation', { name: 'Espace de travail' }).getByRole('button', { name: 'Phrase de déverrouillage' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Changer la phrase de déverrouillage' })).toBeVisible();
  await page.getByLabel('Phrase actuelle', { exact: true }).fill('pas la bonne phrase du tout');
  await page.getByLabel('Nouvelle phrase', { exact: true }).fill(next);
  await page.getByLabel('Confirmez la nouvelle phrase').fill(next);
  await page.getByRole('button', { name: 'Changer la phrase' }).click();
  await expect(page.getByRole('alert')).toContainText('La phrase actuelle n’est pas la bonne');
  await page.getByLabel('Phrase actuelle', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Changer la phrase' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'La phrase a été changée' })).toBeVisible({ timeout: 30_000 });
  await checkScreen(page, testInfo, 'change-passphrase');

  await page.getByRole('button', { name: 'Verrouiller', exact: true }).click();
  await page.getByLabel('Phrase de déverrouillage').fill(passphrase);
  await page.getByRole('button', { name: 'Déverrouiller' }).click();
  await expect(page.getByRole('alert')).toContainText('Cette phrase ne déverrouille pas les dossiers');
  await page.getByLabel('Phrase de déverrouillage').fill(next);
  await page.getByRole('button', { name: 'Déverrouiller' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Patientèle' })).toBeVisible({ timeout: 30_000 });
});
