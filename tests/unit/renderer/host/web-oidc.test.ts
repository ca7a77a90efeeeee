import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { authorizeUrl, discoverSmart, pkcePair, practitionerOf, refreshTokens } from '../../../../renderer/host/web-oidc';

const jwt = (claims: Record<string, unknown>): string => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
const endpoints = { authorize: 'http://127.0.0.1:8787/oidc/auth', token: 'http://127.0.0.1:8787/oidc/token', revocation: null };

describe('web host sign-in (OIDC in the page, dev and tests only)', () => {
  it('makes an S256 PKCE pair: the challenge is the SHA-256 of the verifier, base64url', async () => {
    const { verifier, challenge } = await pkcePair(crypto);
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
  });

  it('asks for the authorization code with PKCE, the state, the FHIR audience and a refresh token', () => {
    const url = new URL(authorizeUrl(endpoints, { fhirBase: 'http://127.0.0.1:8787/fhir', redirectUri: 'http://127.0.0.1:4179/callback', state: 's'.repeat(22), challenge: 'c' }));
    expect(url.origin + url.pathname).toBe(endpoints.authorize);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'relais-desktop',
      redirect_uri: 'http://127.0.0.1:4179/callback',
      code_challenge: 'c',
      code_challenge_method: 'S256',
      aud: 'http://127.0.0.1:8787/fhir',
      state: 's'.repeat(22),
    });
    expect(url.searchParams.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['openid', 'fhirUser', 'offline_access']));
  });

  it('takes the practitioner from the fhirUser claim, absolute or relative, and nothing else', () => {
    expect(practitionerOf({ access_token: 'x', token_type: 'Bearer', id_token: jwt({ fhirUser: 'Practitioner/abc-1' }) })).toBe('Practitioner/abc-1');
    expect(practitionerOf({ access_token: jwt({ fhirUser: 'http://127.0.0.1:8787/fhir/Practitioner/p2' }), token_type: 'bearer' })).toBe('Practitioner/p2');
    expect(practitionerOf({ access_token: jwt({ fhirUser: 'Patient/p' }), token_type: 'Bearer' })).toBeNull();
    expect(practitionerOf({ access_token: 'not-a-jwt', token_type: 'Bearer' })).toBeNull();
  });

  it('reports a refused refresh (the grant is gone) apart from an unreachable provider', async () => {
    const refused = vi.fn(async () => new Response('{"error":"invalid_grant"}', { status: 400 }));
    expect(await refreshTokens(endpoints, 'r', refused)).toBe('refused');
    const offline = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(refreshTokens(endpoints, 'r', offline)).rejects.toMatchObject({ code: 'HIE_UNREACHABLE' });
  });

  it('refuses a SMART configuration that is not one', async () => {
    await expect(discoverSmart('http://127.0.0.1:8787/fhir', async () => new Response('{"issuer":"x"}'))).rejects.toMatchObject({ code: 'HIE_DISCOVERY_FAILED' });
  });
});
