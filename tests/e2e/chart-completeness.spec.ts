import { writeFileSync, mkdirSync } from 'node:fs';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import type { Sandbox } from '../../sandbox/server.ts';
import { sectionOfType } from '../../renderer/features/chart/chart-model';
import { typesToSync } from '../../shared/sync/resource-types';
import { checkScreen, firstRun, openChart, waitForInitialSync } from './support/app';
import { fhirAs, folded, practitioners, startHie, type Fhir, type FhirResource } from './support/hie';

/**
 * Nothing stored is invisible, and "none recorded" is never false. The sandbox serves the fixture
 * corpus (records shaped like other systems', tests/fixtures/fhir) plus its own generated patients;
 * after the initial sync, every patient's chart is walked tab by tab (every disclosure opened), and
 * what the screen shows (each item carries `data-ref`) is compared with what the replica holds for
 * that patient (the HIE's `Patient/$everything`, restricted to the synced types: the sync tests
 * prove the replica equals that view). Any resource nowhere on screen fails the test, as does any
 * "none recorded" statement (`data-none`) about a kind the replica holds.
 */
test.describe.configure({ mode: 'serial' });
// First run, initial sync of ~1,800 resources, then 10 charts × 12 tabs: about 2 minutes on an
// idle machine; the budget leaves room for three times a loaded run.
test.setTimeout(600_000);

let sandbox: Sandbox;
let hie: Fhir;
// One signed-in browser for both steps: the walk, then the screens checked with axe.
let context: BrowserContext;
let page: Page;
test.beforeAll(async ({ browser }, testInfo) => {
  context = await browser.newContext({ locale: 'fr-FR', timezoneId: 'Europe/Paris', baseURL: testInfo.project.use.baseURL });
  page = await context.newPage();
  sandbox = await startHie({ patients: 4, resourcesPerPatient: 40, practitioners: 1, fixtures: 'tests/fixtures/fhir' });
  const [doctor] = await practitioners(sandbox);
  if (!doctor) throw new Error('no practitioner');
  hie = await fhirAs(sandbox, doctor.id);
});
test.afterAll(async () => {
  await context?.close();
  await sandbox?.close();
});

const vitalCodes = new Set(['85354-9', '55284-4', '8867-4', '9279-1', '8310-5', '8331-1', '8328-7', '8332-9', '8333-7', '59408-5', '2708-6', '29463-7', '8302-2', '8306-3', '39156-5', '9843-4', '163020007', '27113001']);
const isVital = (r: FhirResource): boolean =>
  r.resourceType === 'Observation' &&
  (JSON.stringify(r['category'] ?? '').includes('"vital-signs"') || ((r['code'] as { coding?: { code?: string }[] } | undefined)?.coding ?? []).some((c) => vitalCodes.has(c.code ?? '')));
const upcoming = (r: FhirResource): boolean =>
  r.resourceType === 'Appointment' && Date.parse(String(r['start'] ?? '')) >= Date.now() && ['booked', 'pending', 'proposed', 'arrived', 'checked-in', 'waitlist'].includes(String(r['status']));
const ofTypes = (...types: string[]) => (r: FhirResource): boolean => types.includes(r.resourceType);

/** What each "none recorded" statement claims absent, read from the resources themselves. */
const claims: Readonly<Record<string, (r: FhirResource) => boolean>> = {
  allergies: ofTypes('AllergyIntolerance'),
  problems: ofTypes('Condition'),
  medications: ofTypes('MedicationRequest', 'MedicationStatement', 'MedicationAdministration', 'MedicationDispense'),
  results: ofTypes('Observation', 'DiagnosticReport', 'ImagingStudy'),
  vitals: isVital,
  procedures: ofTypes('Procedure'),
  immunizations: ofTypes('Immunization'),
  encounters: ofTypes('Encounter'),
  'appointments-upcoming': upcoming,
  careplans: ofTypes('CarePlan', 'Goal', 'CareTeam', 'ServiceRequest', 'Task', 'NutritionOrder', 'DeviceRequest', 'CommunicationRequest', 'RequestGroup'),
  documents: ofTypes('DocumentReference', 'Composition'),
  other: (r) => r.resourceType !== 'Patient' && (sectionOfType[r.resourceType] === undefined || sectionOfType[r.resourceType] === 'other'),
  timeline: (r) => r.resourceType !== 'Patient',
};

type Seen = { refs: Set<string>; nones: Set<string> };

