/**
 * Sign-in in main (RFC 8252) against the sandbox's real OpenID provider, with Debian's Chromium
 * driven by Playwright playing the system browser. No test double: real discovery, real login
 * page, real tokens, the real keychain for the refresh token.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSessionManager, lastOnlineAuthAccount, refreshTokenAccount, type SessionInfo } from '../../../../electron/auth/session';
import { discoverSmartServer } from '../../../../electron/auth/smart-discovery';
import { authorizationRequest, completeSignIn, desktopClientId, defaultScope, signIn } from '../../../../electron/auth/smart-login';
import { openLoopbackRedirect } from '../../../../electron/auth/loopback-redirect';
import type { Logger } from '../../../../electron/log/logger';
import { createKeytarSecretStore } from '../../../../electron/secrets/keytar-store';
import { setLogThreshold } from '../../../../sandbox/log.ts';
import { startSandbox, type Sandbox } from '../../../../sandbox/server.ts';

setLogThreshold('warn');
const chromiumArgs = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];
const log: Logger = { info: () => {}, warn: () => {}, error: () => {} };

let sandbox: Sandbox;
let browser: Browser;

beforeAll(async () => {
  sandbox = await startSandbox({ patients: 4, resourcesPerPatient: 10, practitioners: 2, referenceDate: '2026-11-28' });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
});
afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
});

const demo = () => sandbox.practitioners[0] as (typeof sandbox.practitioners)[number] & { password: string };

/** The "system browser": opens the URL, signs in on the provider's page, follows the redirect home. */
async function browserSignsIn(url: string): Promise<void> {
  const page = await browser.newPage();
  await page.goto(url);
  await page.getByLabel(/Identifiant/).fill(demo().username);
  await page.getByLabel(/Mot de passe/).fill(demo().password);
  await page.getByRole('button', { name: /Se connecter/ }).click();
  await page.waitForURL(/127\.0\.0\.1:\d+\/callback/);
  await page.close();
}

/** Drives a sign-in up to the browser's return, without exchanging the code. */
async function callbackFor(server: Awaited<ReturnType<typeof discoverSmartServer>>) {
  const redirect = await openLoopbackRedirect(60_000);
  const pending = await authorizationRequest(server, desktopClientId, defaultScope, redirect.redirectUri);
  await browserSignsIn(pending.url.href);
  const callback = await redirect.callback;
  redirect.close();
  return { pending, callback };
}

