import { expect, test } from '@playwright/test';
import type { Sandbox } from '../../sandbox/server.ts';
import { checkScreen, firstRun, openChart, unlock, waitForInitialSync } from './support/app';
import { fhirAs, folded, practitioners, startHie, type TestPractitioner } from './support/hie';

/**
 * The clinician's own access log and emergency access: a chart opened shows in the log; then a
 * patient of another practitioner's panel is opened by breaking the glass (a reason too short is
 * refused with a sentence first), the chart says it is an emergency access, and the log has the
 * access with its reason and the chart opened under it, flagged (as the HIE receives it too).
 */
test.describe.configure({ mode: 'serial' });
test.setTimeout(180_000);
test.use({ locale: 'fr-FR', viewport: { width: 1280, height: 900 } });

let sandbox: Sandbox;
let doctor: TestPractitioner;
let other: TestPractitioner;

test.beforeAll(async () => {
  sandbox = await startHie({ patients: 12, resourcesPerPatient: 30, practitioners: 2 });
  [doctor, other] = (await practitioners(sandbox)) as [TestPractitioner, TestPractitioner];
});

test.afterAll(async () => {
  await sandbox?.close();
});

type Name = { family?: string; given?: string[] };
const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('my access log, and an emergency access to a patient outside the panel', async ({ page }, testInfo) => {
  const own = await fhirAs(sandbox, doctor.id);
  const mine = await own.read(`Patient/${doctor.patients[0] as string}`);
  const family = (mine['name'] as Name[] | undefined)?.[0]?.family ?? '';
  const outsider = other.patients.find((id) => !doctor.patients.includes(id));
  if (outsider === undefined) throw new Error('the second practitioner has no patient of their own: change the seed');
  const theirs = await (await fhirAs(sandbox, other.id)).read(`Patient/${outsider}`);
  // The INS when they have one (what a French clinician would type), else any identifier they carry.
  const identifiers = ((theirs['identifier'] as { system?: string; value?: string }[] | undefined) ?? []).filter((i) => i.value);
  const identifier = (identifiers.find((i) => i.system === 'urn:oid:1.2.250.1.213.1.4.8') ?? identifiers[0])?.value ?? '';
  const theirFamily = (theirs['name'] as Name[] | undefined)?.[0]?.family ?? '';

  await firstRun(page, doctor);
  await waitForInitialSync(page);

  // A chart opened: the log has it, under the patient's name.
  // openChart waits until the search has filtered the list before it clicks: a click on a row of
  // the unfiltered list, about to be replaced, is lost (seen on a loaded machine).
  await openChart(page, folded(family), new RegExp(escaped(family.toLocaleUpperCase('fr'))));
  // The chart's own heading (inside the chart article), once it has replaced the list: reading the
  // page's first level-1 heading before then would read the list's title.
  const chartHeading = page.getByRole('article').getByRole('heading', { level: 1, name: new RegExp(escaped(family.toLocaleUpperCase('fr'))) });
  await expect(chartHeading).toBeVisible({ timeout: 60_000 });
  const chartName = (await chartHeading.textContent()) ?? '';
  expect(chartName).not.toBe('');
  const nav = page.getByRole('navigation', { name: 'Espace de travail' });
  await nav.getByRole('button', { name: 'Mon journal d’accès' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mon journal d’accès' })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: 'Dossier ouvert' }).filter({ hasText: chartName }).first()).toBeVisible();

  // Emergency access: a reason too short is refused with a sentence, then a proper one opens the chart.
  await nav.getByRole('button', { name: 'Patientèle' }).click();
  await page.getByRole('button', { name: 'Accès d’urgence' }).click();
  const form = page.getByRole('form', { name: 'Accès d’urgence à un patient hors de votre patientèle' });
  await form.getByLabel('Identifiant du patient (INS ou autre)').fill(identifier);
  await form.getByLabel('Motif de l’accès d’urgence').fill('urgence');
  await form.getByRole('button', { name: 'Demander l’accès d’urgence' }).click();
  await expect(form.getByRole('alert')).toHaveText(/Le motif est trop court/);
  await checkScreen(page, testInfo, 'emergency-access-form');
  const reason = 'Patient inconscient aux urgences, allergies à vérifier';
  await form.getByLabel('Motif de l’accès d’urgence').fill(reason);
  await form.getByRole('button', { name: 'Demander l’accès d’urgence' }).click();
  const chart = page.getByRole('article');
  await expect(chart.getByRole('heading', { level: 1, name: new RegExp(escaped(theirFamily.toLocaleUpperCase('fr'))) })).toBeVisible({ timeout: 60_000 });
  await expect(chart.getByText('Accès d’urgence', { exact: true })).toBeVisible({ timeout: 30_000 });

  // The log has the emergency access, with its reason.
  await nav.getByRole('button', { name: 'Mon journal d’accès' }).click();
  const emergencyRow = page.getByRole('row').filter({ hasText: `Accès d’urgence : « ${reason} »` });
  await expect(emergencyRow).toBeVisible();
  // The chart opened under the grant is flagged too: in the log, and in the trail the HIE receives
  // (purpose BTG, without a reason of its own: the access above carries it).
  await expect(page.getByRole('row').filter({ hasText: 'Dossier ouvert' }).filter({ hasText: 'Sous accès d’urgence' }).first()).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: 'Dossier ouvert' }).filter({ hasText: chartName }).filter({ hasText: 'Sous accès d’urgence' })).toHaveCount(0);
  await checkScreen(page, testInfo, 'access-log');
  const hie = await fhirAs(sandbox, other.id);
  const chartOpensUnderGrant = async (): Promise<number> =>
    (await hie.search(`AuditEvent?patient=Patient/${outsider}&_count=100`)).filter((e) => {
      const text = JSON.stringify(e);
      return JSON.stringify(e['purposeOfEvent'] ?? []).includes('BTG') && !text.includes('break-the-glass-reason') && text.includes('"code":"read"') && text.includes('/device-id');
    }).length;
  await expect.poll(chartOpensUnderGrant, { timeout: 60_000 }).toBeGreaterThanOrEqual(1);

  // Someone removes the newest entry of the stored log behind the app's back: the hash chain is
  // still valid without its tail, but the head anchored outside the page is gone, so at the next
  // unlock the clinician is told.
  const cut = await page.evaluate(async () => {
    const name = (await indexedDB.databases()).map((d) => d.name ?? '').find((n) => n.endsWith('--audit'));
    if (!name) return null;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const keys = await new Promise<IDBValidKey[]>((resolve) => {
      const all = db.transaction('docs', 'readonly').objectStore('docs').getAllKeys();
      all.onsuccess = () => resolve(all.result);
    });
    const last = keys.map(String).filter((k) => /^\d{12}$/.test(k)).sort().at(-1);
    if (last === undefined) return null;
    // Cut only what the anchor already vouches for (it follows each entry within milliseconds).
    const anchoredSeq = (): number => Number((JSON.parse(localStorage.getItem('relais.web-host.audit-anchor') ?? '{}') as { seq?: number }).seq ?? 0);
    while (anchoredSeq() < Number(last)) await new Promise((r) => setTimeout(r, 20));
    await new Promise<void>((resolve) => {
      const del = db.transaction('docs', 'readwrite').objectStore('docs').delete(last);
      del.onsuccess = () => resolve();
    });
    db.close();
    return last;
  });
  expect(cut).not.toBeNull();
  await page.reload();
  await unlock(page);
  await expect(page.getByRole('alert').filter({ hasText: /journal d’accès/ })).toBeVisible();

  // Someone edits the stored log behind the app's back (one character of the first entry's sealed
  // body): at the next unlock the chain does not verify, and the clinician is told, with the entry.
  const tampered = await page.evaluate(async () => {
    const name = (await indexedDB.databases()).map((d) => d.name ?? '').find((n) => n.endsWith('--audit'));
    if (!name) return false;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const store = db.transaction('docs', 'readwrite').objectStore('docs');
    const row = await new Promise<Record<string, unknown> | undefined>((resolve) => {
      const get = store.get('000000000001');
      get.onsuccess = () => resolve(get.result as Record<string, unknown> | undefined);
    });
    if (!row || typeof row['body'] !== 'string') return false;
    const body = row['body'];
    const i = Math.floor(body.length / 2);
    const flipped = body.slice(0, i) + (body[i] === 'A' ? 'B' : 'A') + body.slice(i + 1);
    await new Promise<void>((resolve) => {
      const put = db.transaction('docs', 'readwrite').objectStore('docs').put({ ...row, body: flipped });
      put.onsuccess = () => resolve();
    });
    db.close();
    return true;
  });
  expect(tampered).toBe(true);
  await page.reload();
  await unlock(page);
  await expect(page.getByRole('alert').filter({ hasText: /journal d’accès/ })).toContainText('l’entrée 1 sur');
  await checkScreen(page, testInfo, 'access-log-tampered');
});
