import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { z } from 'zod';
import { toBase64Url, utf8 } from '../../shared/crypto/bytes';
import { HostError } from './host';
import { isSecureOrLoopback } from '../../shared/security/secure-url';
import { clientScope } from '../../shared/sync/client-scope';
import { webClientId } from './web-defaults';

/**
 * OpenID Connect in the page, for the web host only (Electron signs in from main with the system
 * browser): SMART discovery, authorization code with PKCE S256 (RFC 7636) and a nonce, token
 * exchange and refresh with fetch. The ID token is verified as OpenID Connect Core §3.1.3.7 asks:
 * signature against the provider's published keys, issuer, audience, expiry and nonce. The
 * provider's answers are parsed before use; nothing is logged.
 */
export type SmartEndpoints = Readonly<{ issuer: string; jwks: string; authorize: string; token: string; revocation: string | null }>;

/** https, or plain http on this computer only: a token or key never crosses a network in clear. */
const endpointSchema = z.string().url().refine((value) => isSecureOrLoopback(value));

const smartConfigurationSchema = z
  .object({
    // Required here (SMART's sso-openid-connect): without them the ID token cannot be verified.
    issuer: endpointSchema,
    jwks_uri: endpointSchema,
    authorization_endpoint: endpointSchema,
    token_endpoint: endpointSchema,
    revocation_endpoint: endpointSchema.optional(),
  })
  .loose();

export const tokenResponseSchema = z
  .object({
    access_token: z.string().min(1),
    token_type: z.string().regex(/^bearer$/i),
    expires_in: z.number().positive().optional(),
    refresh_token: z.string().min(1).optional(),
    id_token: z.string().min(1).optional(),
    scope: z.string().optional(),
  })
  .loose();

export type TokenResponse = z.infer<typeof tokenResponseSchema>;

/** What the web host asks for: the client's scopes, as Electron does (shared/sync/client-scope.ts). */
export const requestedScope = clientScope;

/** Which client signs in, asking for what: the primary HIE's by default; another source has its own (shared/exchange/source-policy.ts). */
export type OidcClient = Readonly<{ id: string; scope: string }>;
export const primaryClient: OidcClient = { id: webClientId, scope: requestedScope };

export async function discoverSmart(fhirBase: string, fetchFn: typeof fetch): Promise<SmartEndpoints> {
  let response: Response;
  try {
    response = await fetchFn(`${fhirBase}/.well-known/smart-configuration`, { headers: { accept: 'application/json' }, credentials: 'omit' });
  } catch {
    throw new HostError('HIE_UNREACHABLE');
  }
  const parsed = smartConfigurationSchema.safeParse(response.ok ? await response.json().catch(() => null) : null);
  if (!parsed.success) throw new HostError('HIE_DISCOVERY_FAILED');
  return {
    issuer: parsed.data.issuer,
    jwks: parsed.data.jwks_uri,
    authorize: parsed.data.authorization_endpoint,
    token: parsed.data.token_endpoint,
    revocation: parsed.data.revocation_endpoint ?? null,
  };
}

/** 32 random bytes as the verifier (43 base64url characters), its SHA-256 as the S256 challenge. */
export async function pkcePair(crypto: Crypto): Promise<{ verifier: string; challenge: string }> {
  const verifier = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  const digest = await crypto.subtle.digest('SHA-256', utf8(verifier));
  return { verifier, challenge: toBase64Url(new Uint8Array(digest)) };
}

export function authorizeUrl(endpoints: SmartEndpoints, input: Readonly<{ fhirBase: string; redirectUri: string; state: string; nonce: string; challenge: string }>, client: OidcClient = primaryClient): string {
  const url = new URL(endpoints.authorize);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: client.id,
    redirect_uri: input.redirectUri,
    scope: client.scope,
    aud: input.fhirBase,
    state: input.state,
    nonce: input.nonce,
    code_challenge: input.challenge,
    code_challenge_method: 'S256',
  }).toString();
  return url.href;
}

