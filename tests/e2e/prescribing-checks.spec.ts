import { expect, test } from '@playwright/test';
import type { Sandbox } from '../../sandbox/server.ts';
import { checkScreen, firstRun, openChart, syncBar, waitForInitialSync } from './support/app';
import { fhirAs, practitioners, startHie, type Fhir, type FhirResource, type TestPractitioner } from './support/hie';

/**
 * Prescribing safely offline (issue 13), end to end in Chromium against the sandbox: the chart
 * opens with its medication review; offline, the clinician records a penicillin allergy from the
 * coded list, orders a MAO inhibitor (selegiline) for a patient on citalopram (a contraindicated ONC pair),
 * sees the alert, is refused an override without a reason, overrides with one; orders amoxicillin,
 * sees the allergy alert and cancels; back online, the HIE holds the order and its DetectedIssue,
 * and no amoxicillin. Then the same review in English. Axe on each alert screen.
 */
test.describe.configure({ mode: 'serial' });
test.use({ locale: 'fr-FR' });
// Measured on an idle machine and with both cores loaded (see the closing note of issue 13); the
// budget is more than three times the worst figure.
test.setTimeout(480_000);

const rxnorm = 'http://www.nlm.nih.gov/research/umls/rxnorm';
let sandbox: Sandbox;
let doctor: TestPractitioner;
let hie: Fhir;

test.beforeAll(async () => {
  sandbox = await startHie({ patients: 24, resourcesPerPatient: 40, practitioners: 1 });
  doctor = (await practitioners(sandbox))[0] as TestPractitioner;
  hie = await fhirAs(sandbox, doctor.id);
});

test.afterAll(async () => {
  await sandbox?.close();
});

const codes = (r: FhirResource, field: string): string[] =>
  (((r[field] as { coding?: { system?: string; code?: string }[] } | undefined)?.coding ?? []).filter((c) => c.system === rxnorm).map((c) => c.code ?? ''));

/** A patient of the panel on active citalopram (RxNorm 2556), and the name the list shows. */
async function patientOnCitalopram(): Promise<{ ref: string; typed: string; shown: RegExp }> {
  for (const id of doctor.patients) {
    const orders = await hie.search(`MedicationRequest?subject=Patient/${id}&status=active`);
    if (!orders.some((o) => codes(o, 'medicationCodeableConcept').includes('2556'))) continue;
    const patient = await hie.read(`Patient/${id}`);
    const name = (patient['name'] as { family?: string; given?: string[] }[] | undefined)?.[0];
    const family = name?.family ?? '';
    const given = name?.given?.[0] ?? '';
    return { ref: `Patient/${id}`, typed: `${given} ${family}`, shown: new RegExp(`${family.toLocaleUpperCase('fr')} ${given}`) };
  }
  throw new Error('no patient on citalopram in the panel: change the seed');
}

