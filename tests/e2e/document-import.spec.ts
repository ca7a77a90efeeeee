import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { Sandbox } from '../../sandbox/server.ts';
import { checkScreen, firstRun, openChart, syncBar, waitForInitialSync } from './support/app';
import { fhirAs, practitioners, startHie, type Fhir, type TestPractitioner } from './support/hie';

/**
 * A document imported into a chart, offline (issue 15, point 3), in Chromium with the web host and
 * the HIE sandbox serving the third-party fixtures. Léa Bernard's summary is saved as an IPS, and
 * comes back "from the hospital" with a vaccination added. Imported into another patient's chart
 * it is refused (her INS, name, birth date and sex against the other patient's, side by side);
 * into hers, the preview shows the one new item and everything already there, and once confirmed
 * the vaccination is in her chart marked with where it came from, the import is listed with her
 * documents, and back online the HIE has the new records, their Provenance, and the Import in its
 * audit trail. A hostile file (an XML entity bomb) is refused with a sentence and stores nothing.
 */
test.use({ locale: 'fr-FR', timezoneId: 'Europe/Paris' });
// First run and initial sync of ~1,800 resources, three charts, an import: about 40 s on an idle machine.
test.setTimeout(360_000);

const lea = 'Patient/7be40ab6-3e29-54dc-ade0-a7ad38389da4';
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

type Entry = { fullUrl: string; resource: Record<string, unknown> };

