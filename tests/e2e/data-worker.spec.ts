import { expect, test } from '@playwright/test';
import type { Sandbox } from '../../sandbox/server.ts';
import { checkScreen, firstRun, syncBar, unlock, waitForInitialSync } from './support/app';
import { practitioners, startHie } from './support/hie';

/**
 * The data side runs in its own worker (renderer/data/data-worker.ts), in the real app build:
 * the replica's database is the worker's, the page holds none of it, and a data worker that dies
 * under an open session locks the records with a sentence; unlocking again brings everything back,
 * the edit not yet sent included.
 */
let sandbox: Sandbox;
test.beforeAll(async () => {
  sandbox = await startHie({ patients: 4, resourcesPerPatient: 20, practitioners: 1 });
});
test.afterAll(async () => {
  await sandbox?.close();
});
test.use({ locale: 'fr-FR' });
// One sign-in, a small initial sync, two unlocks (600,000 PBKDF2 rounds each): under 40 s loaded.
test.setTimeout(180_000);

test('the records live in the data worker; when it dies the records lock, and unlocking again brings them back, unsent edit included', async ({ page, context }, testInfo) => {
  const [doctor] = await practitioners(sandbox);
  if (!doctor) throw new Error('no practitioner');
  await firstRun(page, doctor);
  await waitForInitialSync(page);

  // The worker holds the replica's database; it has no document (it is not the page).
  const dataWorker = page.workers().find((worker) => new URL(worker.url()).pathname.includes('data-worker'));
  if (dataWorker === undefined) throw new Error(`no data worker among ${page.workers().map((w) => w.url()).join(', ')}`);
  expect(await dataWorker.evaluate(() => typeof (globalThis as { document?: unknown }).document)).toBe('undefined');
  const databases = await dataWorker.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));
  expect(databases.some((name) => /^rxdb-dexie-relais-[0-9a-f]{16}--/.test(name))).toBe(true);

  // An edit made offline waits in the outbox.
  await context.setOffline(true);
  const first = page.getByRole('list', { name: 'Patients' }).getByRole('button').first();
  const name = (await first.locator('.patient-row__name').textContent()) ?? '';
  await first.click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await page.getByRole('tab', { name: 'Saisir' }).click();
  await page.getByLabel('Texte de la note').fill('Vu à domicile, le worker va tomber.');
  await page.getByRole('button', { name: 'Enregistrer la note' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Enregistré dans le dossier (1)' })).toBeVisible();
  await expect(syncBar(page).getByText('Saisies en attente d’envoi : 1')).toBeVisible();

  // The worker fails with an uncaught error: the page locks the records and says why.
  await dataWorker.evaluate(() => {
    setTimeout(() => {
      throw new Error('data worker failure (test)');
    }, 0);
  });
  await expect(page.getByRole('heading', { name: 'Relais est verrouillé' })).toBeVisible();
  await expect(page.getByText(/La partie de Relais qui garde les dossiers s’est arrêtée/)).toBeVisible();
  await expect(page.getByText(name)).toHaveCount(0);
  await checkScreen(page, testInfo, 'data-worker-stopped');

  // Unlocking (still offline) opens a new worker on the same replica: nothing was lost.
  await unlock(page);
  await expect(syncBar(page).getByText('Saisies en attente d’envoi : 1')).toBeVisible();
  await expect(page.getByRole('button', { name }).getByText('Saisies non envoyées')).toBeVisible();
});
