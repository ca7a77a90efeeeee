import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test, type BrowserContext, type Page } from '@playwright/test';
import type { Composition, Patient } from '@medplum/fhirtypes';
import { chromiumArgs } from '../../playwright.config.mts';
import type { Sandbox } from '../../sandbox/server.ts';
import { findOnDisk } from '../browser/disk-scan.ts';
import { firstRun, openChart, unlock, waitForInitialSync } from './support/app';
import { fhirAs, practitioners, startHie, type TestPractitioner } from './support/hie';

/**
 * No patient data in plaintext on disk, none in logs: a patient carrying a unique marker (in their
 * name, a document's narrative and a note typed by the clinician) is synced into a real Chromium
 * profile and used; then every file of the profile (IndexedDB, caches, local storage, logs, crash
 * reports) and every console line is searched for the marker. Three times: after normal use,
 * after the narrative was rendered, and after the browser was killed mid-session.
 */
test.describe.configure({ mode: 'serial' });
test.setTimeout(240_000);

/** Letters only, unlike anything else in a profile. */
const marker = `Zq${randomBytes(10).toString('hex').replace(/[0-9]/g, (d) => 'gjkmpqvwxy'[Number(d)] ?? 'z')}`;
let sandbox: Sandbox;
let doctor: TestPractitioner;
let profile: string;
const logLines: string[] = [];

test.beforeAll(async () => {
  sandbox = await startHie({ patients: 6, resourcesPerPatient: 40, practitioners: 2 });
  doctor = (await practitioners(sandbox))[0] as TestPractitioner;
  profile = mkdtempSync(join(tmpdir(), 'relais-canary-'));
  const hie = await fhirAs(sandbox, doctor.id);
  const id = doctor.patients[0] as string;
  // The HIE itself carries the marker (the sandbox's repository, as the system).
  const patient = (await hie.read(`Patient/${id}`)) as unknown as Patient;
  await sandbox.repository.updateResource<Patient>({ ...patient, name: [{ family: marker, given: ['Hélène'] }] });
  const [composition] = (await hie.search(`Composition?patient=Patient/${id}&_count=1`)) as unknown as Composition[];
  if (!composition) throw new Error('no Composition for the canary patient');
  await sandbox.repository.updateResource<Composition>({
    ...composition,
    text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml"><p>Compte rendu de ${marker}.</p></div>` },
  });
});

test.afterAll(async () => {
  await sandbox?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function launch(baseURL: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env['RELAIS_CHROMIUM'] ?? '/usr/bin/chromium',
    args: [...chromiumArgs, '--enable-logging', '--v=0'],
    baseURL,
    locale: 'fr-FR',
    viewport: { width: 1280, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => logLines.push(message.text()));
  page.on('pageerror', (error) => logLines.push(error.message));
  return { context, page };
}

async function expectNoMarkerAnywhere(): Promise<void> {
  expect(await findOnDisk(profile, marker), 'files of the profile').toEqual([]);
  expect(logLines.filter((line) => line.includes(marker)), 'console lines').toEqual([]);
}

test('the marker reaches the chart, and nowhere on disk or in logs', async ({ baseURL }) => {
  let { context, page } = await launch(baseURL ?? '');
  await firstRun(page, doctor);
  await waitForInitialSync(page);
  await openChart(page, `helene ${marker.toLowerCase()}`, new RegExp(marker.toUpperCase()));
  // The clinician writes the marker too (it stays pending, encrypted, in the outbox).
  await page.getByRole('tab', { name: 'Saisir' }).click();
  // Chromium keeps what a field holds in its session files (form state, as UTF-16) unless autocomplete
  // is off: for an input on itself or its form, for a textarea on its form. Every field here has it off.
  await expect(page.getByLabel('Texte de la note')).toBeVisible();
  const keptByBrowser = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')]
      .filter((field) => !['radio', 'checkbox', 'password', 'submit', 'button'].includes(field.type))
      .filter((field) => {
        const formOff = field.form?.getAttribute('autocomplete') === 'off';
        return field instanceof HTMLTextAreaElement ? !formOff : !(formOff || field.getAttribute('autocomplete') === 'off');
      })
      .map((field) => field.id || field.name || field.outerHTML.slice(0, 80)),
  );
  expect(keptByBrowser).toEqual([]);
  await page.getByLabel('Texte de la note').fill(`Note de suivi pour ${marker}.`);
  await page.getByRole('button', { name: 'Enregistrer la note' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Enregistré dans le dossier' })).toBeVisible();
  await context.close();
  await expectNoMarkerAnywhere();

  // After the narrative was rendered in its frame.
  ({ context, page } = await launch(baseURL ?? ''));
  await page.goto('/');
  await unlock(page);
  await openChart(page, `helene ${marker.toLowerCase()}`, new RegExp(marker.toUpperCase()));
  await page.getByRole('tab', { name: 'Documents' }).click();
  // Open each document until the one carrying the marker renders in its sandboxed frame.
  const framesText = async (): Promise<string> => (await Promise.all(page.frames().filter((f) => f.url() === 'about:srcdoc').map((f) => f.content()))).join('');
  for (const item of await page.getByRole('list', { name: 'Documents du dossier' }).getByRole('button').all()) {
    await item.click();
    // The reader shows the chosen document in the same render as the mark on its button; its
    // frames' srcdoc says whether this is the document with the marker.
    await expect(item).toHaveAttribute('aria-current', 'true');
    const sources = await page.locator('.documents__reader iframe.narrative__frame').evaluateAll((frames) => frames.map((f) => f.getAttribute('srcdoc') ?? ''));
    if (sources.some((source) => source.includes(marker))) break;
  }
  // Then wait until that frame has rendered the narrative.
  await expect.poll(framesText).toContain(marker);
  await context.close();
  await expectNoMarkerAnywhere();

  // After a crash: the browser killed while the chart is open and decrypted in memory.
  ({ context, page } = await launch(baseURL ?? ''));
  await page.goto('/');
  await unlock(page);
  await openChart(page, `helene ${marker.toLowerCase()}`, new RegExp(marker.toUpperCase()));
  execFileSync('pkill', ['-KILL', '-f', '--', `user-data-dir=${profile}`]);
  await context.close().catch(() => undefined);
  await expectNoMarkerAnywhere();
  // The scan is real: the marker is on the HIE, in clear, where it belongs.
  expect(JSON.stringify(await (await fhirAs(sandbox, doctor.id)).read(`Patient/${doctor.patients[0] as string}`))).toContain(marker);
});
