import { createHash } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { authorizeUrl, discoverSmart, pkcePair, refreshTokens, verifiedPractitioner } from '../../../../renderer/host/web-oidc';

const issuer = 'http://127.0.0.1:8787/oidc';
const endpoints = { issuer, jwks: `${issuer}/jwks`, authorize: `${issuer}/auth`, token: `${issuer}/token`, revocation: null };

/** The provider's signing key and a second one nobody published. */
const provider = await generateKeyPair('RS256');
const stranger = await generateKeyPair('RS256');
const jwks = { keys: [{ ...(await exportJWK(provider.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] };
const jwksFetch = (async () => Response.json(jwks)) as unknown as typeof fetch;

const nonce = 'n'.repeat(22);
const good: JWTPayload = { iss: issuer, aud: 'relais-desktop', sub: 'u1', nonce, fhirUser: 'Practitioner/abc-1' };

async function idToken(claims: JWTPayload, key: CryptoKey = provider.privateKey, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1', ...header }).setIssuedAt().setExpirationTime('1h').sign(key);
}
const tokens = (id_token: string) => ({ access_token: 'at', token_type: 'Bearer', id_token });

describe('web host sign-in (OIDC in the page, dev and tests only)', () => {
  it('makes an S256 PKCE pair: the challenge is the SHA-256 of the verifier, base64url', async () => {
    const { verifier, challenge } = await pkcePair(crypto);
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
  });

  it('asks for the authorization code with PKCE, the state, the FHIR audience and a refresh token', () => {
    const url = new URL(authorizeUrl(endpoints, { fhirBase: 'http://127.0.0.1:8787/fhir', redirectUri: 'http://127.0.0.1:4179/callback', state: 's'.repeat(22), nonce, challenge: 'c' }));
    expect(url.origin + url.pathname).toBe(endpoints.authorize);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'relais-desktop',
      redirect_uri: 'http://127.0.0.1:4179/callback',
      code_challenge: 'c',
      code_challenge_method: 'S256',
      aud: 'http://127.0.0.1:8787/fhir',
      state: 's'.repeat(22),
      nonce,
    });
    expect(url.searchParams.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['openid', 'fhirUser', 'offline_access']));
  });

  it('takes the practitioner from a verified ID token, absolute or relative fhirUser', async () => {
    expect(await verifiedPractitioner(endpoints, tokens(await idToken(good)), { nonce }, jwksFetch)).toBe('Practitioner/abc-1');
    const absolute = await idToken({ ...good, fhirUser: 'http://127.0.0.1:8787/fhir/Practitioner/p2' });
    expect(await verifiedPractitioner(endpoints, tokens(absolute), { nonce }, jwksFetch)).toBe('Practitioner/p2');
  });

  it('refuses every forged, replayed or misdirected ID token (attack: each claim and the signature in turn)', async () => {
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ ...good, exp: 4e9, iat: 1 })).toString('base64url')}.`;
    const [header, payload] = (await idToken(good)).split('.');
    const otherPayload = Buffer.from(JSON.stringify({ ...good, fhirUser: 'Practitioner/someone-else', exp: 4e9, iat: 1 })).toString('base64url');
    const attacks: Record<string, string | undefined> = {
      'signed by a key the issuer never published': await idToken(good, stranger.privateKey),
      'alg none, no signature': unsigned,
      'claims swapped under a valid signature': `${header}.${otherPayload}.${(await idToken(good)).split('.')[2]}`,
      'another issuer': await idToken({ ...good, iss: 'http://127.0.0.1:9999/oidc' }),
      'another client': await idToken({ ...good, aud: 'some-other-app' }),
      'authorized party not this client': await idToken({ ...good, aud: ['relais-desktop', 'x'], azp: 'x' }),
      'another sign-in (nonce)': await idToken({ ...good, nonce: 'replayed-nonce-from-before' }),
      'no nonce': await idToken({ iss: issuer, aud: 'relais-desktop', sub: 'u1', fhirUser: 'Practitioner/abc-1' }),
      'expired': await new SignJWT(good).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuedAt(1_000_000).setExpirationTime(1_000_600).sign(provider.privateKey),
      'a patient, not a practitioner': await idToken({ ...good, fhirUser: 'Patient/p' }),
      'no ID token at all': undefined,
    };
    expect(payload).toBeDefined();
    for (const [attack, token] of Object.entries(attacks)) {
      const answer = token === undefined ? { access_token: 'at', token_type: 'Bearer' } : tokens(token);
      await expect(verifiedPractitioner(endpoints, answer, { nonce }, jwksFetch), attack).rejects.toMatchObject({ code: 'SIGN_IN_FAILED' });
    }
  });

  it('reports a refused refresh (the grant is gone) apart from an unreachable provider', async () => {
    const refused = vi.fn(async () => new Response('{"error":"invalid_grant"}', { status: 400 }));
    expect(await refreshTokens(endpoints, 'r', refused)).toBe('refused');
    const offline = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(refreshTokens(endpoints, 'r', offline)).rejects.toMatchObject({ code: 'HIE_UNREACHABLE' });
  });

  it('refuses a SMART configuration that is not one, or that would send the sign-in or keys over a network in clear', async () => {
    await expect(discoverSmart('http://127.0.0.1:8787/fhir', async () => new Response('{"issuer":"x"}'))).rejects.toMatchObject({ code: 'HIE_DISCOVERY_FAILED' });
    const configuration = { issuer, jwks_uri: endpoints.jwks, authorization_endpoint: endpoints.authorize, token_endpoint: endpoints.token };
    expect(await discoverSmart('http://127.0.0.1:8787/fhir', async () => Response.json(configuration))).toMatchObject({ issuer, jwks: endpoints.jwks });
    for (const [field, value] of [
      ['token_endpoint', 'http://hie.example/oidc/token'],
      ['authorization_endpoint', 'javascript:alert(1)'],
      ['jwks_uri', 'http://10.0.0.5/jwks'],
      ['issuer', undefined],
      ['jwks_uri', undefined],
    ] as const) {
      const answer = { ...configuration, [field]: value };
      await expect(discoverSmart('http://127.0.0.1:8787/fhir', async () => Response.json(answer)), `${field}=${String(value)}`).rejects.toMatchObject({ code: 'HIE_DISCOVERY_FAILED' });
    }
  });
});
