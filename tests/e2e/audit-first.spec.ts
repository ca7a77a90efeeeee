import { expect, test, type Page } from '@playwright/test';
import type { Sandbox } from '../../sandbox/server.ts';
import { checkScreen, firstRun, waitForInitialSync } from './support/app';
import { practitioners, startHie } from './support/hie';

/**
 * A chart opens only once its opening is in the access log: with the disk full (Chromium's own
 * quota, set through DevTools before the app stores anything, then a ballast database filling what
 * is left), the access cannot be recorded, so the record stays closed and the clinician is told
 * why; once there is room again, "Try again" records it and opens the chart.
 */
let sandbox: Sandbox;
test.beforeAll(async () => {
  sandbox = await startHie({ patients: 4, resourcesPerPatient: 15, practitioners: 1 });
});
test.afterAll(async () => {
  await sandbox?.close();
});
test.use({ locale: 'fr-FR' });
// Sign-in, a small sync, a disk filled in small steps: measured about 20 s idle.
test.setTimeout(180_000);

const ballast = 'relais-test-ballast';

/** Fills what is left of the origin's quota: incompressible chunks, smaller and smaller, until even 64 bytes are refused. */
async function fillDisk(page: Page): Promise<string> {
  return await page.evaluate(async (name) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onupgradeneeded = () => request.result.createObjectStore('ballast');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('ballast'));
    });
    let key = 0;
    let refusedWith = 'nothing';
    for (const size of [256 * 1024, 32 * 1024, 4 * 1024, 512, 64]) {
      for (;;) {
        const chunk = new Uint8Array(size);
        for (let at = 0; at < size; at += 65_536) crypto.getRandomValues(chunk.subarray(at, Math.min(size, at + 65_536)));
        const ok = await new Promise<boolean>((resolve) => {
          const tx = db.transaction('ballast', 'readwrite');
          tx.objectStore('ballast').put(chunk, (key += 1));
          tx.oncomplete = () => resolve(true);
          tx.onabort = () => {
            refusedWith = tx.error?.name ?? 'aborted';
            resolve(false);
          };
        });
        if (!ok) break;
      }
    }
    db.close();
    return refusedWith;
  }, ballast);
}

async function emptyDisk(page: Page): Promise<void> {
  await page.evaluate(
    (name) =>
      new Promise<void>((resolve, reject) => {
        const request = indexedDB.deleteDatabase(name);
        request.onsuccess = () => resolve();
        request.onerror = () => reject(request.error ?? new Error('delete'));
      }),
    ballast,
  );
}

test('no chart opens without its access-log entry; with room again it does', async ({ page, baseURL }, testInfo) => {
  const [doctor] = await practitioners(sandbox);
  if (!doctor) throw new Error('no practitioner');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseURL ?? '').origin, quotaSize: 24 * 1024 * 1024 });
  await firstRun(page, doctor);
  await waitForInitialSync(page);

  const filled = await fillDisk(page);
  expect(filled).toBe('QuotaExceededError');

  const first = page.getByRole('list', { name: 'Patients' }).getByRole('button').first();
  await first.click();
  await expect(page.getByRole('alert').filter({ hasText: 'Ce dossier reste fermé' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('region', { name: 'Allergies du patient' })).toHaveCount(0);
  await checkScreen(page, testInfo, 'chart-closed-audit-failed');

  await emptyDisk(page);
  await page.getByRole('button', { name: 'Recommencer' }).click();
  await expect(page.getByRole('region', { name: 'Allergies du patient' })).toBeVisible({ timeout: 30_000 });
  // The access is in the log now.
  await page.getByRole('navigation', { name: 'Espace de travail' }).getByRole('button', { name: 'Mon journal d’accès' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mon journal d’accès' })).toBeVisible();
  await expect(page.getByText('Dossier ouvert').first()).toBeVisible();

  // The patient summary leaves the app only once its export is in the log: with the disk full again,
  // neither a file nor a print, and a sentence; with room, the file.
  await page.getByRole('navigation', { name: 'Espace de travail' }).getByRole('button', { name: 'Patientèle' }).click();
  await first.click();
  await expect(page.getByRole('region', { name: 'Allergies du patient' })).toBeVisible({ timeout: 30_000 });
  let downloads = 0;
  page.on('download', () => (downloads += 1));
  await page.evaluate(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => void ((window as unknown as { printed: number }).printed += 1);
  });
  expect(await fillDisk(page)).toBe('QuotaExceededError');
  const refused = page.getByRole('alert').filter({ hasText: 'Le résumé n’a pas été établi' });
  await page.getByRole('button', { name: 'Enregistrer le résumé (IPS, .json)' }).click();
  await expect(refused).toHaveAttribute('data-attempt', '1', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Imprimer le résumé' }).click();
  await expect(refused).toHaveAttribute('data-attempt', '2', { timeout: 30_000 });
  expect(downloads).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(0);
  await emptyDisk(page);
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Enregistrer le résumé (IPS, .json)' }).click();
  expect((await downloading).suggestedFilename()).toMatch(/^IPS .*\.json$/);
  await page.getByRole('button', { name: 'Imprimer le résumé' }).click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
});