async function tokenRequest(endpoints: SmartEndpoints, form: Readonly<Record<string, string>>, fetchFn: typeof fetch, client: OidcClient): Promise<TokenResponse | 'refused'> {
  let response: Response;
  try {
    response = await fetchFn(endpoints.token, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ client_id: client.id, ...form }).toString(),
      credentials: 'omit',
    });
  } catch {
    throw new HostError('HIE_UNREACHABLE');
  }
  if (response.status === 400 || response.status === 401) return 'refused';
  const parsed = tokenResponseSchema.safeParse(response.ok ? await response.json().catch(() => null) : null);
  if (!parsed.success) throw new HostError('SIGN_IN_FAILED');
  return parsed.data;
}

export async function exchangeCode(
  endpoints: SmartEndpoints,
  input: Readonly<{ code: string; verifier: string; redirectUri: string }>,
  fetchFn: typeof fetch,
  client: OidcClient = primaryClient,
): Promise<TokenResponse> {
  const answer = await tokenRequest(endpoints, { grant_type: 'authorization_code', code: input.code, code_verifier: input.verifier, redirect_uri: input.redirectUri }, fetchFn, client);
  if (answer === 'refused') throw new HostError('SIGN_IN_FAILED');
  return answer;
}

/** A new access token (and the rotated refresh token), or 'refused' when the grant is gone. */
export function refreshTokens(endpoints: SmartEndpoints, refreshToken: string, fetchFn: typeof fetch, client: OidcClient = primaryClient): Promise<TokenResponse | 'refused'> {
  return tokenRequest(endpoints, { grant_type: 'refresh_token', refresh_token: refreshToken }, fetchFn, client);
}

const claimsSchema = z
  .object({
    fhirUser: z.string().regex(/^(?:.*\/)?Practitioner\/[A-Za-z0-9\-.]{1,64}$/),
    nonce: z.string(),
    azp: z.string().optional(),
  })
  .loose();

/** Signature algorithms taken for an ID token: asymmetric only (never `none`, never an HMAC keyed with something public). */
const idTokenAlgorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

/**
 * `Practitioner/<id>` from the sign-in's ID token, once verified: signed by a key the issuer
 * publishes (its jwks_uri, fetched now), issued by the discovered issuer, for this client, not
 * expired (five minutes of clock skew), and carrying the nonce this sign-in sent. Anything else is
 * SIGN_IN_FAILED: a forged or replayed token never names the clinician whose panel is opened.
 */
export async function verifiedPractitioner(
  endpoints: SmartEndpoints,
  tokens: TokenResponse,
  expected: Readonly<{ nonce: string; now?: Date }>,
  fetchFn: typeof fetch,
  client: OidcClient = primaryClient,
): Promise<string> {
  if (tokens.id_token === undefined) throw new HostError('SIGN_IN_FAILED');
  let keys: JSONWebKeySet;
  try {
    const response = await fetchFn(endpoints.jwks, { headers: { accept: 'application/json' }, credentials: 'omit' });
    if (!response.ok) throw new HostError('SIGN_IN_FAILED');
    keys = (await response.json()) as JSONWebKeySet;
  } catch (error: unknown) {
    if (error instanceof HostError) throw error;
    throw new HostError('HIE_UNREACHABLE');
  }
  try {
    const { payload } = await jwtVerify(tokens.id_token, createLocalJWKSet(keys), {
      issuer: endpoints.issuer,
      audience: client.id,
      algorithms: idTokenAlgorithms,
      clockTolerance: 300,
      requiredClaims: ['exp', 'iat', 'sub'],
      ...(expected.now === undefined ? {} : { currentDate: expected.now }),
    });
    const claims = claimsSchema.parse(payload);
    if (claims.nonce !== expected.nonce) throw new Error('nonce');
    if (claims.azp !== undefined && claims.azp !== client.id) throw new Error('azp');
    return claims.fhirUser.slice(claims.fhirUser.lastIndexOf('Practitioner/'));
  } catch {
    throw new HostError('SIGN_IN_FAILED');
  }
}
