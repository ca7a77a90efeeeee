/**
 * The login flow in a real browser (Chromium), with the test playing the desktop client: build
 * the authorize URL with PKCE (S256), let the user sign in on the plain HTML page, receive the
 * code on a loopback redirect URI we listen on, exchange it for tokens, use, refresh and revoke.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bundle } from '@medplum/fhirtypes';
import { decodeJwt } from 'jose';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../../sandbox/server.ts';
import { json, startTestSandbox } from './support.ts';

type SmartConfiguration = { authorization_endpoint: string; token_endpoint: string; revocation_endpoint: string };
type TokenResponse = { access_token: string; refresh_token?: string; id_token?: string; token_type: string; scope: string; expires_in: number };

let sandbox: Sandbox;
let browser: Browser;
let smart: SmartConfiguration;
let loopback: Server;
let redirectUri: string;
let callbacks: Array<(query: URLSearchParams) => void> = [];

function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeUrl(params: Record<string, string>): string {
  const url = new URL(smart.authorization_endpoint);
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: 'relais-desktop',
    redirect_uri: redirectUri,
    scope: 'openid fhirUser offline_access user/*.cruds',
    aud: sandbox.fhirBase,
    ...params,
  });
  return `${url.origin}${url.pathname}?${query.toString()}`;
}

function nextCallback(): Promise<URLSearchParams> {
  return new Promise((resolve) => callbacks.push(resolve));
}

async function tokenRequest(form: Record<string, string>, origin?: string): Promise<Response> {
  return fetch(smart.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(origin ? { origin } : {}) },
    body: new URLSearchParams({ client_id: 'relais-desktop', ...form }),
  });
}

async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel(/Identifiant/).fill(username);
  await page.getByLabel(/Mot de passe/).fill(password);
  await page.getByRole('button', { name: /Se connecter/ }).click();
}

/** Runs the whole flow for one user; returns the tokens. */
async function login(username: string, password: string): Promise<{ tokens: TokenResponse; state: string }> {
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(12).toString('base64url');
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const arrived = nextCallback();
    await page.goto(authorizeUrl({ state, code_challenge: challenge, code_challenge_method: 'S256' }));
    await signIn(page, username, password);
    const query = await arrived;
    expect(query.get('state')).toBe(state);
    expect(query.get('iss')).toBe(sandbox.issuer);
    const code = query.get('code') ?? '';
    expect(code).not.toBe('');
    const response = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier });
    expect(response.status).toBe(200);
    return { tokens: await json<TokenResponse>(response), state };
  } finally {
    await context.close();
  }
}

beforeAll(async () => {
  sandbox = await startTestSandbox({ patients: 6, resourcesPerPatient: 20 });
  smart = await json<SmartConfiguration>(await fetch(`${sandbox.fhirBase}/.well-known/smart-configuration`));
  loopback = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/callback') {
      const waiting = callbacks.shift();
      waiting?.(new URLSearchParams(url.search));
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end('<!DOCTYPE html><title>Relais</title><p>You can close this window.</p>');
  });
  await new Promise<void>((resolve) => loopback.listen(0, '127.0.0.1', () => resolve()));
  redirectUri = `http://127.0.0.1:${(loopback.address() as AddressInfo).port}/callback`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
});

afterAll(async () => {
  callbacks = [];
  await browser?.close();
  await new Promise<void>((resolve) => loopback.close(() => resolve()));
  await sandbox.close();
});

describe('login flow in Chromium', () => {
  it('signs in on the login page and ends with tokens the FHIR server accepts', async () => {
    const doctor = sandbox.practitioners[0];
    const { tokens } = await login(doctor?.username ?? '', doctor?.password ?? '');
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.refresh_token).toBeDefined();
    expect(tokens.id_token).toBeDefined();
    expect(tokens.scope.split(' ')).toContain('user/*.cruds');
    const claims = decodeJwt(tokens.access_token);
    expect(claims['fhirUser']).toBe(`Practitioner/${doctor?.id}`);
    expect(claims.aud).toBe(sandbox.fhirBase);
    expect(decodeJwt(tokens.id_token ?? '')['fhirUser']).toBe(`Practitioner/${doctor?.id}`);
    const patients = await fetch(`${sandbox.fhirBase}/Patient?_summary=count`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(patients.status).toBe(200);
    expect((await json<Bundle>(patients)).total).toBe(doctor?.patients.length);
  });

  it('refreshes, rotates the refresh token, and revoking it cuts off the grant’s access tokens', async () => {
    const doctor = sandbox.practitioners[1];
    const { tokens } = await login(doctor?.username ?? '', doctor?.password ?? '');
    // From the web host's loopback origin, as the in-page login of dev/test builds does it.
    const refreshed = await tokenRequest({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token ?? '' }, 'http://127.0.0.1:5173');
    expect(refreshed.status).toBe(200);
    expect(refreshed.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
    const next = await json<TokenResponse>(refreshed);
    expect(next.access_token).not.toBe(tokens.access_token);
    expect(next.refresh_token).toBeDefined();
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    const fhir = (token: string): Promise<Response> => fetch(`${sandbox.fhirBase}/Patient`, { headers: { authorization: `Bearer ${token}` } });
    expect((await fhir(next.access_token)).status).toBe(200);

    const revoked = await fetch(smart.revocation_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: 'relais-desktop', token: next.refresh_token ?? '', token_type_hint: 'refresh_token' }),
    });
    expect(revoked.status).toBe(200);
    expect((await tokenRequest({ grant_type: 'refresh_token', refresh_token: next.refresh_token ?? '' })).status).toBe(400);
    expect((await fhir(next.access_token)).status).toBe(401);
    expect((await fhir(tokens.access_token)).status).toBe(401);
  });

  it('shows an accessible error and stays on the page after a wrong password', async () => {
    const { challenge } = pkcePair();
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(authorizeUrl({ state: 'x', code_challenge: challenge, code_challenge_method: 'S256' }));
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Connexion');
      await signIn(page, 'cmartin', 'wrong');
      expect(await page.getByRole('alert').textContent()).toContain('incorrect');
      expect(await page.getByLabel(/Identifiant/).inputValue()).toBe('cmartin');
      expect(await page.locator('script').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('requires PKCE: an authorization request without a code challenge is refused', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const arrived = nextCallback();
      await page.goto(authorizeUrl({ state: 'no-pkce' }));
      const query = await arrived;
      expect(query.get('error')).toBe('invalid_request');
      expect(query.get('code')).toBeNull();
    } finally {
      await context.close();
    }
  });

  it('refuses the code without the right verifier and a redirect URI off loopback', async () => {
    const doctor = sandbox.practitioners[0];
    const { verifier, challenge } = pkcePair();
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const arrived = nextCallback();
      await page.goto(authorizeUrl({ state: 's', code_challenge: challenge, code_challenge_method: 'S256' }));
      await signIn(page, doctor?.username ?? '', doctor?.password ?? '');
      const code = (await arrived).get('code') ?? '';
      const wrong = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: `${verifier}x` });
      expect(wrong.status).toBe(400);
      expect((await json<{ error: string }>(wrong)).error).toBe('invalid_grant');

      const offLoopback = await fetch(authorizeUrl({ redirect_uri: 'http://attacker.example/callback', code_challenge: challenge, code_challenge_method: 'S256' }), { redirect: 'manual' });
      expect(offLoopback.status).toBe(400);
      expect(offLoopback.headers.get('location')).toBeNull();
    } finally {
      await context.close();
    }
  });
});
