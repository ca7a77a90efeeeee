import { expect, test } from '@playwright/test';
import type { Sandbox } from '../../sandbox/server.ts';
import { checkScreen, loginOnHie, passphrase, syncBar, unlock, waitForInitialSync } from './support/app';
import { control, fhirAs, practitioners, startHie, type Fhir, type FhirResource, type TestPractitioner } from './support/hie';

/**
 * A clinician's morning (issue 14), in Chromium with the web host and the HIE sandbox: the first
 * sync brings the day's patients first (the first patient's chart opens while the rest is still
 * loading, on an HIE slowed by 400 ms a request); then the app reopened without network and
 * unlocked offline: My day, a patient marked arrived, a message read and answered, a referral sent;
 * back online the HIE has all three, the colleague's reply (posted through the sandbox's test API
 * as that practitioner) appears in the open thread (the time is printed), and the
 * referral accepted on the HIE side shows its new state and a notification, as does an abnormal
 * result a lab posts for the morning's first patient.
 */
test.use({ locale: 'fr-FR' });
// Measured 52 s on an idle machine; the budget leaves room for a busy CI machine (×8).
test.setTimeout(480_000);

let sandbox: Sandbox;
let doctor: TestPractitioner;
let colleague: TestPractitioner;
let hie: Fhir;

test.beforeAll(async () => {
  sandbox = await startHie({ patients: 24, resourcesPerPatient: 60, practitioners: 2 });
  [doctor, colleague] = (await practitioners(sandbox)) as [TestPractitioner, TestPractitioner];
  hie = await fhirAs(sandbox, doctor.id);
});

test.afterAll(async () => {
  await sandbox?.close();
});

