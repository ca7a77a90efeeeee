/**
 * Another FHIR source signed in to from main (issue 15): two sandboxes (the HIE, and a hospital that
 * holds some of the same patients), their real OpenID providers, Debian's Chromium playing the
 * system browser, the real keychain, a real settings file. The IPC handlers are main's own
 * (electron/ipc/handlers.ts); only Electron's IPC plumbing, which cannot run here, is left out.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionManager, refreshTokenAccount } from '../../../electron/auth/session';
import { createSourceServices, sourceAccounts, type SourceServices } from '../../../electron/sources/source-services';
import { desktopClientId } from '../../../electron/auth/smart-login';
import { createHieTransport } from '../../../electron/hie/hie-transport';
import { CodedError } from '../../../electron/ipc/coded-error';
import { createIpcHandlers, sourcePortHandlers } from '../../../electron/ipc/handlers';
import type { IpcHandlers } from '../../../electron/ipc/register';
import type { Logger } from '../../../electron/log/logger';
import { deviceSecretAccount } from '../../../electron/secrets/device-secret';
import { createKeytarSecretStore } from '../../../electron/secrets/keytar-store';
import { createVaultKeyService } from '../../../electron/secrets/vault-keys';
import { createSettingsFile } from '../../../electron/settings/settings-file';
import { sessionStoreIn } from '../../../electron/auth/session-store';
import { nextLink } from '../../../shared/audit/chain';
import type { WebCrypto } from '../../../shared/crypto/webcrypto';
import { readOnlySourceScope, sourcesFrom } from '../../../shared/exchange/source-policy';
import { ipcContract } from '../../../shared/ipc/contract';
import { setLogThreshold } from '../../../sandbox/log.ts';
import type { Sandbox } from '../../../sandbox/server.ts';
import { startTwinSandboxes } from '../sandbox/support';

setLogThreshold('warn');
const chromiumArgs = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];
const log: Logger = { info: () => {}, warn: () => {}, error: () => {} };
const day = 86_400_000;

let hie: Sandbox;
let hospital: Sandbox;
let browser: Browser;

beforeAll(async () => {
  ({ hie, hospital } = await startTwinSandboxes({ patients: 4, resourcesPerPatient: 10, practitioners: 1 }));
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await hie?.close();
  await hospital?.close();
});

const clinicianAt = (sandbox: Sandbox) => sandbox.practitioners[0] as (typeof sandbox.practitioners)[number] & { password: string };

/** The "system browser": signs in on whichever provider the URL names, follows the redirect home. */
async function browserSignsIn(url: string, at: Sandbox, opened: string[]): Promise<void> {
  opened.push(url);
  const page = await browser.newPage();
  try {
    await page.goto(url);
    await page.getByLabel(/Identifiant/).fill(clinicianAt(at).username);
    await page.getByLabel(/Mot de passe/).fill(clinicianAt(at).password);
    await page.getByRole('button', { name: /Se connecter/ }).click();
    await page.waitForURL(/127\.0\.0\.1:\d+\/callback/);
  } finally {
    await page.close();
  }
}