test('an interaction overridden with a reason, an allergy cancelled, offline; the HIE receives the order and its DetectedIssue', async ({ page, context }, testInfo) => {
  const target = await patientOnCitalopram();
  const amoxicillin = (orders: FhirResource[]): string[] => orders.filter((o) => JSON.stringify(o['medicationCodeableConcept']).includes('J01CA04')).map((o) => o.id ?? '');
  const amoxicillinBefore = amoxicillin(await hie.search(`MedicationRequest?subject=${target.ref}`));
  await firstRun(page, doctor);
  await waitForInitialSync(page);
  await openChart(page, target.typed, target.shown);

  // The chart opens with the review of what the patient already takes (citalopram + tramadol).
  const review = page.getByTestId('medication-review');
  await expect(review).toBeVisible();
  await expect(review.getByRole('listitem').filter({ hasText: /Citalopram/i }).first()).toBeVisible();
  await checkScreen(page, testInfo, 'medication-review');

  // ── offline: a penicillin allergy from the coded list ──
  await context.setOffline(true);
  await expect(syncBar(page).getByText('Pas de réseau')).toBeVisible();
  await page.getByRole('tab', { name: 'Saisir' }).click();
  const allergyForm = page.getByRole('form', { name: 'Ajouter une allergie' });
  await allergyForm.getByRole('combobox', { name: 'Substance' }).fill('pénicil');
  await allergyForm.getByRole('option', { name: 'Pénicillines' }).click();
  await allergyForm.getByLabel('Gravité potentielle').selectOption({ label: 'Élevée' });
  await allergyForm.getByRole('button', { name: 'Ajouter l’allergie' }).click();
  await expect(page.getByRole('region', { name: 'Allergies du patient' }).getByText('Pénicillines')).toBeVisible();

  const order = page.getByRole('form', { name: 'Prescrire un médicament' });
  const medicine = order.getByRole('combobox', { name: 'Médicament' });

  // ── oral methotrexate every day: stopped with a sentence, nothing saved ──
  await medicine.fill('méthotrexate');
  await order.getByLabel('Dose par prise').fill('10');
  await order.getByRole('button', { name: 'Enregistrer la prescription' }).click();
  await expect(order.getByText(/se prend une seule fois par semaine/)).toBeVisible();
  await expect(order.getByRole('status').filter({ hasText: 'Enregistré dans le dossier' })).toHaveCount(0);

  // ── a second SSRI beside citalopram: a caution shown beside the form, which saves without stopping ──
  await medicine.fill('sertraline');
  const cautions = order.getByTestId('order-cautions');
  await expect(cautions.getByRole('listitem').filter({ hasText: /sertraline \+ Citalopram/i })).toContainText('Doublon thérapeutique');
  await order.getByLabel('Dose par prise').fill('1');
  await order.getByRole('button', { name: 'Enregistrer la prescription' }).click();
  await expect(order.getByRole('status').filter({ hasText: 'Enregistré dans le dossier (1)' })).toBeVisible();
  await expect(order.getByTestId('order-check')).toHaveCount(0);

  // ── a MAO inhibitor for a patient on citalopram: contraindicated; no override without a reason ──
  await medicine.fill('selegi');
  await medicine.press('ArrowDown');
  await medicine.press('Enter');
  await expect(medicine).toHaveValue('sélégiline');
  await expect(order.getByText(/Codé \(RxNorm, ATC N04BD01\)/)).toBeVisible();
  await order.getByLabel('Dose par prise').fill('1');
  await order.getByLabel('Fréquence').selectOption({ label: '2 fois par jour' });
  await order.getByRole('button', { name: 'Enregistrer la prescription' }).click();
  const check = order.getByTestId('order-check');
  await expect(check.getByRole('heading', { name: /^Prescription bloquée/ })).toBeVisible();
  const interaction = check.getByRole('listitem').filter({ hasText: /sélégiline \+ Citalopram/i });
  await expect(interaction.getByText('Contre-indication')).toBeVisible();
  await checkScreen(page, testInfo, 'order-contraindicated');
  await check.getByRole('button', { name: 'Prescrire malgré l’alerte' }).click();
  await expect(check.getByText('Une contre-indication ne peut être passée outre qu’avec un motif.')).toBeVisible();
  await check.getByLabel(/Motif pour prescrire malgré la contre-indication/).fill('Relais avec le psychiatre, citalopram arrêté ce jour');
  await check.getByRole('button', { name: 'Prescrire malgré l’alerte' }).click();
  await expect(order.getByRole('status').filter({ hasText: /Enregistré dans le dossier \([2-9]\)/ })).toBeVisible();

  // ── amoxicillin for a patient now recorded allergic to penicillins: cancelled ──
  await medicine.fill('amoxicilline');
  await order.getByLabel('Dose par prise').fill('1');
  await order.getByRole('button', { name: 'Enregistrer la prescription' }).click();
  const allergyAlert = check.getByRole('listitem').filter({ hasText: 'allergie : Pénicillines' });
  await expect(allergyAlert.getByText('Contre-indication')).toBeVisible();
  await checkScreen(page, testInfo, 'order-allergy');
  await check.getByRole('button', { name: 'Annuler la prescription' }).click();
  await expect(check).toBeHidden();
  await expect(medicine).toHaveValue('');

  // ── free text stays possible, and says it is not checked wherever it is listed ──
  await medicine.fill('Préparation magistrale au thym');
  await expect(order.getByText(/^Non vérifié/)).toBeVisible();
  await order.getByLabel('Dose par prise').fill('1');
  await order.getByRole('button', { name: 'Enregistrer la prescription' }).click();
  await expect(order.getByRole('status').filter({ hasText: 'Enregistré dans le dossier (1)' })).toBeVisible();
  await page.getByRole('tab', { name: 'Traitements', exact: true }).click();
  await expect(page.getByRole('tabpanel').getByRole('listitem').filter({ hasText: 'Préparation magistrale au thym' }).getByText('non vérifié')).toBeVisible();
  await page.getByRole('tab', { name: 'Chronologie', exact: true }).click();
  await expect(page.getByRole('tabpanel').getByText('Préparation magistrale au thym').locator('..').getByText('non vérifié')).toBeVisible();

  // ── back online: the order and its DetectedIssue reach the HIE; the cancelled order does not ──
  await context.setOffline(false);
  await expect(syncBar(page).getByText('Aucune saisie en attente')).toBeVisible({ timeout: 60_000 });
  const orders = await hie.search(`MedicationRequest?subject=${target.ref}`);
  const selegiline = orders.find((o) => codes(o, 'medicationCodeableConcept').includes('9639'));
  expect(selegiline).toBeDefined();
  expect(amoxicillin(orders)).toEqual(amoxicillinBefore);
  const issues = await hie.search(`DetectedIssue?patient=${target.ref}`);
  const issue = issues.find((i) => JSON.stringify(i['implicated']).includes(`MedicationRequest/${selegiline?.id ?? '?'}`));
  expect(issue).toMatchObject({ status: 'final', severity: 'high', author: { reference: `Practitioner/${doctor.id}` } });
  expect(JSON.stringify(issue?.['mitigation'])).toContain('Relais avec le psychiatre, citalopram arrêté ce jour');

  // ── the review in English: the interaction gone past is listed as such, with its reason ──
  await page.getByLabel('Langue').selectOption('en');
  const reviewEn = page.getByTestId('medication-review');
  await expect(reviewEn.getByText(/^Medication review: \d+ alerts?/)).toBeVisible();
  // Opened whatever its state: it opens by itself only when something is left to review.
  await reviewEn.evaluate((details) => {
    (details as HTMLDetailsElement).open = true;
  });
  const gonePast = reviewEn.getByRole('list', { name: 'Alerts already gone past' }).getByRole('listitem').filter({ hasText: /sélégiline.*\+ Citalopram/i });
  await expect(gonePast).toContainText('Contraindicated');
  await expect(gonePast).toContainText(/Prescribed despite the alert on .*: Relais avec le psychiatre, citalopram arrêté ce jour/);
  await checkScreen(page, testInfo, 'medication-review-en');
});
