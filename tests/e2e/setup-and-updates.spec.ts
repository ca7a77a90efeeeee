import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { createSessionManager } from '../../electron/auth/session';
import { sessionStoreIn } from '../../electron/auth/session-store';
import { serveDataPort } from '../../electron/ipc/data-port';
import { createHieTransport } from '../../electron/hie/hie-transport';
import { createIpcHandlers, hieTextRequest } from '../../electron/ipc/handlers';
import type { IpcHandlers } from '../../electron/ipc/register';
import { createLogger } from '../../electron/log/logger';
import { checkedPolicy } from '../../electron/policy/hie-config';
import { chooseHie, createSetupService, type PolicyReading } from '../../electron/policy/hie-setup';
import { createKeytarSecretStore } from '../../electron/secrets/keytar-store';
import { createVaultKeyService } from '../../electron/secrets/vault-keys';
import { createSettingsFile, type SettingsFile } from '../../electron/settings/settings-file';
import { createUpdateService, type UpdaterPort, type UpdateService } from '../../electron/updates/update-service';
import { setLogThreshold } from '../../sandbox/log.ts';
import { startSandbox, type Sandbox } from '../../sandbox/server.ts';
import { debUpdaterFor, feedYaml, installer, startUpdateServer } from '../support/update-server';
import { checkScreen, loginOnHie, passphrase } from './support/app';
import { bridgeToMain, dataPortRelay, serveElectronPage } from './support/electron-page';
import { control, practitioners } from './support/hie';

/**
 * A packaged Relais with no HIE (issue 16, points 4 and 1): the Electron build of the page with
 * main's own handlers (tests/e2e/support/electron-page.ts), the real sandbox as the HIE an
 * administrator enters, and electron-updater's real deb updater on a local feed.
 */
setLogThreshold('warn');
let sandbox: Sandbox;
let page$: Awaited<ReturnType<typeof serveElectronPage>>;
let feed: Awaited<ReturnType<typeof startUpdateServer>>;
test.beforeAll(async () => {
  sandbox = await startSandbox({ testMode: true, patients: 2, resourcesPerPatient: 10, practitioners: 1 });
  page$ = await serveElectronPage();
  feed = await startUpdateServer();
});
test.afterAll(async () => {
  await sandbox?.close();
  await page$?.close();
  await feed?.close();
});

const quiet = () => createLogger('test', () => undefined);
const noRestart = (): void => {
  throw new Error('main was not to restart here');
};
const secrets = createKeytarSecretStore(`Relais-e2e-${randomUUID()}`);
test.afterAll(async () => {
  for (const account of await secrets.list().catch(() => [])) await secrets.delete(account);
});

type MainParts = Readonly<{
  updates?: UpdateService;
  /** The system browser for the sign-in (none: the sign-in never comes back). */
  openBrowser?: (url: string) => Promise<void>;
  /** Data ports to the page (none: a worker gets no port). */
  relay?: Awaited<ReturnType<typeof dataPortRelay>>;
}>;

/** Main's handlers as main.ts wires them from a policy reading and the settings file: the HIE's session, transport and data ports when there is an HIE. */
async function mainFor(reading: PolicyReading, settings: SettingsFile, restart: () => void, parts: MainParts = {}): Promise<IpcHandlers> {
  const choice = chooseHie(reading, (await settings.read()).administratorHie?.fhirBase ?? null);
  const policy = choice.policy;
  const session = policy === null ? null : createSessionManager({ fhirBase: policy.fhirBase, secrets, store: sessionStoreIn(settings), openBrowser: parts.openBrowser ?? (async () => undefined), log: quiet() });
  const hie = policy === null || session === null ? null : createHieTransport({ fhirBase: policy.fhirBase, tokens: session, log: quiet() });
  const handlers: IpcHandlers = createIpcHandlers({
    appName: 'Relais',
    appVersion: '1.2.9',
    platform: 'linux',
    settings,
    secrets,
    allowedExternalOrigins: [],
    openExternal: async () => undefined,
    session,
    hie,
    vaultKeys: createVaultKeyService({ secrets }),
    openDataPort: async (ticket) => parts.relay?.(ticket, (end) => serveDataPort(end, { ...handlers, hieText: (request) => hieTextRequest(hie, request) }, quiet())),
    clearPageStorage: async () => undefined,
    setup: createSetupService({ choice, settings, restart }),
    ...(parts.updates === undefined ? {} : { updates: parts.updates }),
  });
  return handlers;
}