/** Main as main.ts wires it, on a fresh keychain service and settings file, with a clock the test moves. */
function mainWith(options: { offlineLeaseDays?: number; fetch?: typeof fetch } = {}) {
  const secrets = createKeytarSecretStore(`Relais-test-${randomUUID()}`);
  const settings = createSettingsFile(join(mkdtempSync(join(tmpdir(), 'relais-sources-')), 'settings.json'));
  const clock = { now: Date.now() };
  const opened: string[] = [];
  const sources = sourcesFrom({ fhirBase: hie.fhirBase, label: 'HIE' }, [
    { id: 'ch-sud', label: 'CH Sud', fhirBase: hospital.fhirBase, ...(options.offlineLeaseDays === undefined ? {} : { offlineLeaseDays: options.offlineLeaseDays }) },
  ]);
  const services = createSourceServices({
    sources,
    secrets,
    settings,
    openBrowser: (url) => browserSignsIn(url, hospital, opened),
    log,
    now: () => clock.now,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  const session = createSessionManager({ fhirBase: hie.fhirBase, secrets, log, store: sessionStoreIn(settings), openBrowser: (url) => browserSignsIn(url, hie, opened), now: () => clock.now });
  const portsOpened: Array<{ services: SourceServices; ticket: string }> = [];
  const handlers: IpcHandlers = createIpcHandlers({
    appName: 'Relais',
    appVersion: '0',
    platform: 'linux',
    settings,
    secrets,
    allowedExternalOrigins: [],
    openExternal: async () => undefined,
    session,
    hie: createHieTransport({ fhirBase: hie.fhirBase, tokens: session, log }),
    vaultKeys: createVaultKeyService({ secrets }),
    openDataPort: async () => undefined,
    clearPageStorage: async () => undefined,
    sources: services,
    openSourceDataPort: async (source, ticket) => void portsOpened.push({ services: source, ticket }),
    now: () => clock.now,
  });
  const chSud = services.get('ch-sud') as SourceServices;
  const cleanUp = async () => {
    for (const account of await secrets.list()) await secrets.delete(account);
  };
  return { secrets, settings, clock, opened, handlers, chSud, portsOpened, cleanUp };
}

const codeOf = async (work: Promise<unknown>): Promise<string> =>
  work.then(
    () => 'resolved',
    (error: unknown) => (error instanceof CodedError ? error.code : String(error)),
  );

const fhirBody = (answer: { body: unknown }) => answer.body as { resourceType: string; entry?: Array<{ resource: { resourceType: string; id: string } }> };

describe('another FHIR source signed in to from main', { timeout: 90_000 }, () => {
  it('signs in at that source’s own provider with the read-only scope; its token reaches that server alone; the HIE stays signed out', async () => {
    const main = mainWith();
    try {
      expect(await main.handlers.getSources(undefined)).toEqual([{ id: 'ch-sud', label: 'CH Sud', fhirBase: hospital.fhirBase }]);
      expect(await main.handlers.getSourceSession({ source: 'ch-sud' })).toBeNull();
      // Not signed in there yet: the request carries no token and the source refuses it.
      expect((await main.handlers.sourceHieRequest({ source: 'ch-sud', request: { method: 'GET', target: 'Patient' } })).status).toBe(401);

      const who = await main.handlers.signInSource({ source: 'ch-sud' });
      expect(who).toEqual({ practitioner: `Practitioner/${clinicianAt(hospital).id}`, fhirBase: hospital.fhirBase });
      expect(ipcContract.signInSource.response.safeParse(who).success).toBe(true);
      const asked = new URL(main.opened[0] as string);
      expect(asked.origin).toBe(new URL(hospital.issuer).origin);
      expect(asked.searchParams.get('scope')).toBe(readOnlySourceScope);
      expect(asked.searchParams.get('client_id')).toBe(desktopClientId);

      // Its records, from the hospital, through main's transport for that source.
      const patients = fhirBody(await main.handlers.sourceHieRequest({ source: 'ch-sud', request: { method: 'GET', target: 'Patient?_count=50' } }));
      const urls = (patients.entry ?? []).map((entry) => (entry as { fullUrl?: string }).fullUrl ?? '');
      expect(urls.length).toBeGreaterThan(0);
      for (const url of urls) expect(url.startsWith(`${hospital.fhirBase}/Patient/`)).toBe(true);
      // Read only: a write through that source's token is refused by its server.
      const write = await main.handlers.sourceHieRequest({ source: 'ch-sud', request: { method: 'POST', target: 'Observation', headers: { 'content-type': 'application/fhir+json' }, body: { resourceType: 'Observation', status: 'final', code: { text: 'x' } } } });
      expect(write.status).toBe(403);

      // The refresh token sits under that source's account, bound to its provider and server; nothing under the HIE's.
      const stored = JSON.parse((await main.secrets.get(sourceAccounts('ch-sud').refreshToken)) ?? '{}') as { issuer?: string; fhirBase?: string };
      expect(stored).toMatchObject({ issuer: hospital.issuer, fhirBase: hospital.fhirBase });
      expect(await main.secrets.get(refreshTokenAccount)).toBeNull();
      expect(await main.handlers.getSession(undefined)).toBeNull();
      expect((await main.handlers.hieRequest({ method: 'GET', target: 'Patient' })).status).toBe(401);
      const settings = await main.settings.read();
      expect(settings.session).toBeNull();
      expect(settings.sources).toEqual({ 'ch-sud': who });
      expect(await main.handlers.getSourceSession({ source: 'ch-sud' })).toEqual(who);
    } finally {
      await main.cleanUp();
    }
  });

  it('refuses a source the policy does not name, and the primary under a source’s channels', async () => {
    const main = mainWith();
    for (const source of ['nope', 'primary']) {
      expect(await codeOf(main.handlers.signInSource({ source }))).toBe('SOURCE_UNKNOWN');
      expect(await codeOf(main.handlers.sourceHieRequest({ source, request: { method: 'GET', target: 'Patient' } }))).toBe('SOURCE_UNKNOWN');
      expect(await codeOf(main.handlers.openSourceDataPort({ source, ticket: 'A'.repeat(22) }))).toBe('SOURCE_UNKNOWN');
      expect(await codeOf(main.handlers.getSourceLease({ source }))).toBe('SOURCE_UNKNOWN');
    }
    expect(main.portsOpened).toEqual([]);
    await main.handlers.openSourceDataPort({ source: 'ch-sud', ticket: 'A'.repeat(22) });
    expect(main.portsOpened.map((p) => [p.services.source.id, p.ticket])).toEqual([['ch-sud', 'A'.repeat(22)]]);
  });

  it('keeps each source’s offline lease: its own days, renewed by a refresh online, refused offline once past, and against a clock set back', async () => {
    const main = mainWith({ offlineLeaseDays: 3 });
    try {
      expect(await main.handlers.getSourceLease({ source: 'ch-sud' })).toEqual({ holds: false }); // never signed in
      await main.handlers.signInSource({ source: 'ch-sud' });
      expect(await main.handlers.getSourceLease({ source: 'ch-sud' })).toEqual({ holds: true });
      main.clock.now += 4 * day;
      // Past its 3 days, online: one refresh at that source renews it.
      expect(await main.handlers.getSourceLease({ source: 'ch-sud' })).toEqual({ holds: true });

      // The same keychain and settings, offline: past the lease again, nothing renews it.
      const offline = createSourceServices({
        sources: sourcesFrom({ fhirBase: hie.fhirBase, label: 'HIE' }, [{ id: 'ch-sud', label: 'CH Sud', fhirBase: hospital.fhirBase, offlineLeaseDays: 3 }]),
        secrets: main.secrets,
        settings: main.settings,
        openBrowser: async () => undefined,
        log,
        now: () => main.clock.now,
        fetch: async () => {
          throw new TypeError('fetch failed');
        },
      }).get('ch-sud') as SourceServices;
      main.clock.now += 2 * day;
      expect(await offline.leaseHolds()).toBe(true);
      main.clock.now += 2 * day;
      expect(await offline.leaseHolds()).toBe(false);
      // A clock set back into the window does not revive it.
      main.clock.now -= 3 * day;
      expect(await offline.leaseHolds()).toBe(false);
      // The primary's lease is another stamp: this source's renewals never touched it.
      expect(await main.secrets.get('last-online-auth')).toBeNull();
    } finally {
      await main.cleanUp();
    }
  });

  it('its data port: HIE requests to that source, its own anchor, and a wipe order that forgets that source only (the device secret and the HIE’s session stay)', async () => {
    const main = mainWith();
    try {
      await main.handlers.signIn(undefined);
      const sourceWho = await main.handlers.signInSource({ source: 'ch-sud' });
      await main.handlers.newVaultSalt(undefined); // the device secret exists from here
      const deviceSecret = await main.secrets.get(deviceSecretAccount);
      expect(deviceSecret).not.toBeNull();
      const port = sourcePortHandlers(main.chSud);

      const answer = await port.hieText({ method: 'GET', target: 'Patient?_count=50' });
      expect(answer.status).toBe(200);
      const viaPort = (JSON.parse(answer.text) as { entry?: Array<{ resource: { id: string } }> }).entry?.map((e) => e.resource.id).sort();
      const viaChannel = fhirBody(await main.handlers.sourceHieRequest({ source: 'ch-sud', request: { method: 'GET', target: 'Patient?_count=50' } })).entry?.map((e) => e.resource.id).sort();
      expect(viaPort).toEqual(viaChannel);

      // Each replica's audit chain has its own anchor.
      const crypto = globalThis.crypto as unknown as WebCrypto;
      const link = await nextLink(crypto, null, { resourceType: 'AuditEvent', id: 'a1' } as never);
      const link2 = await nextLink(crypto, link, { resourceType: 'AuditEvent', id: 'a2' } as never);
      await port.anchorAudit({ replica: 'relais-00000000000000b1', links: [link, link2] as never });
      expect(await port.getAuditAnchor(undefined)).toMatchObject({ replica: 'relais-00000000000000b1', seq: 2 });
      expect(await main.handlers.getAuditAnchor(undefined)).toBeNull();
      await main.handlers.anchorAudit({ replica: 'relais-00000000000000a1', links: [link] as never });
      expect(await main.handlers.getSourceAuditAnchor({ source: 'ch-sud' })).toMatchObject({ replica: 'relais-00000000000000b1', seq: 2 });
      // A link that does not continue that source's chain is refused there.
      expect(await codeOf(port.anchorAudit({ replica: 'relais-00000000000000b1', links: [link2] as never }))).toBe('resolved'); // already anchored: sent again
      const stray = await nextLink(crypto, null, { resourceType: 'AuditEvent', id: 'x' } as never);
      expect(await codeOf(port.anchorAudit({ replica: 'relais-00000000000000b1', links: [{ ...stray, seq: 3 }] as never }))).toBe('AUDIT_ANCHOR_REFUSED');

      // The source's wipe order, through its port.
      const token = (JSON.parse((await main.secrets.get(sourceAccounts('ch-sud').refreshToken)) as string) as { token: string }).token;
      expect(await port.eraseDeviceSecrets(undefined)).toBeNull();
      expect(await port.eraseLocalData(undefined)).toBeNull();
      expect(await main.secrets.get(sourceAccounts('ch-sud').refreshToken)).toBeNull();
      expect(await main.secrets.get(sourceAccounts('ch-sud').lease)).toBeNull();
      expect(await main.handlers.getSourceSession({ source: 'ch-sud' })).toBeNull();
      // Revoked at that source's provider: the token is dead there.
      const configuration = (await (await fetch(`${hospital.issuer}/.well-known/openid-configuration`)).json()) as { token_endpoint: string };
      const reused = await fetch(configuration.token_endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token, client_id: desktopClientId }),
      });
      expect(reused.status).toBe(400);
      // Untouched: the device secret, the HIE's session and refresh token, the HIE's anchor.
      expect(await main.secrets.get(deviceSecretAccount)).toBe(deviceSecret);
      expect(await main.secrets.get(refreshTokenAccount)).not.toBeNull();
      expect(await main.handlers.getSession(undefined)).toMatchObject({ practitioner: `Practitioner/${clinicianAt(hie).id}` });
      expect(await main.handlers.getAuditAnchor(undefined)).toMatchObject({ replica: 'relais-00000000000000a1', seq: 1 });
      expect(sourceWho.fhirBase).toBe(hospital.fhirBase);
    } finally {
      await main.cleanUp();
    }
  });

  it('the device wipe removes every source’s accounts, a source the policy no longer names included', async () => {
    const main = mainWith();
    try {
      await main.handlers.signInSource({ source: 'ch-sud' });
      await main.secrets.set('refresh-token@old-source', '{"v":1}');
      await main.secrets.set('audit-anchor@old-source', '{}');
      await main.handlers.eraseDeviceSecrets(undefined);
      expect((await main.secrets.list()).filter((account) => account.includes('@'))).toEqual([]);
      expect((await main.settings.read()).sources).toEqual({});
      expect(await main.handlers.getSourceSession({ source: 'ch-sud' })).toBeNull();
    } finally {
      await main.cleanUp();
    }
  });
});