test('a clinician’s morning: my day first, then messages and a referral offline', async ({ page, context }, testInfo) => {
  // ── first sync on a slow HIE: the day's patients come first ──
  await page.goto('/');
  await page.getByRole('button', { name: 'Se connecter à l’échange de santé' }).click();
  await loginOnHie(page, doctor);
  await expect(page.getByRole('heading', { name: 'Choisissez votre phrase de déverrouillage' })).toBeVisible();
  // The HIE slows down only for the sync (the sign-in has its own time limits).
  await control(sandbox, 'POST', 'faults', { latencyMs: 400 });
  await page.getByLabel('Phrase de déverrouillage', { exact: true }).fill(passphrase);
  await page.getByLabel('Confirmez la phrase').fill(passphrase);
  await page.getByRole('button', { name: 'Protéger les dossiers' }).click();
  const day = page.getByTestId('day-patients');
  await expect(day).toHaveAttribute('data-ready', /[1-9]/, { timeout: 60_000 });
  await expect(day).toHaveText(/Les \d+ patients du jour sont prêts/, { timeout: 60_000 });
  await page.getByRole('button', { name: 'Ma journée' }).click();
  const today = page.getByRole('list', { name: /^Aujourd’hui/ });
  // The sandbox books each practitioner's first three patients today (09:00, 09:20, 09:40 UTC).
  await expect(today.getByRole('listitem')).toHaveCount(3);
  // The first patient's chart opens while the rest of the sync is still running.
  await today.getByRole('listitem').first().getByRole('button', { name: /^Ouvrir le dossier de / }).click();
  await expect(page.getByRole('region', { name: 'Allergies du patient' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Première synchronisation' })).toBeVisible();
  await checkScreen(page, testInfo, 'day-patient-first');
  await control(sandbox, 'DELETE', 'faults');
  await waitForInitialSync(page);

  // ── 8 a.m., no network: the app reopened and unlocked offline opens on the replica's My day ──
  // The web host has no service worker: the page loads, then the network goes (Electron serves the app locally).
  await page.goto('/');
  await context.setOffline(true);
  await expect(page.getByRole('heading', { name: 'Relais est verrouillé' })).toBeVisible();
  await unlock(page);
  await page.getByRole('button', { name: 'Ma journée' }).click();
  await expect(today.getByRole('listitem')).toHaveCount(3);
  const first = today.getByRole('listitem').first();
  const appointmentRef = (await first.getAttribute('data-ref')) ?? '';
  await first.getByRole('button', { name: 'Arrivé' }).click();
  await expect(page.getByRole('status').filter({ hasText: /Arrivé\. Ce sera envoyé/ })).toBeVisible();
  await expect(today.locator(`[data-ref="${appointmentRef}"]`)).toHaveAttribute('data-status', 'arrived');
  await expect(today.locator(`[data-ref="${appointmentRef}"]`).getByText('Pas encore envoyé')).toBeVisible();
  await checkScreen(page, testInfo, 'my-day');

  // ── offline: a message read and answered ──
  const messagesNav = page.getByRole('button', { name: /^Messages \d+ non lus?$/ });
  await expect(messagesNav).toBeVisible();
  const unreadBefore = Number(await messagesNav.getAttribute('data-unread'));
  await messagesNav.click();
  const unreadThread = page.locator('.thread-list li').filter({ has: page.locator('.tag--danger') }).first();
  const threadId = (await unreadThread.getAttribute('data-thread')) ?? '';
  await unreadThread.getByRole('button').first().click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByRole('navigation').getByRole('button', { name: /^Messages/ })).toHaveAttribute('data-unread', String(unreadBefore - 1));
  await page.getByLabel('Votre réponse').fill('Merci, je le vois ce matin.');
  const letter = Buffer.from('%PDF-1.4 courrier de liaison\n', 'utf8');
  await page.getByLabel(/^Joindre un fichier \(au plus 1 Mo\)$/).setInputFiles({ name: 'courrier.pdf', mimeType: 'application/pdf', buffer: letter });
  await expect(page.getByText('Joint : courrier.pdf')).toBeVisible();
  await page.getByRole('button', { name: 'Envoyer' }).click();
  await expect(page.getByText('Message enregistré')).toBeVisible();
  const mine = page.locator('.message--mine').filter({ hasText: 'Merci, je le vois ce matin.' });
  await expect(mine.getByText('Pas encore envoyé')).toBeVisible();
  const myMessageRef = (await mine.getAttribute('data-ref')) ?? '';
  await checkScreen(page, testInfo, 'message-thread');

  // ── offline: a referral for the same patient, from the chart ──
  await page.getByRole('button', { name: /^Patient : / }).click();
  await page.getByRole('tab', { name: 'Saisir' }).click();
  await page.getByLabel('Motif').fill('Palpitations à l’effort');
  await page.getByLabel('Urgence').selectOption('urgent');
  await page.getByRole('button', { name: 'Enregistrer l’adressage' }).click();
  await expect(page.getByText('Adressage enregistré')).toBeVisible();
  await page.getByRole('button', { name: 'Adressages' }).click();
  const waiting = page.getByRole('region', { name: 'En attente de réponse' });
  const referral = waiting.getByRole('listitem').filter({ hasText: 'Palpitations à l’effort' });
  await expect(referral.getByText('Pas encore envoyé')).toBeVisible();
  const taskRef = (await referral.getAttribute('data-ref')) ?? '';
  await checkScreen(page, testInfo, 'referrals');

  // ── back online: sign in again (the reopened page's session has no tokens), and everything reaches the HIE ──
  await context.setOffline(false);
  await syncBar(page).getByRole('button', { name: 'Se reconnecter' }).click();
  // The HIE's sign-in form, or (if the HIE still knew this browser) straight back to the locked app.
  await expect(page.getByLabel(/Identifiant/).or(page.getByRole('heading', { name: 'Relais est verrouillé' }))).toBeVisible();
  if (await page.getByLabel(/Identifiant/).isVisible()) await loginOnHie(page, doctor);
  await unlock(page);
  await expect(syncBar(page).getByText('Aucune saisie en attente')).toBeVisible({ timeout: 60_000 });
  expect((await hie.read(appointmentRef))['status']).toBe('arrived');
  const sent = await hie.read(myMessageRef);
  expect(sent).toMatchObject({
    inResponseTo: [{ reference: expect.stringMatching(/^Communication\//) as unknown }],
    payload: [{ contentString: 'Merci, je le vois ce matin.' }, { contentAttachment: { contentType: 'application/pdf', title: 'courrier.pdf', data: letter.toString('base64'), size: letter.length } }],
  });
  const task = await hie.read(taskRef);
  expect(task).toMatchObject({ status: 'requested', owner: { reference: expect.stringMatching(/^Practitioner\//) as unknown } });

  // The colleague answers the message: it shows in the thread with the live sync. The product's aim is
  // within 5 s (a 2 s poll, the pull, a read model refreshed at most every second); the time is measured
  // and reported, and the wait has three times that aim as room, since a loaded CI machine doubles it.
  await page.getByRole('button', { name: /^Messages/ }).click();
  await page.locator(`.thread-list li[data-thread="${threadId}"]`).getByRole('button').first().click();
  const postedAt = Date.now();
  const replied = (await control(sandbox, 'POST', 'message', { as: ownerOf(task), replyTo: myMessageRef.replace('Communication/', ''), text: 'Parfait, tenez-moi au courant.' })) as FhirResource;
  expect(replied.id).toBeTruthy();
  await expect(page.locator('.message').filter({ hasText: 'Parfait, tenez-moi au courant.' })).toBeVisible({ timeout: 15_000 });
  const replyShownMs = Date.now() - postedAt;
  test.info().annotations.push({ type: 'reply shown after (ms)', description: String(replyShownMs) });
  console.log(`care-coordination: the colleague's reply showed ${replyShownMs} ms after it was posted`);

  // The referral is accepted on the HIE side: its state and a notification come back.
  await control(sandbox, 'POST', 'referral', { as: ownerOf(task), task: taskRef.replace('Task/', ''), status: 'accepted' });
  await page.getByRole('button', { name: 'Adressages' }).click();
  await expect(page.locator(`.referral-list li[data-ref="${taskRef}"]`)).toHaveAttribute('data-status', 'accepted', { timeout: 15_000 });
  // A lab posts an abnormal potassium for the patient seen first this morning: it is news.
  const patientRef = ((await hie.read(appointmentRef))['participant'] as { actor?: { reference?: string } }[]).map((p) => p.actor?.reference ?? '').find((r) => r.startsWith('Patient/')) ?? '';
  const potassium = await hie.create({
    resourceType: 'Observation', status: 'final', category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '2823-3', display: 'Potassium [Moles/volume] in Serum or Plasma' }], text: 'Kaliémie' },
    subject: { reference: patientRef }, effectiveDateTime: new Date().toISOString(), valueQuantity: { value: 6.4, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' },
    interpretation: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'HH' }] }],
  });
  await page.getByRole('button', { name: /^Notifications/ }).click();
  await expect(page.locator(`.notification-list li[data-ref="Observation/${String(potassium.id)}"]`)).toContainText('Résultat anormal pour', { timeout: 15_000 });
  await expect(page.locator(`.notification-list li[data-ref="Observation/${String(potassium.id)}"]`)).toContainText('Kaliémie');
  await expect(page.locator(`.notification-list li[data-ref="${taskRef}"]`)).toContainText(/Adressage de .* : Accepté/);
  await checkScreen(page, testInfo, 'notifications');
  expect(colleague.id).toBe(ownerOf(task));

  // Locked: nothing of them is on screen, not even a count.
  await page.getByRole('button', { name: 'Verrouiller' }).click();
  await expect(page.getByRole('heading', { name: 'Relais est verrouillé' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Espace de travail' })).toHaveCount(0);
  await expect(page.getByText(/Résultat anormal|Kaliémie|Parfait, tenez-moi au courant|Palpitations/)).toHaveCount(0);
  await expect(page.locator('.unread-count')).toHaveCount(0);
});

function ownerOf(task: FhirResource): string {
  const owner = (task['owner'] as { reference?: string } | undefined)?.reference ?? '';
  return owner.replace('Practitioner/', '');
}
