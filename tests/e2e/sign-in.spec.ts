import { expect, test } from '@playwright/test';
import type { Sandbox } from '../../sandbox/server.ts';
import { checkScreen } from './support/app';
import { startHie } from './support/hie';

/** The first-run sign-in when it does not go through: the clinician is told so, and can start again. */
let sandbox: Sandbox;
test.beforeAll(async () => {
  sandbox = await startHie({ patients: 2, resourcesPerPatient: 12, practitioners: 1 });
});
test.afterAll(async () => {
  await sandbox?.close();
});
test.use({ locale: 'fr-FR' });

test('cancelling on the HIE’s page comes back to the first-run screen with a sentence', async ({ page }, testInfo) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Se connecter à l’échange de santé' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Connexion/ })).toBeVisible();
  await page.getByRole('link', { name: /Annuler/ }).click();
  await expect(page.getByRole('alert')).toHaveText('La connexion a été annulée. Vous pouvez recommencer quand vous voulez.');
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/$/);
  await checkScreen(page, testInfo, 'sign-in-cancelled');
  await expect(page.getByRole('button', { name: 'Se connecter à l’échange de santé' })).toBeEnabled();
});

test('a callback that the page did not ask for is refused', async ({ page }) => {
  await page.goto('/callback?code=stolen&state=forged');
  await expect(page.getByRole('alert')).toHaveText(/La connexion n’a pas abouti/);
  await expect(page.getByRole('heading', { level: 1, name: 'Connexion à l’échange de santé' })).toBeVisible();
});