test('a summary from elsewhere imported into the right chart only, with its provenance', async ({ page, context }, testInfo) => {
  await firstRun(page, doctor);
  await waitForInitialSync(page);
  await context.setOffline(true);

  // ── Léa's summary, saved, and "returned by the hospital" with a vaccination added ──
  await openChart(page, 'bernard', /BERNARD/i);
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Enregistrer le résumé (IPS, .json)' }).click();
  const saved = (await (await downloading).path()) ?? '';
  const bundle = JSON.parse(readFileSync(saved, 'utf8')) as { entry: Entry[] };
  const patientUrl = bundle.entry.find((e) => e.resource['resourceType'] === 'Patient')?.fullUrl ?? '';
  const vaccine: Entry = {
    fullUrl: 'urn:uuid:9d1f0c55-3b7e-4d0a-9a61-1c0b7e0c2f01',
    resource: {
      resourceType: 'Immunization',
      id: '9d1f0c55-3b7e-4d0a-9a61-1c0b7e0c2f01',
      status: 'completed',
      vaccineCode: { coding: [{ system: 'http://snomed.info/sct', code: '871895005', display: 'Hepatitis B virus antigen only vaccine product' }], text: 'Vaccin hépatite B (2e dose)' },
      patient: { reference: patientUrl },
      occurrenceDateTime: '2026-11-30',
      lotNumber: 'HB-26-4471',
    },
  };
  bundle.entry.push(vaccine);
  const composition = bundle.entry[0]?.resource as { section: { code: { coding: { code: string }[] }; entry?: { reference: string }[] }[] };
  composition.section.find((s) => s.code.coding[0]?.code === '11369-6')?.entry?.push({ reference: vaccine.fullUrl });
  const fromHospital = testInfo.outputPath('synthese-sortie-bernard.json');
  writeFileSync(fromHospital, JSON.stringify(bundle));

  // ── into another patient's chart: refused, the two identities side by side ──
  await page.getByRole('button', { name: '← Retour à la patientèle' }).click();
  await openChart(page, 'anderson', /ANDERSON/i);
  await page.locator('input[type=file]').setInputFiles(fromHospital);
  const preview = page.getByRole('region', { name: /Import de « synthese-sortie-bernard\.json »/ });
  await expect(preview).toBeVisible();
  await expect(preview.getByRole('alert')).toContainText('Ce document concerne un autre patient que ce dossier');
  const birth = preview.locator('tr[data-trait="birthDate"]');
  await expect(birth).toContainText('15/01/2024');
  await expect(birth).toContainText('23/08/1979');
  await expect(birth).toContainText('DIFFÉRENT');
  await expect(preview.getByRole('button', { name: /^Ajouter/ })).toBeDisabled();
  await expect(preview).toContainText('Le document contient 12 éléments (rien ne sera ajouté).');
  await checkScreen(page, testInfo, 'import-refused');
  await preview.getByRole('button', { name: 'Annuler' }).click();
  await expect(preview).toHaveCount(0);

  // ── a hostile file: refused with a sentence, nothing read ──
  const bomb = testInfo.outputPath('bomb.xml');
  writeFileSync(bomb, `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><ClinicalDocument xmlns="urn:hl7-org:v3"><title>&b;</title></ClinicalDocument>`);
  await page.locator('input[type=file]').setInputFiles(bomb);
  await expect(page.getByRole('alert').filter({ hasText: '« bomb.xml » contient une déclaration DTD ou d’entités XML, refusée par sécurité' })).toBeVisible();

  // ── into Léa's chart: the one new item, what is already there, confirmed ──
  await page.getByRole('button', { name: '← Retour à la patientèle' }).click();
  await openChart(page, 'bernard', /BERNARD/i);
  await page.locator('input[type=file]').setInputFiles(fromHospital);
  await expect(preview).toBeVisible();
  await expect(preview.locator('[data-verdict="match"]')).toContainText('Même patient');
  await expect(preview.locator('tr[data-trait="identifier"][data-verdict="same"]').first()).toContainText('224017511200154');
  const immunizations = preview.locator('[data-section="immunizations"]');
  await expect(immunizations.getByRole('heading')).toContainText('1 à ajouter, 4 déjà présent(s)');
  await expect(immunizations).toContainText('Vaccin hépatite B (2e dose)');
  await checkScreen(page, testInfo, 'import-preview');
  await preview.getByRole('button', { name: 'Ajouter 2 éléments au dossier' }).click();
  await expect(page.getByRole('status').filter({ hasText: '2 éléments importés de « synthese-sortie-bernard.json »' })).toBeVisible();

  await page.getByRole('tab', { name: 'Vaccinations' }).click();
  const added = page.locator('#chart-panel li.chart-item', { hasText: 'Vaccin hépatite B (2e dose)' });
  await expect(added).toHaveCount(1);
  await expect(added.locator('.origin-note')).toContainText(/Importé de « synthese-sortie-bernard\.json · FHIR Bundle \(document\)/);
  await page.getByRole('tab', { name: 'Documents' }).click();
  const imports = page.getByRole('region', { name: 'Documents importés et provenance' });
  await expect(imports).toContainText('synthese-sortie-bernard.json');
  await expect(imports).toContainText(': 2 éléments.');
  await checkScreen(page, testInfo, 'import-listed');

  // ── home blood pressures from a Withings export, into Ms Anderson's chart: confirmed, drawn apart ──
  await page.getByRole('button', { name: '← Retour à la patientèle' }).click();
  await openChart(page, 'anderson', /ANDERSON/i);
  await page.locator('input[type=file]').setInputFiles('tests/fixtures/import/withings-bp.csv');
  const readings = page.getByRole('region', { name: /Import de « withings-bp\.csv »/ });
  await expect(readings).toContainText('Withings Health Mate (CSV)');
  await expect(readings).toContainText('Dates lues au format année-mois-jour.');
  await expect(readings).toContainText('Colonnes non lues : Comments.');
  const add = readings.getByRole('button', { name: 'Ajouter 6 éléments au dossier' });
  await expect(add).toBeDisabled();
  await readings.getByLabel(/je confirme que ce sont celles de ce patient/).check();
  await add.click();
  await expect(page.getByRole('status').filter({ hasText: '6 éléments importés de « withings-bp.csv »' })).toBeVisible();
  await page.getByRole('tab', { name: 'Résultats' }).click();
  const pressure = page.getByRole('figure', { name: /Pression artérielle|Tension artérielle/ });
  await expect(pressure).toContainText('Dont 3 mesures prises à domicile par le patient (points creux).');
  await pressure.getByText(/\(tableau\)$/).click();
  await expect(pressure.locator('table.data-table tbody tr', { hasText: 'à domicile' })).toHaveCount(3);
  // The plot's legend names the home series apart.
  await expect(pressure.locator('.u-legend')).toContainText('Systolique (à domicile)');
  await checkScreen(page, testInfo, 'home-readings-trend');
  // The same file again: every reading is already there.
  await page.locator('input[type=file]').setInputFiles('tests/fixtures/import/withings-bp.csv');
  await expect(readings).toContainText('0 élément à ajouter ; 6 déjà dans le dossier.');
  await expect(readings.getByRole('button', { name: /^Ajouter/ })).toBeDisabled();
  await readings.getByRole('button', { name: 'Annuler' }).click();

  // ── back online: the HIE has them, with their Provenance and the Import in the audit trail ──
  await context.setOffline(false);
  await expect(syncBar(page).getByText('Aucune saisie en attente')).toBeVisible({ timeout: 60_000 });
  const held = await hie.search(`Immunization?patient=${lea}`);
  const hepB = held.filter((r) => JSON.stringify(r['vaccineCode']).includes('871895005'));
  expect(hepB).toHaveLength(1);
  const provenances = await hie.search('Provenance?_count=100');
  const mine = provenances.filter((p) => JSON.stringify(p['target']).includes(`Immunization/${String(hepB[0]?.['id'])}`));
  expect(mine).toHaveLength(1);
  expect(JSON.stringify(mine[0]?.['entity'])).toContain('synthese-sortie-bernard.json');
  await expect
    .poll(async () => (await hie.search('AuditEvent?_count=500')).filter((e) => JSON.stringify(e['type']).includes('"110107"')).length, { timeout: 60_000 })
    .toBe(2);
  const home = await hie.search('Observation?patient=Patient/71688e44-521b-55df-a73c-1ddea2a0e7fa&code=85354-9');
  expect(home.filter((o) => JSON.stringify(o['performer']).includes('Patient/71688e44-521b-55df-a73c-1ddea2a0e7fa'))).toHaveLength(3);
});
