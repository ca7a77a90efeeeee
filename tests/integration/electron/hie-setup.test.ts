/**
 * A packaged Relais with no HIE (issue 16, point 4): what it shows, and the administrator's setup
 * where IT's policy allows it, discovered against the real sandbox (its CapabilityStatement, its
 * SMART configuration and its OpenID provider over HTTP) and against servers that are not an HIE.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseHie, createSetupService, discoverHie } from '../../../electron/policy/hie-setup';
import { checkedPolicy } from '../../../electron/policy/hie-config';
import { createSettingsFile } from '../../../electron/settings/settings-file';
import type { Sandbox } from '../../../sandbox/server';
import { startTestSandbox } from '../sandbox/support';

let sandbox: Sandbox;
let impostor: Server;
let impostorBase = '';
/** What the impostor answers, by path. */
const answers = new Map<string, { status?: number; type?: string; body: string; location?: string }>();

beforeAll(async () => {
  sandbox = await startTestSandbox({ patients: 2, resourcesPerPatient: 10, practitioners: 1 });
  impostor = createServer((request, response) => {
    const answer = answers.get(new URL(request.url ?? '/', 'http://localhost').pathname);
    if (answer === undefined) response.writeHead(404).end();
    else response.writeHead(answer.status ?? 200, { 'content-type': answer.type ?? 'application/fhir+json', ...(answer.location === undefined ? {} : { location: answer.location }) }).end(answer.body);
  });
  await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
  impostorBase = `http://127.0.0.1:${(impostor.address() as AddressInfo).port}/fhir`;
}, 120_000);
afterAll(async () => {
  await sandbox?.close();
  await new Promise((resolve) => impostor.close(resolve));
});

const r4 = JSON.stringify({ resourceType: 'CapabilityStatement', status: 'active', kind: 'instance', fhirVersion: '4.0.1', format: ['json'] });

describe('which HIE, or which setup screen', () => {
  const allowing = checkedPolicy({ allowAdminSetup: true });

  it('IT’s fhirBase always; else the address an administrator confirmed, only while IT allows setup; else the setup screen', () => {
    const withHie = checkedPolicy({ fhirBase: 'https://hie.example.org/fhir', allowAdminSetup: true });
    expect(chooseHie({ policy: withHie }, 'https://elsewhere.example/fhir')).toMatchObject({ policy: { fhirBase: 'https://hie.example.org/fhir' }, setup: { state: 'ready' } });
    expect(chooseHie({ policy: allowing }, null)).toEqual({ policy: null, setup: { state: 'admin-entry' } });
    expect(chooseHie({ policy: allowing }, 'https://hie.example.org/fhir')).toMatchObject({ policy: { fhirBase: 'https://hie.example.org/fhir' }, setup: { state: 'ready' } });
    // IT withdrew the permission: the address kept earlier is not used.
    expect(chooseHie({ policy: checkedPolicy({ idleLockMaxMinutes: 30 }) }, 'https://hie.example.org/fhir')).toEqual({ policy: null, setup: { state: 'contact-it', reason: 'not-configured' } });
    expect(chooseHie({ policy: null }, 'https://hie.example.org/fhir')).toEqual({ policy: null, setup: { state: 'contact-it', reason: 'not-configured' } });
    expect(chooseHie({ invalid: true }, 'https://hie.example.org/fhir')).toEqual({ policy: null, setup: { state: 'contact-it', reason: 'invalid-policy' } });
  });

  it('a policy naming no HIE is still checked whole (an unsafe source list is refused)', () => {
    expect(() => checkedPolicy({ allowAdminSetup: true, sources: [{ id: 'ch-b', label: 'CH B', fhirBase: 'http://fhir.ch-b.example.fr/r4' }] })).toThrow();
    expect(() => checkedPolicy({ allowAdminSetup: 'yes' })).toThrow();
  });
});

