import { expect, test, type Page, type Worker } from '@playwright/test';
import type { Sandbox } from '../../sandbox/server.ts';
import { checkScreen, firstRun, syncBar, unlock, waitForInitialSync } from './support/app';
import { control, fhirAs, practitioners, startHie } from './support/hie';

/**
 * The data side runs in its own worker (renderer/data/data-worker.ts), in the real app build:
 * the replica's database is the worker's, the page holds none of it, and a data worker that dies
 * under an open session locks the records with a sentence; unlocking again brings everything back,
 * the edit not yet sent included.
 */
let sandbox: Sandbox;
test.beforeAll(async () => {
  sandbox = await startHie({ patients: 24, resourcesPerPatient: 40, practitioners: 2 });
});
test.afterAll(async () => {
  await sandbox?.close();
});
test.use({ locale: 'fr-FR' });
test.afterEach(async () => {
  await control(sandbox, 'DELETE', 'faults');
});
// Each walk: one sign-in, a small initial sync (slowed on purpose in the second), two unlocks
// (600,000 PBKDF2 rounds each): under a minute idle.
test.setTimeout(360_000);

/** The app's data worker (the page starts one ahead: the one serving the session is the first). */
function dataWorkerOf(page: Page): Worker {
  const worker = page.workers().find((w) => new URL(w.url()).pathname.includes('data-worker'));
  if (worker === undefined) throw new Error(`no data worker among ${page.workers().map((w) => w.url()).join(', ')}`);
  return worker;
}

/** An uncaught error in the worker: the page treats the worker as dead, as after a crash. */
async function failWorker(worker: Worker): Promise<void> {
  await worker.evaluate(() => {
    setTimeout(() => {
      throw new Error('data worker failure (test)');
    }, 0);
  });
}

/** Rows of the replica's resources collection that are not deletions, read in the worker's own IndexedDB. */
/** Resource rows in the replica's row store (renderer/db/row-store.ts), counted in the worker. */
async function storedResources(worker: Worker): Promise<number> {
  return worker.evaluate(async () => {
    const names = (await indexedDB.databases()).map((d) => d.name ?? '').filter((name) => /^relais-rows-relais-[0-9a-f]{16}$/.test(name));
    if (names.length !== 1) throw new Error(`row stores: ${names.join(', ')}`);
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(names[0] ?? '');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const count = await new Promise<number>((resolve, reject) => {
      const request = db.transaction('resource-rows').objectStore('resource-rows').count();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    db.close();
    return count;
  });
}

test('the records live in the data worker; when it dies the records lock, and unlocking again brings them back, unsent edit included', async ({ page, context }, testInfo) => {
  const [doctor] = await practitioners(sandbox);
  if (!doctor) throw new Error('no practitioner');
  await firstRun(page, doctor);
  await waitForInitialSync(page);

  // The worker holds the replica's database; it has no document (it is not the page).
  const dataWorker = dataWorkerOf(page);
  expect(await dataWorker.evaluate(() => typeof (globalThis as { document?: unknown }).document)).toBe('undefined');
  const databases = await dataWorker.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));
  expect(databases.some((name) => /^rxdb-dexie-relais-[0-9a-f]{16}--/.test(name))).toBe(true);
  expect(databases.some((name) => /^relais-rows-relais-[0-9a-f]{16}$/.test(name))).toBe(true);

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
  await failWorker(dataWorker);
  await expect(page.getByRole('heading', { name: 'Relais est verrouillé' })).toBeVisible();
  await expect(page.getByText(/La partie de Relais qui garde les dossiers s’est arrêtée/)).toBeVisible();
  await expect(page.getByText(name)).toHaveCount(0);
  await checkScreen(page, testInfo, 'data-worker-stopped');

  // Unlocking (still offline) opens a new worker on the same replica: nothing was lost.
  await unlock(page);
  await expect(syncBar(page).getByText('Saisies en attente d’envoi : 1')).toBeVisible();
  await expect(page.getByRole('button', { name }).getByText('Saisies non envoyées')).toBeVisible();
});

test('a data worker killed in the middle of the initial sync: unlocking resumes it, and every record is stored once', async ({ page }) => {
  const [, doctor] = await practitioners(sandbox);
  if (!doctor) throw new Error('no second practitioner');
  // Slow answers, so that the kill lands between pages.
  await control(sandbox, 'POST', 'faults', { latencyMs: 600 });
  await firstRun(page, doctor);
  const panel = page.locator('[data-received]');
  // About 40 counts before the first page, each slowed: 37 s of a loaded CI run (at 62 % of a 60 s limit).
  await expect.poll(async () => Number((await panel.getAttribute('data-received')) ?? 0), { timeout: 180_000 }).toBeGreaterThan(0);
  const total = Number(await panel.getAttribute('data-total'));
  const receivedAtKill = Number(await panel.getAttribute('data-received'));
  expect(receivedAtKill).toBeLessThan(total);
  await failWorker(dataWorkerOf(page));
  await expect(page.getByText(/La partie de Relais qui garde les dossiers s’est arrêtée/)).toBeVisible();

  await control(sandbox, 'DELETE', 'faults');
  await unlock(page);
  await waitForInitialSync(page);
  // Everything the HIE counted is stored, once (a page written twice would still be one row; one
  // lost would be missing), in the worker that serves the new session.
  const worker = page.workers().filter((w) => new URL(w.url()).pathname.includes('data-worker'));
  const counts = await Promise.all(worker.map((w) => storedResources(w).catch(() => -1)));
  expect(counts).toContain(total);
  await expect(syncBar(page).getByRole('alert')).toHaveCount(0);
});

