import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Sandbox } from '../../sandbox/server.ts';
import { ipsDocumentIssues } from '../../shared/exchange/ips-profiles';
import { saveScreen } from './screens';
import { checkScreen, firstRun, openChart, syncBar, waitForInitialSync } from './support/app';
import { fhirAs, practitioners, startHie, type Fhir, type TestPractitioner } from './support/hie';

/**
 * The patient summary, offline (issue 15, point 2), in Chromium with the web host and the HIE
 * sandbox serving the third-party fixtures: a chart opened without network is saved as an HL7 IPS
 * document (the downloaded file checked against the IPS profiles' required elements, its patient
 * the HIE's) and printed (Chromium's own PDF of the print stylesheet, on small pages so that the
 * summary runs over several: the patient's name and birth date on every page, nothing of the app
 * around it). Both exports are in the audit trail the HIE receives when the network is back.
 */
test.use({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });
// First run and initial sync of ~1,800 resources, then one chart: about 30 s on an idle machine.
test.setTimeout(360_000);

let sandbox: Sandbox;
let doctor: TestPractitioner;
let hie: Fhir;
test.beforeAll(async () => {
  sandbox = await startHie({ patients: 2, resourcesPerPatient: 40, practitioners: 1, fixtures: 'tests/fixtures/fhir' });
  [doctor] = (await practitioners(sandbox)) as [TestPractitioner];
  hie = await fhirAs(sandbox, doctor.id);
});
test.afterAll(async () => {
  await sandbox?.close();
});

async function pdfPages(pdf: Buffer): Promise<string[]> {
  const task = getDocument({ data: new Uint8Array(pdf), useSystemFonts: false });
  const document = await task.promise;
  const pages: string[] = [];
  for (let n = 1; n <= document.numPages; n += 1) {
    const content = await (await document.getPage(n)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' ').replace(/\s+/g, ' '));
  }
  await task.destroy();
  return pages;
}

test('a patient summary saved as IPS and printed, offline', async ({ page, context }, testInfo) => {
  await firstRun(page, doctor);
  await waitForInitialSync(page);
  await context.setOffline(true);
  await openChart(page, 'garcia', /Garcia/i);

  // ── saved as an IPS document ──
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Enregistrer le résumé (IPS, .json)' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`IPS GARCIA Rosa Maria ${new Date().toISOString().slice(0, 10)}.json`);
  const bundle = JSON.parse(readFileSync((await download.path()) ?? '', 'utf8')) as { entry: { resource: Record<string, unknown> }[] };
  expect(ipsDocumentIssues(bundle)).toEqual([]);
  const patient = bundle.entry.map((e) => e.resource).find((r) => r['resourceType'] === 'Patient');
  expect(patient?.['id']).toBe('807a222f-8d90-5b76-a376-aefd1bf4bafe');
  expect(patient?.['birthDate']).toBe('1961-03-30');
  const composition = bundle.entry[0]?.resource as { title?: string; section?: { title?: string }[] };
  expect(composition.title).toBe('Résumé patient international');
  expect(composition.section?.map((s) => s.title)).toEqual(expect.arrayContaining(['Allergies et intolérances', 'Traitements', 'Problèmes actifs', 'Vaccinations']));
  // What the HIE holds for her is in it: her active medications and her immunizations.
  const held = await hie.search('MedicationRequest?subject=Patient/807a222f-8d90-5b76-a376-aefd1bf4bafe&status=active');
  expect(held.length).toBeGreaterThan(0);
  for (const m of held) expect(bundle.entry.some((e) => e.resource['id'] === m.id)).toBe(true);
  await expect(page.getByRole('status').filter({ hasText: /^Résumé enregistré : IPS GARCIA Rosa Maria/ })).toBeVisible();
  await checkScreen(page, testInfo, 'chart-summary-actions');

  // ── printed: the identity on every page, nothing of the app ──
  // Headless Chromium cannot show a print dialog: window.print is counted instead, and the PDF is
  // Chromium's own rendering of the page with the print stylesheet (what the dialog would print).
  await page.evaluate(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => void ((window as unknown as { printed: number }).printed += 1);
  });
  // The printed form is not in the page until an audited "Print".
  await expect(page.getByTestId('print-summary')).toHaveCount(0);
  await page.getByRole('button', { name: 'Imprimer le résumé' }).click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('print-summary')).toBeVisible();
  await expect(page.locator('#root')).toBeHidden();
  await saveScreen(page, testInfo, 'summary-print');
  const pdf = await page.pdf({ width: '10cm', height: '12cm', printBackground: false });
  await testInfo.attach('summary.pdf', { body: pdf, contentType: 'application/pdf' });
  const pages = await pdfPages(pdf);
  expect(pages.length).toBeGreaterThan(1);
  for (const text of pages) {
    expect(text).toContain('GARCIA Rosa Maria');
    expect(text).toContain('30/03/1961');
  }
  const all = pages.join(' ');
  expect(all).toContain('Résumé du dossier patient');
  expect(all).toContain('Traitements');
  // Her Tdap's date exists only in words: it is printed as written.
  expect(all).toContain('Summer 2016, per patient');
  expect(all).not.toContain('Rechercher un patient');
  await page.emulateMedia({ media: 'screen' });
  await expect(page.getByTestId('print-summary')).toBeHidden();

  // ── both exports reach the HIE's audit trail when the network is back ──
  await context.setOffline(false);
  await expect(syncBar(page).getByText('Aucune saisie en attente')).toBeVisible({ timeout: 60_000 });
  await expect
    .poll(async () => {
      const events = await hie.search('AuditEvent?_count=500');
      return events.filter((e) => JSON.stringify(e['type']).includes('"110106"') && JSON.stringify(e['entity']).includes('Patient/807a222f-8d90-5b76-a376-aefd1bf4bafe')).length;
    }, { timeout: 60_000 })
    .toBe(2);

  // Chromium's PDF ended with afterprint, which took the printed form out of the page. Printed again
  // (the dialog still stands in), then locked: nothing of the summary is left in the page.
  await expect(page.getByTestId('print-summary')).toHaveCount(0);
  await page.getByRole('button', { name: 'Imprimer le résumé' }).click();
  await expect(page.getByTestId('print-summary')).toHaveCount(1);
  await page.getByRole('button', { name: 'Verrouiller' }).click();
  await expect(page.getByRole('heading', { name: 'Relais est verrouillé' })).toBeVisible();
  await expect(page.getByTestId('print-summary')).toHaveCount(0);
  expect(await page.evaluate(() => document.body.innerText)).not.toContain('Rosa Maria');
});