const settingsFile = () => createSettingsFile(join(mkdtempSync(join(tmpdir(), 'relais-e2e-setup-')), 'settings.json'));

test.describe('in French', () => {
  test.use({ locale: 'fr-FR' });

  test('no policy: the setup screen says to contact IT, and offers neither a sign-in nor a demo', async ({ page }, testInfo) => {
    const handlers = await mainFor({ policy: null }, settingsFile(), noRestart);
    await bridgeToMain(page, () => handlers);
    await page.goto(`${page$.origin}/index.html`);
    await expect(page.getByRole('heading', { level: 1, name: 'Relais n’est pas encore configuré' })).toBeVisible();
    await expect(page.getByText('Aucun échange de santé n’est configuré sur cet ordinateur.')).toBeVisible();
    await expect(page.getByText(/Contactez votre service informatique/)).toBeVisible();
    await expect(page.getByRole('button')).toHaveCount(0);
    await expect(page.getByRole('textbox')).toHaveCount(0);
    await checkScreen(page, testInfo, 'setup-contact-it');
  });

  test('a policy that is there but not valid is said so, never taken as none', async ({ page }) => {
    const handlers = await mainFor({ invalid: true }, settingsFile(), noRestart);
    await bridgeToMain(page, () => handlers);
    await page.goto(`${page$.origin}/index.html`);
    await expect(page.getByText('La configuration que votre service informatique a installée sur cet ordinateur n’est pas valide : Relais ne l’utilise pas.')).toBeVisible();
    await expect(page.getByRole('textbox')).toHaveCount(0);
  });
});