test('a data worker killed while an edit is on its way to the HIE: after unlocking it reaches the HIE exactly once', async ({ page, context }) => {
  const [doctor] = await practitioners(sandbox);
  if (!doctor) throw new Error('no practitioner');
  await firstRun(page, doctor);
  await waitForInitialSync(page);
  const first = page.getByRole('list', { name: 'Patients' }).getByRole('button').first();
  const name = (await first.locator('.patient-row__name').textContent()) ?? '';
  await first.click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();

  // Written offline; the HIE then answers slowly, and the worker dies while the write is in flight.
  const marker = `KILL${Date.now()}`;
  await context.setOffline(true);
  await page.getByRole('tab', { name: 'Saisir' }).click();
  await page.getByLabel('Texte de la note').fill(`Note envoyée pendant une panne (${marker}).`);
  await page.getByRole('button', { name: 'Enregistrer la note' }).click();
  await expect(syncBar(page).getByText('Saisies en attente d’envoi : 1')).toBeVisible();
  await control(sandbox, 'POST', 'faults', { latencyMs: 3_000 });
  const write = page.waitForRequest((request) => request.url().startsWith(sandbox.fhirBase) && (request.method() === 'PUT' || request.method() === 'POST') && (request.postData() ?? '').includes(marker));
  await context.setOffline(false);
  await write;
  await failWorker(dataWorkerOf(page));
  await expect(page.getByText(/La partie de Relais qui garde les dossiers s’est arrêtée/)).toBeVisible();

  await control(sandbox, 'DELETE', 'faults');
  await unlock(page);
  await expect(syncBar(page).getByText(/Saisies en attente d’envoi/)).toHaveCount(0, { timeout: 60_000 });
  const hie = await fhirAs(sandbox, doctor.id);
  const notes = (await hie.search('DocumentReference?_count=500')).filter((doc) => JSON.stringify(doc).includes(marker));
  expect(notes).toHaveLength(1);
});

test('locked in the middle of the initial sync: the sync goes on while locked, sealed, and the unlock finds every record', async ({ page }, testInfo) => {
  const [doctor] = await practitioners(sandbox);
  if (!doctor) throw new Error('no practitioner');
  await control(sandbox, 'POST', 'faults', { latencyMs: 600 });
  await firstRun(page, doctor);
  const panel = page.locator('[data-received]');
  await expect.poll(async () => Number((await panel.getAttribute('data-received')) ?? 0), { timeout: 180_000 }).toBeGreaterThan(0);
  const total = Number(await panel.getAttribute('data-total'));
  expect(Number(await panel.getAttribute('data-received'))).toBeLessThan(total);

  // Locked: the records leave the screen, the HIE keeps being asked, and the screen says how far.
  const hieRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().startsWith(sandbox.fhirBase)) hieRequests.push(request.url());
  });
  await page.getByRole('button', { name: 'Verrouiller', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Relais est verrouillé' })).toBeVisible();
  const lockedSync = page.getByTestId('locked-sync');
  await expect(lockedSync).toContainText('La synchronisation continue pendant le verrouillage', { timeout: 60_000 });
  await control(sandbox, 'DELETE', 'faults');
  await expect(lockedSync).toContainText('à jour', { timeout: 120_000 });
  await checkScreen(page, testInfo, 'locked-sync-caught-up');
  expect(hieRequests.filter((url) => url.includes('_sort=_lastUpdated')).length).toBeGreaterThan(0);
  // What arrived while locked waits sealed in the inbox, beside the replica.
  const worker = page.workers().find((w) => new URL(w.url()).pathname.includes('locked-sync-worker'));
  if (worker === undefined) throw new Error('no locked sync worker');
  expect(await worker.evaluate(async () => (await indexedDB.databases()).some((d) => /^relais-inbox-relais-[0-9a-f]{16}$/.test(d.name ?? '')))).toBe(true);

  await unlock(page);
  await waitForInitialSync(page);
  const dataWorkers = page.workers().filter((w) => new URL(w.url()).pathname.includes('data-worker'));
  const counts = await Promise.all(dataWorkers.map((w) => storedResources(w).catch(() => -1)));
  expect(counts).toContain(total);
  await expect(syncBar(page).getByRole('alert')).toHaveCount(0);
});