describe('discovering the HIE at an address entered', () => {
  it('finds the sandbox: a FHIR R4 server, its software, and the identity provider clinicians will sign in with', async () => {
    const found = await discoverHie(` ${sandbox.fhirBase}/ `);
    expect(found).toEqual({
      fhirBase: sandbox.fhirBase,
      name: expect.stringContaining('Relais HIE sandbox') as unknown as string,
      software: expect.stringContaining('Medplum') as unknown as string,
      fhirVersion: '4.0.1',
      identityProvider: sandbox.issuer,
    });
  });

  it('refuses an address that is not https (http only on this computer), or carries credentials, a query or nothing', async () => {
    for (const address of ['hie.example.org/fhir', 'ftp://hie.example.org/fhir', 'http://hie.example.org/fhir', 'https://user:pw@hie.example.org/fhir', 'https://hie.example.org/fhir?x=1', 'javascript:alert(1)', '']) {
      await expect(discoverHie(address), address).rejects.toMatchObject({ code: 'SETUP_ADDRESS_INVALID' });
    }
  });

  it('says nothing answers where nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(discoverHie(`http://127.0.0.1:${port}/fhir`)).rejects.toMatchObject({ code: 'SETUP_UNREACHABLE' });
  });

  it('says what answers is not a FHIR R4 server: a web page, another FHIR version, an error, a redirect', async () => {
    for (const answer of [
      { type: 'text/html', body: '<html><body>Intranet</body></html>' },
      { body: JSON.stringify({ resourceType: 'CapabilityStatement', fhirVersion: '3.0.2' }) },
      { body: JSON.stringify({ resourceType: 'Patient', id: 'p1' }) },
      { status: 500, body: r4 },
      // A redirect to a real HIE's metadata: the address entered is not that HIE's base.
      { status: 302, body: '', location: `${sandbox.fhirBase}/metadata` },
    ]) {
      answers.set('/fhir/metadata', answer);
      await expect(discoverHie(impostorBase), JSON.stringify(answer).slice(0, 80)).rejects.toMatchObject({ code: 'SETUP_NOT_FHIR' });
    }
  });

  it('says a FHIR R4 server without a usable SMART sign-in cannot be used: none, no PKCE, or a provider that names other endpoints', async () => {
    answers.set('/fhir/metadata', { body: r4 });
    answers.delete('/fhir/.well-known/smart-configuration');
    await expect(discoverHie(impostorBase)).rejects.toMatchObject({ code: 'SETUP_NO_SIGN_IN' });
    const smart = { issuer: sandbox.issuer, authorization_endpoint: `${sandbox.issuer}/auth`, token_endpoint: `${sandbox.issuer}/token`, code_challenge_methods_supported: ['plain'] };
    answers.set('/fhir/.well-known/smart-configuration', { type: 'application/json', body: JSON.stringify(smart) });
    await expect(discoverHie(impostorBase)).rejects.toMatchObject({ code: 'SETUP_NO_SIGN_IN' });
    // The sandbox's provider, but the impostor's own endpoints: the provider does not agree.
    const own = { ...smart, code_challenge_methods_supported: ['S256'], authorization_endpoint: `${impostorBase}/authorize` };
    answers.set('/fhir/.well-known/smart-configuration', { type: 'application/json', body: JSON.stringify(own) });
    await expect(discoverHie(impostorBase)).rejects.toMatchObject({ code: 'SETUP_NO_SIGN_IN' });
  });
});

describe('the administrator’s setup', () => {
  const settingsFile = () => createSettingsFile(join(mkdtempSync(join(tmpdir(), 'relais-setup-')), 'settings.json'));

  it('where IT allows it: keeps the confirmed address, discovered again, and restarts; at the next start it is the HIE', async () => {
    const settings = settingsFile();
    const reading = { policy: checkedPolicy({ allowAdminSetup: true, offlineLeaseDays: 7 }) };
    let restarts = 0;
    const setup = createSetupService({ choice: chooseHie(reading, null), settings, restart: () => void (restarts += 1), now: () => new Date('2026-12-05T09:00:00Z') });
    expect(setup.state()).toEqual({ state: 'admin-entry' });
    // A failed confirmation keeps nothing and does not restart.
    await expect(setup.confirm('https://nothing.invalid/fhir')).rejects.toMatchObject({ code: 'SETUP_UNREACHABLE' });
    expect((await settings.read()).administratorHie).toBeNull();
    expect(restarts).toBe(0);
    await setup.confirm(`${sandbox.fhirBase}/`);
    expect((await settings.read()).administratorHie).toEqual({ fhirBase: sandbox.fhirBase, confirmedAt: '2026-12-05T09:00:00.000Z' });
    expect(restarts).toBe(1);
    const next = chooseHie(reading, (await settings.read()).administratorHie?.fhirBase ?? null);
    expect(next).toMatchObject({ setup: { state: 'ready' }, policy: { fhirBase: sandbox.fhirBase, offlineLeaseDays: 7 } });
  });

  it('where IT does not allow it, or an HIE is set: nothing is discovered, nothing kept', async () => {
    for (const choice of [chooseHie({ policy: null }, null), chooseHie({ invalid: true }, null), chooseHie({ policy: checkedPolicy({ fhirBase: sandbox.fhirBase }) }, null)]) {
      const path = join(mkdtempSync(join(tmpdir(), 'relais-setup-')), 'settings.json');
      const setup = createSetupService({ choice, settings: createSettingsFile(path), restart: () => expect.unreachable() });
      await expect(setup.discover(sandbox.fhirBase)).rejects.toMatchObject({ code: 'SETUP_NOT_ALLOWED' });
      await expect(setup.confirm(sandbox.fhirBase)).rejects.toMatchObject({ code: 'SETUP_NOT_ALLOWED' });
      expect(() => readFileSync(path)).toThrow();
    }
  });
});