describe('SMART sign-in in main', () => {
  it('discovers the provider from the FHIR base and signs in through the system browser and a loopback redirect', async () => {
    const server = await discoverSmartServer(sandbox.fhirBase);
    expect(server.as.issuer).toBe(sandbox.issuer);
    let opened = '';
    const result = await signIn({ server, openBrowser: async (url) => { opened = url; await browserSignsIn(url); } });
    const url = new URL(opened);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(url.searchParams.get('state')).toHaveLength(43);
    expect(url.searchParams.get('nonce')).toHaveLength(43);
    expect(result.fhirUser).toBe(`Practitioner/${demo().id}`);
    expect(result.refreshToken).not.toBeNull();
    const fhir = await fetch(`${sandbox.fhirBase}/Patient?_count=1`, { headers: { authorization: `Bearer ${result.accessToken}` } });
    expect(fhir.status).toBe(200);
  });

  it('refuses a callback whose state does not match (CSRF / mix-up)', async () => {
    const server = await discoverSmartServer(sandbox.fhirBase);
    const { pending, callback } = await callbackFor(server);
    await expect(completeSignIn(server, desktopClientId, { ...pending, state: 'another-request' }, callback)).rejects.toMatchObject({ code: 'STATE_MISMATCH' });
    const forged = new URL(callback);
    forged.searchParams.set('state', 'forged');
    await expect(completeSignIn(server, desktopClientId, pending, forged)).rejects.toMatchObject({ code: 'STATE_MISMATCH' });
  });

  it('refuses a replayed callback (the code is single-use)', async () => {
    const server = await discoverSmartServer(sandbox.fhirBase);
    const { pending, callback } = await callbackFor(server);
    await expect(completeSignIn(server, desktopClientId, pending, callback)).resolves.toMatchObject({ fhirUser: `Practitioner/${demo().id}` });
    await expect(completeSignIn(server, desktopClientId, pending, callback)).rejects.toMatchObject({ code: 'TOKEN_EXCHANGE_FAILED' });
  });

  it('refuses the exchange without the right PKCE verifier', async () => {
    const server = await discoverSmartServer(sandbox.fhirBase);
    const first = await callbackFor(server);
    await expect(completeSignIn(server, desktopClientId, { ...first.pending, codeVerifier: 'x'.repeat(43) }, first.callback)).rejects.toMatchObject({ code: 'TOKEN_EXCHANGE_FAILED' });
    const second = await callbackFor(server);
    await expect(completeSignIn(server, desktopClientId, { ...second.pending, codeVerifier: '' }, second.callback)).rejects.toMatchObject({ code: 'TOKEN_EXCHANGE_FAILED' });
  });

  it('refuses tokens from an issuer other than the one discovered', async () => {
    const server = await discoverSmartServer(sandbox.fhirBase);
    const { pending, callback } = await callbackFor(server);
    const impostor = { ...server, as: { ...server.as, issuer: `${sandbox.url}/evil` } };
    const error = await completeSignIn(impostor, desktopClientId, pending, callback).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ISSUER_MISMATCH' });
  });

  it('refuses an HIE whose SMART configuration names an issuer the provider does not confirm', async () => {
    const smart = (await (await fetch(`${sandbox.fhirBase}/.well-known/smart-configuration`)).json()) as Record<string, unknown>;
    let fake: Server | null = null;
    fake = createServer((req, res) => {
      const port = (fake?.address() as AddressInfo).port;
      if (req.url === '/fhir/.well-known/smart-configuration') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...smart, issuer: `http://127.0.0.1:${port}/oidc` }));
      } else if (req.url === '/oidc/.well-known/openid-configuration') {
        void fetch(`${sandbox.issuer}/.well-known/openid-configuration`).then(async (r) => res.writeHead(200, { 'content-type': 'application/json' }).end(await r.text()));
      } else res.writeHead(404).end();
    });
    await new Promise<void>((r) => fake?.listen(0, '127.0.0.1', r));
    const port = (fake.address() as AddressInfo).port;
    await expect(discoverSmartServer(`http://127.0.0.1:${port}/fhir`)).rejects.toMatchObject({ code: 'ISSUER_MISMATCH' });
    await new Promise<void>((r) => fake?.close(() => r()));
  });
});

describe('the provider’s endpoints main will open', () => {
  it('refuses an authorization endpoint that is not https (or loopback http): file:, javascript:, a custom scheme, plain http elsewhere', async () => {
    const smart = (await (await fetch(`${sandbox.fhirBase}/.well-known/smart-configuration`)).json()) as Record<string, unknown>;
    const openid = (await (await fetch(`${sandbox.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    for (const endpoint of ['file:///etc/passwd', 'javascript:alert(1)', 'ms-settings:privacy', 'http://login.hie.example/authorize']) {
      let fake: Server | null = null;
      fake = createServer((req, res) => {
        const issuer = `http://127.0.0.1:${(fake?.address() as AddressInfo).port}/oidc`;
        if (req.url === '/fhir/.well-known/smart-configuration') {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...smart, issuer, authorization_endpoint: endpoint }));
        } else if (req.url === '/oidc/.well-known/openid-configuration') {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...openid, issuer, authorization_endpoint: endpoint }));
        } else res.writeHead(404).end();
      });
      await new Promise<void>((r) => fake?.listen(0, '127.0.0.1', r));
      const port = (fake.address() as AddressInfo).port;
      await expect(discoverSmartServer(`http://127.0.0.1:${port}/fhir`), endpoint).rejects.toMatchObject({ code: 'DISCOVERY_FAILED' });
      await new Promise<void>((r) => fake?.close(() => r()));
    }
  });
});

