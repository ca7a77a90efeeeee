import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, type TestInfo } from '@playwright/test';
import { saveScreen } from '../screens';
import type { TestPractitioner } from './hie';

/**
 * What a clinician does in Relais, in the words a screen reader uses (roles and labels), and the
 * checks every screen gets: a screenshot, and axe-core with no serious or critical violation.
 */
export const passphrase = 'Marée haute sur le sillon de Saint-Malo';

export async function checkScreen(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await saveScreen(page, testInfo, name);
  // A narrative frame holds the HIE's document, not our UI, and runs no script for axe to run in
  // (its title is checked by narrative.spec.ts).
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).exclude('iframe.narrative__frame').analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')})`), `axe on ${name}`).toEqual([]);
}

/** On the sandbox's own login page (demo mode): plain HTML, French first. */
export async function loginOnHie(page: Page, who: TestPractitioner): Promise<void> {
  await page.getByLabel(/Identifiant/).fill(who.username);
  await page.getByLabel(/Mot de passe/).fill(who.password);
  await page.getByRole('button', { name: /Se connecter/ }).click();
}

export async function firstRun(page: Page, who: TestPractitioner): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Se connecter à l’échange de santé' }).click();
  await loginOnHie(page, who);
  await expect(page.getByRole('heading', { name: 'Choisissez votre phrase de déverrouillage' })).toBeVisible();
  await page.getByLabel('Phrase de déverrouillage', { exact: true }).fill(passphrase);
  await page.getByLabel('Confirmez la phrase').fill(passphrase);
  await expect(page.getByText('excellente')).toBeVisible();
  await page.getByRole('button', { name: 'Protéger les dossiers' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Patientèle' })).toBeVisible({ timeout: 30_000 });
}

export async function unlock(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { name: 'Relais est verrouillé' })).toBeVisible();
  await page.getByLabel('Phrase de déverrouillage').fill(passphrase);
  await page.getByRole('button', { name: 'Déverrouiller' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Patientèle' })).toBeVisible({ timeout: 30_000 });
}

/**
 * Until the first complete sync has ended: the status bar names a last sync (it says "never synced"
 * until one has succeeded) and the initial-sync panel is gone. Waiting only for the panel to be
 * hidden would pass at once if the sync had not shown it yet (seen after a resumed sync).
 */
export async function waitForInitialSync(page: Page): Promise<void> {
  // Literal limits: the timing report reads them from the source (tests/tools/timings).
  await expect(syncBar(page).getByTestId('last-sync')).toHaveText(/^Dernière synchronisation/, { timeout: 60_000 });
  await expect(page.getByRole('heading', { name: 'Première synchronisation' })).toBeHidden({ timeout: 60_000 });
}

export async function openChart(page: Page, typed: string, name: string | RegExp): Promise<void> {
  await page.getByLabel('Rechercher un patient').fill(typed);
  // The search applies asynchronously: wait until every row shown is a match, so the click cannot
  // land on a row of the unfiltered list that is about to go (seen on a loaded machine).
  const rows = page.getByRole('list', { name: 'Patients', exact: true }).getByRole('button');
  const pattern = typeof name === 'string' ? new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : name;
  await expect(rows.filter({ hasNotText: pattern })).toHaveCount(0);
  await rows.filter({ hasText: pattern }).first().click();
  await expect(page.getByRole('region', { name: 'Allergies du patient' })).toBeVisible();
}

export const syncBar = (page: Page) => page.getByRole('region', { name: 'État de la synchronisation' });