/** Every tab of the open chart: disclosures opened (not each item's raw details), then what is visible. */
async function walkChart(page: Page): Promise<Seen> {
  const seen: Seen = { refs: new Set(), nones: new Set() };
  const tabs = page.getByRole('tablist', { name: 'Sections du dossier' }).getByRole('tab');
  const names = (await tabs.allTextContents()).filter((name) => name !== 'Saisir');
  for (const name of names) {
    await page.getByRole('tab', { name, exact: true }).click();
    await expect(page.getByRole('tabpanel').getByRole('heading', { level: 2, name, exact: true })).toBeVisible();
    const found = await page.getByRole('tabpanel').evaluate((panel) => {
      for (const details of panel.querySelectorAll('details:not(.record-details)')) (details as HTMLDetailsElement).open = true;
      const refs = [...panel.querySelectorAll<HTMLElement>('[data-ref]')].filter((e) => e.checkVisibility()).map((e) => e.dataset['ref'] ?? '');
      const nones = [...document.querySelectorAll<HTMLElement>('[data-none]')].filter((e) => e.checkVisibility()).map((e) => e.dataset['none'] ?? '');
      return { refs, nones };
    });
    for (const ref of found.refs) seen.refs.add(ref);
    for (const kind of found.nones) seen.nones.add(kind);
  }
  return seen;
}