describe('session in main: refresh token only in the keychain', () => {
  it('keeps the refresh token in the OS keychain, refreshes silently, and forgets a revoked one', async () => {
    const secrets = createKeytarSecretStore(`Relais-test-${randomUUID()}`);
    let saved: SessionInfo | null = null;
    const session = createSessionManager({
      fhirBase: sandbox.fhirBase, secrets, log,
      store: { load: async () => saved, save: async (s) => { saved = s; } },
      openBrowser: browserSignsIn,
    });
    expect(await session.current()).toBeNull();
    const info = await session.signIn();
    expect(info).toEqual({ practitioner: `Practitioner/${demo().id}`, fhirBase: sandbox.fhirBase });
    const first = session.accessToken();
    expect(first).not.toBeNull();
    const stored = await secrets.get(refreshTokenAccount);
    expect(stored).not.toBeNull();
    // The offline lease starts at this online authentication.
    const confirmed = (JSON.parse((await secrets.get(lastOnlineAuthAccount)) ?? '{}') as { lastOnlineAuth: number }).lastOnlineAuth;
    expect(Math.abs(Date.now() - confirmed)).toBeLessThan(60_000);
    expect(JSON.stringify(saved)).not.toContain(stored as string);
    expect(await session.refresh()).toBe(true);
    expect(session.accessToken()).not.toBe(first);
    expect(await session.current()).toEqual(info);

    // The provider revokes the refresh token (IT disabled the account): the next refresh fails and forgets it.
    const revocation = (await (await fetch(`${sandbox.issuer}/.well-known/openid-configuration`)).json()) as { revocation_endpoint: string };
    const revoked = await fetch(revocation.revocation_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: (JSON.parse((await secrets.get(refreshTokenAccount)) as string) as { token: string }).token, client_id: desktopClientId }),
    });
    expect(revoked.status).toBe(200);
    expect(await session.refresh()).toBe(false);
    expect(await secrets.get(refreshTokenAccount)).toBeNull();
    await session.signOut();
    expect(await secrets.get(refreshTokenAccount)).toBeNull();
    expect(session.accessToken()).toBeNull();
    expect(await session.refresh()).toBe(false);
    expect(await session.current()).toBeNull();
  });
});

describe('the refresh token is bound to its issuer', () => {
  it('an HIE address changed to another server (loopback, consistent discovery) never receives the refresh token', async () => {
    const secrets = createKeytarSecretStore(`Relais-test-${randomUUID()}`);
    let saved: SessionInfo | null = null;
    const store = { load: async () => saved, save: async (s: SessionInfo | null) => { saved = s; } };
    const genuine = createSessionManager({ fhirBase: sandbox.fhirBase, secrets, log, store, openBrowser: browserSignsIn });
    await genuine.signIn();
    const token = (JSON.parse((await secrets.get(refreshTokenAccount)) as string) as { token: string; issuer: string }).token;
    expect(token.length).toBeGreaterThan(10);

    // The attack: the HIE address now points at a server of the attacker's, with its own consistent provider.
    const smart = (await (await fetch(`${sandbox.fhirBase}/.well-known/smart-configuration`)).json()) as Record<string, unknown>;
    const openid = (await (await fetch(`${sandbox.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    const received: string[] = [];
    let fake: Server | null = null;
    fake = createServer((req, res) => {
      const origin = `http://127.0.0.1:${(fake?.address() as AddressInfo).port}`;
      const endpoints = { issuer: `${origin}/oidc`, token_endpoint: `${origin}/oidc/token`, authorization_endpoint: `${origin}/oidc/auth` };
      let body = '';
      req.on('data', (chunk: Buffer) => { body += chunk.toString(); });
      req.on('end', () => {
        received.push(`${req.method} ${req.url} ${body}`);
        if (req.url === '/fhir/.well-known/smart-configuration') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...smart, ...endpoints }));
        else if (req.url === '/oidc/.well-known/openid-configuration') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...openid, ...endpoints }));
        else res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_grant' }));
      });
    });
    await new Promise<void>((r) => fake?.listen(0, '127.0.0.1', r));
    const port = (fake.address() as AddressInfo).port;
    const moved = createSessionManager({ fhirBase: `http://127.0.0.1:${port}/fhir`, secrets, log, store, openBrowser: browserSignsIn });
    expect(await moved.refresh()).toBe(false);
    await moved.signOut();
    await new Promise<void>((r) => fake?.close(() => r()));
    expect(received.length).toBeGreaterThan(0); // discovery reached it…
    expect(received.join('\n')).not.toContain(token); // …the token never did, neither to refresh nor to revoke
    expect(received.some((line) => line.includes('/oidc/token'))).toBe(false);
  });
});
