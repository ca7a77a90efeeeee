import { z } from 'zod';
import { fromBase64Url, toBase64Url, utf8 } from '../../shared/crypto/bytes';
import { HostError } from './host';
import { webClientId } from './web-defaults';

/**
 * OpenID Connect in the page, for the web host only (Electron signs in from main with the system
 * browser): SMART discovery, authorization code with PKCE S256 (RFC 7636), token exchange and
 * refresh with fetch. The provider's answers are parsed before use; nothing is logged.
 */
export type SmartEndpoints = Readonly<{ authorize: string; token: string; revocation: string | null }>;

const smartConfigurationSchema = z
  .object({
    authorization_endpoint: z.string().url(),
    token_endpoint: z.string().url(),
    revocation_endpoint: z.string().url().optional(),
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

/** What the web host asks for: who the clinician is, a refresh token, and read/write on their patients. */
export const requestedScope = 'openid fhirUser offline_access user/*.cruds';

export async function discoverSmart(fhirBase: string, fetchFn: typeof fetch): Promise<SmartEndpoints> {
  let response: Response;
  try {
    response = await fetchFn(`${fhirBase}/.well-known/smart-configuration`, { headers: { accept: 'application/json' }, credentials: 'omit' });
  } catch {
    throw new HostError('HIE_UNREACHABLE');
  }
  const parsed = smartConfigurationSchema.safeParse(response.ok ? await response.json().catch(() => null) : null);
  if (!parsed.success) throw new HostError('HIE_DISCOVERY_FAILED');
  return { authorize: parsed.data.authorization_endpoint, token: parsed.data.token_endpoint, revocation: parsed.data.revocation_endpoint ?? null };
}

/** 32 random bytes as the verifier (43 base64url characters), its SHA-256 as the S256 challenge. */
export async function pkcePair(crypto: Crypto): Promise<{ verifier: string; challenge: string }> {
  const verifier = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  const digest = await crypto.subtle.digest('SHA-256', utf8(verifier));
  return { verifier, challenge: toBase64Url(new Uint8Array(digest)) };
}

export function authorizeUrl(endpoints: SmartEndpoints, input: Readonly<{ fhirBase: string; redirectUri: string; state: string; challenge: string }>): string {
  const url = new URL(endpoints.authorize);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: webClientId,
    redirect_uri: input.redirectUri,
    scope: requestedScope,
    aud: input.fhirBase,
    state: input.state,
    code_challenge: input.challenge,
    code_challenge_method: 'S256',
  }).toString();
  return url.href;
}

async function tokenRequest(endpoints: SmartEndpoints, form: Readonly<Record<string, string>>, fetchFn: typeof fetch): Promise<TokenResponse | 'refused'> {
  let response: Response;
  try {
    response = await fetchFn(endpoints.token, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ client_id: webClientId, ...form }).toString(),
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
): Promise<TokenResponse> {
  const answer = await tokenRequest(endpoints, { grant_type: 'authorization_code', code: input.code, code_verifier: input.verifier, redirect_uri: input.redirectUri }, fetchFn);
  if (answer === 'refused') throw new HostError('SIGN_IN_FAILED');
  return answer;
}

/** A new access token (and the rotated refresh token), or 'refused' when the grant is gone. */
export function refreshTokens(endpoints: SmartEndpoints, refreshToken: string, fetchFn: typeof fetch): Promise<TokenResponse | 'refused'> {
  return tokenRequest(endpoints, { grant_type: 'refresh_token', refresh_token: refreshToken }, fetchFn);
}

const claimsSchema = z.object({ fhirUser: z.string().regex(/^(?:.*\/)?Practitioner\/[A-Za-z0-9\-.]{1,64}$/) }).loose();

/**
 * `Practitioner/<id>` from the id token (or the access token) the token endpoint just returned.
 * Not verified: this host received it straight from the provider over the connection it opened,
 * and it decides only which panel to ask for — the HIE enforces access from the access token.
 */
export function practitionerOf(tokens: TokenResponse): string | null {
  for (const jwt of [tokens.id_token, tokens.access_token]) {
    const payload = jwt?.split('.')[1];
    if (payload === undefined) continue;
    try {
      const claims = claimsSchema.safeParse(JSON.parse(new TextDecoder().decode(fromBase64Url(payload))));
      if (claims.success) return claims.data.fhirUser.slice(claims.data.fhirUser.lastIndexOf('Practitioner/'));
    } catch {
      // Not a JWT: try the other token.
    }
  }
  return null;
}