/** Opens a chart by the patient's full name as the list prints it (FAMILY Given…): several patients may share a family name. */
async function openPatient(page: Page, family: string, given = ''): Promise<void> {
  const back = page.getByRole('button', { name: '← Retour à la patientèle' });
  if (await back.isVisible()) await back.click();
  const name = [family.toLocaleUpperCase('fr'), given].filter((p) => p !== '').join(' ');
  await openChart(page, `${folded(given.split(' ')[0] ?? '')} ${folded(family)}`.trim(), new RegExp(`${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
}

const givenOf = (patient: FhirResource | undefined): { family: string; given: string } => {
  const names = (patient?.['name'] as { use?: string; family?: string; given?: string[] }[] | undefined) ?? [];
  const name = names.find((n) => n.use === 'official') ?? names[0];
  return { family: name?.family ?? '', given: (name?.given ?? []).join(' ') };
};

type PatientReport = { patient: string; family: string; held: Record<string, number>; unseen: string[]; falseNones: string[] };

test('every resource of every chart is on screen, and no "none recorded" is false', async ({ browserName }, testInfo) => {
  expect(browserName).toBe('chromium');
  const [doctor] = await practitioners(sandbox);
  if (!doctor) throw new Error('no practitioner');
  await firstRun(page, doctor);
  await waitForInitialSync(page);
  const synced = new Set(typesToSync(null));
  const reports: PatientReport[] = [];
  for (const patientId of doctor.patients) {
    const everything = (await hie.search(`Patient/${patientId}/$everything?_count=1000`)).filter((r) => synced.has(r.resourceType) && !['Practitioner', 'Organization', 'Medication'].includes(r.resourceType));
    const { family, given } = givenOf(everything.find((r) => r.resourceType === 'Patient'));
    await openPatient(page, family, given);
    const seen = await walkChart(page);
    const held: Record<string, number> = {};
    for (const r of everything) held[r.resourceType] = (held[r.resourceType] ?? 0) + 1;
    const unseen = everything.filter((r) => r.resourceType !== 'Patient' && !seen.refs.has(`${r.resourceType}/${r.id ?? ''}`)).map((r) => `${r.resourceType}/${r.id ?? ''}`);
    const falseNones = [...seen.nones].filter((kind) => claims[kind] === undefined || everything.some(claims[kind]));
    reports.push({ patient: patientId, family, held, unseen, falseNones });
  }
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/chart-completeness.json', JSON.stringify(reports, null, 1));
  await testInfo.attach('chart-completeness', { path: 'test-results/chart-completeness.json', contentType: 'application/json' });
  const totals: Record<string, number> = {};
  for (const r of reports) for (const [type, n] of Object.entries(r.held)) totals[type] = (totals[type] ?? 0) + n;
  console.log(`chart completeness: ${reports.length} patients, ${Object.values(totals).reduce((a, b) => a + b, 0)} resources held; by type: ${JSON.stringify(totals)}; unseen ${reports.reduce((n, r) => n + r.unseen.length, 0)}; false "none recorded" ${reports.reduce((n, r) => n + r.falseNones.length, 0)}`);
  expect(reports.length).toBeGreaterThanOrEqual(10);
  expect(reports.flatMap((r) => r.unseen.map((ref) => `${r.family}: ${ref}`))).toEqual([]);
  expect(reports.flatMap((r) => r.falseNones.map((kind) => `${r.family}: ${kind}`))).toEqual([]);
});

test('the new sections in French pass axe: a deceased patient, results without category, other records, a long history', async ({ browserName }, testInfo) => {
  expect(browserName).toBe('chromium');
  await openPatient(page, 'Kling921', 'Marcus830');
  await expect(page.getByRole('note').filter({ hasText: 'Décédé(e) le 18/06/2014' })).toBeVisible();
  await checkScreen(page, testInfo, 'chart-deceased-summary');
  await page.getByRole('tab', { name: 'Actes', exact: true }).click();
  await checkScreen(page, testInfo, 'chart-procedures');
  // His chest X-ray (Synthea writes the study UID as urn:oid under urn:ietf:rfc:3986) opens in the
  // image viewer the build names (as policy imagingViewerUrl does in Electron): to that origin only.
  await page.getByRole('tab', { name: 'Résultats', exact: true }).click();
  const viewer = page.getByRole('button', { name: 'Ouvrir « Plain chest X-ray (procedure) » dans la visionneuse d’images' });
  const template = process.env['VITE_RELAIS_IMAGING_VIEWER'] ?? 'https://viewer.example.org/viewer?StudyInstanceUIDs={studyUid}';
  await expect(viewer).toHaveAttribute('data-viewer', template.replace('{studyUid}', '1.2.840.99999999.71286455.1402486331000'));
  await checkScreen(page, testInfo, 'chart-imaging-viewer');
  await page.getByRole('tab', { name: 'Traitements', exact: true }).click();
  await expect(page.getByText('4 fois par jour').first()).toBeVisible();
  await checkScreen(page, testInfo, 'chart-medications-structured');
  // No order for a deceased patient without an explicit confirmation.
  await page.getByRole('tab', { name: 'Saisir', exact: true }).click();
  const order = page.getByRole('form', { name: 'Prescrire un médicament' });
  await order.getByLabel('Médicament', { exact: true }).fill('Paracétamol');
  await order.getByLabel('Dose par prise').fill('1');
  await order.getByRole('button', { name: 'Enregistrer la prescription' }).click();
  await expect(order.getByRole('alert')).toHaveText(/enregistré comme décédé/);
  await expect(order.getByRole('status').filter({ hasText: 'Enregistré dans le dossier' })).toHaveCount(0);
  await order.getByLabel('Je confirme prescrire pour ce patient décédé').check();
  await order.getByRole('button', { name: 'Enregistrer la prescription' }).click();
  await expect(order.getByRole('status').filter({ hasText: 'Enregistré dans le dossier' })).toBeVisible();
  await openPatient(page, 'Anderson', 'Jessica Mary');
  await page.getByRole('tab', { name: 'Résultats', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Résultats sans catégorie (par examen)' })).toBeVisible();
  // Taken at 00:30 in Sydney (+10:00) on 8 April: on this Paris laptop, 7 April at 16:30, in the table as in the plot's data.
  await expect(page.getByRole('row', { name: /HIV 1 RNA/ }).getByText('07/04/2024 16:30').first()).toBeVisible();
  await checkScreen(page, testInfo, 'chart-results-no-category');
  await openPatient(page, 'BERNARD', 'Léa Chloé');
  await page.getByRole('tab', { name: 'Autres éléments', exact: true }).click();
  await checkScreen(page, testInfo, 'chart-other-records');
  await openPatient(page, 'Tanaka', 'Hiroshi');
  await page.getByRole('tab', { name: 'Chronologie', exact: true }).click();
  const count = page.getByRole('status').filter({ hasText: /éléments affichés sur/ });
  await expect(count).toHaveText(/^200 éléments affichés sur 13\d\d$/);
  await page.getByRole('button', { name: /Afficher 200 éléments plus anciens/ }).click();
  await expect(count).toHaveText(/^400 éléments affichés sur 13\d\d$/);
  await page.getByLabel('Type', { exact: true }).selectOption({ label: 'Consultation' });
  await expect(count).toHaveText('44 éléments affichés sur 44');
  await page.getByLabel('Du', { exact: true }).fill('2024-01-01');
  await expect(count).toHaveText('3 éléments affichés sur 3');
  await page.getByLabel('Du', { exact: true }).fill('');
  await page.getByLabel('Type', { exact: true }).selectOption({ label: 'Tous les types' });
  await checkScreen(page, testInfo, 'chart-timeline-long');
  await page.getByRole('tab', { name: 'Résultats', exact: true }).click();
  await checkScreen(page, testInfo, 'chart-results-long-history');
});
