import { expect, test } from '@playwright/test';
import type { Sandbox } from '../../sandbox/server.ts';
import { checkScreen, firstRun, syncBar, unlock } from './support/app';
import { practitioners, startHie } from './support/hie';

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

test('the tokens stay in the page’s memory: no web storage holds them, and a reload asks for a new sign-in', async ({ page }) => {
  test.setTimeout(120_000); // a first run (sign-in, passphrase, first sync) and one unlock: about 20 s on a loaded machine
  const [doctor] = await practitioners(sandbox);
  if (!doctor) throw new Error('no practitioner');
  const issued: string[] = [];
  page.on('response', async (response) => {
    if (!response.url().endsWith('/token') || response.request().method() !== 'POST') return;
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    for (const key of ['access_token', 'refresh_token', 'id_token']) if (typeof body[key] === 'string') issued.push(body[key]);
  });
  await firstRun(page, doctor);
  expect(issued.length).toBeGreaterThanOrEqual(2);
  // What any script of this origin could read.
  const readable = await page.evaluate(() => {
    const dump = (storage: Storage): string[] => Array.from({ length: storage.length }, (_, i) => `${storage.key(i) ?? ''}=${storage.getItem(storage.key(i) ?? '') ?? ''}`);
    return [...dump(localStorage), ...dump(sessionStorage), document.cookie].join('\n');
  });
  for (const token of issued) expect(readable).not.toContain(token);
  await page.reload();
  await unlock(page);
  await expect(syncBar(page).getByRole('alert')).toHaveText(/Votre session auprès de l’échange de santé a expiré\. Reconnectez-vous/);
});