test.describe('in English', () => {
  test.use({ locale: 'en-GB' });

  test('where IT allows it, an administrator enters the HIE, sees what was found, confirms; after the restart, sign-in, and a ready update that waits for the unlock', async ({ page }, testInfo) => {
    test.setTimeout(120_000);
    const settings = settingsFile();
    const reading: PolicyReading = { policy: checkedPolicy({ allowAdminSetup: true, updates: { feedUrl: feed.feedUrl } }) };
    let restarts = 0;
    let handlers = await mainFor(reading, settings, () => void (restarts += 1));
    await bridgeToMain(page, () => handlers);
    await page.goto(`${page$.origin}/index.html`);
    await expect(page.getByRole('heading', { level: 1, name: 'Relais is not set up yet' })).toBeVisible();
    await checkScreen(page, testInfo, 'setup-admin-entry');

    const address = page.getByLabel('FHIR address of the health information exchange');
    await address.fill('http://hie.example.org/fhir');
    await page.getByRole('button', { name: 'Check the address' }).click();
    await expect(page.getByRole('alert')).toHaveText('This address is not valid: enter a full https address, without a user name or password.');
    await expect(address).toHaveAttribute('aria-invalid', 'true');

    // Keyboard only from here: the address, Enter, then the confirmation.
    await address.fill(sandbox.fhirBase);
    await address.press('Enter');
    await expect(page.getByRole('heading', { level: 2, name: 'Server found' })).toBeVisible();
    const found = page.getByRole('group', { name: 'Server found' });
    await expect(found).toContainText(sandbox.fhirBase);
    await expect(found).toContainText('Relais HIE sandbox');
    await expect(found).toContainText('4.0.1');
    await expect(found).toContainText(sandbox.issuer);
    await checkScreen(page, testInfo, 'setup-found');
    await page.getByRole('button', { name: 'Confirm and restart' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('status')).toHaveText('Relais is restarting…');
    expect(restarts).toBe(1);
    expect((await settings.read()).administratorHie?.fhirBase).toBe(sandbox.fhirBase);

    // The restart: main starts again from the same policy and settings, with the update feed's newer version ready.
    feed.routes.set('/relais/latest-linux.yml', { body: feedYaml('1.3.0') });
    feed.routes.set('/relais/Relais-1.3.0.deb', { body: installer });
    const updates = createUpdateService({ port: debUpdaterFor(feed.feedUrl).port, log: quiet() });
    expect(await updates.check()).toMatchObject({ state: 'ready', version: '1.3.0' });
    handlers = await mainFor(reading, settings, noRestart, { updates });
    await page.reload();
    await expect(page.getByRole('button', { name: 'Sign in to the health information exchange' })).toBeVisible();
    const notice = page.getByRole('status', { name: 'Relais version 1.3.0 is ready.' });
    await expect(notice).toContainText('It will be installed once Relais is unlocked and your entries are sent.');
    await expect(notice.getByRole('button')).toHaveCount(0);
    await checkScreen(page, testInfo, 'update-waits-for-unlock');
  });

  test('unlocked: the ready update says what it waits for (a sync, typed input, unsent entries) and installs only when nothing would be lost', async ({ page }, testInfo) => {
    // Sign-in in a second page as the system browser, the initial sync through main's transport and data port, then the waits.
    test.setTimeout(300_000);
    const [doctor] = await practitioners(sandbox);
    if (!doctor) throw new Error('no practitioner');
    const settings = settingsFile();
    feed.routes.set('/relais/latest-linux.yml', { body: feedYaml('1.3.0') });
    feed.routes.set('/relais/Relais-1.3.0.deb', { body: installer });
    const installs: number[] = [];
    const port: UpdaterPort = { ...debUpdaterFor(feed.feedUrl).port, installNow: () => void installs.push(Date.now()) };
    const updates = createUpdateService({ port, log: quiet() });
    expect(await updates.check()).toMatchObject({ state: 'ready', version: '1.3.0' });

    const handlers = await mainFor({ policy: checkedPolicy({ fhirBase: sandbox.fhirBase }) }, settings, noRestart, {
      updates,
      relay: await dataPortRelay(page),
      openBrowser: async (url) => {
        const browser = await page.context().newPage();
        await browser.goto(url);
        await loginOnHie(browser, doctor);
        await browser.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/callback/);
        await browser.close();
      },
    });
    await bridgeToMain(page, () => handlers);
    await page.goto(`${page$.origin}/index.html`);
    await page.getByRole('button', { name: 'Sign in to the health information exchange' }).click();
    await expect(page.getByRole('heading', { name: 'Choose your unlock passphrase' })).toBeVisible({ timeout: 30_000 });
    await page.getByLabel('Unlock passphrase', { exact: true }).fill(passphrase);
    await page.getByLabel('Confirm the passphrase').fill(passphrase);
    await expect(page.getByText('excellent', { exact: true })).toBeVisible();
    await page.getByLabel('Confirm the passphrase').press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Patient list' })).toBeVisible({ timeout: 60_000 });

    const notice = page.getByRole('status', { name: 'Relais version 1.3.0 is ready.' });
    const install = notice.getByRole('button', { name: 'Restart and install' });
    // The initial sync writes the replica: the update waits for it, then may be installed.
    await expect(page.getByRole('heading', { name: 'First sync' })).toBeHidden({ timeout: 120_000 });
    await expect(install).toBeVisible();
    await checkScreen(page, testInfo, 'update-ready-unlocked');

    // A note being typed: the update waits for it to be saved.
    const rows = page.getByRole('list', { name: 'Patients found' }).getByRole('button');
    await rows.first().click();
    await page.getByRole('tab', { name: 'Record', exact: true }).click();
    const note = page.getByLabel('Note text');
    await note.fill('Tension contrôlée, revoir dans un mois.');
    await expect(notice).toContainText('what you typed in a form to be saved');
    await expect(install).toBeHidden();
    await checkScreen(page, testInfo, 'update-waits-for-input');

    // The HIE is down: the saved note stays in the outbox, and the update waits for it to be sent.
    await control(sandbox, 'POST', 'faults', { status: 503, retryAfter: 2 });
    await page.getByRole('button', { name: 'Save the note' }).click();
    await expect(notice).toContainText('your entries to reach the health information exchange');
    await expect(notice).not.toContainText('what you typed in a form to be saved');
    await expect(install).toBeHidden();
    expect(installs).toEqual([]);

    // The HIE is back: the sync's next try sends the note, nothing is left to lose, and the clinician installs.
    await control(sandbox, 'DELETE', 'faults');
    await expect(page.getByRole('region', { name: 'Sync status' })).toContainText('No entries waiting', { timeout: 60_000 });
    await install.click();
    await expect(notice).toContainText('Relais is restarting to install the update…');
    expect(installs).toHaveLength(1);
  });
});
