import * as oauth from 'oauth4webapi';
import { clientScope } from '../../shared/sync/client-scope';
import { LoginError } from './login-error';
import { openLoopbackRedirect } from './loopback-redirect';
import type { SmartServer } from './smart-discovery';

/**
 * SMART on FHIR / OpenID Connect sign-in for a native app (RFC 8252): the system browser, a
 * loopback redirect on a random port, PKCE S256, state and nonce checked, the issuer checked
 * (RFC 9207 when the provider sends `iss`). The tokens go back to main only; the page never sees one.
 */
export const desktopClientId = 'relais-desktop';
export const defaultScope = clientScope;

export type SignInResult = Readonly<{
  accessToken: string;
  refreshToken: string | null;
  expiresAt: number;
  /** `Practitioner/<id>` from the ID token's fhirUser claim. */
  fhirUser: string;
}>;

export type SignInOptions = Readonly<{
  server: SmartServer;
  clientId?: string;
  scope?: string;
  /** Opens the URL in the system browser (Electron's shell.openExternal; a Playwright page in tests). */
  openBrowser: (url: string) => Promise<void>;
  timeoutMs?: number;
  now?: () => number;
  fetch?: typeof fetch;
}>;

export function clientFor(clientId: string): oauth.Client {
  return { client_id: clientId, token_endpoint_auth_method: 'none' };
}

export function requestOptions(server: SmartServer, fetchImpl: typeof fetch) {
  return { [oauth.allowInsecureRequests]: server.insecureLoopback, [oauth.customFetch]: fetchImpl };
}

function fhirUserOf(claims: oauth.IDToken | undefined): string {
  const value = claims?.['fhirUser'];
  if (typeof value !== 'string') throw new LoginError('TOKEN_EXCHANGE_FAILED');
  const match = /(?:^|\/)(Practitioner\/[A-Za-z0-9\-.]{1,64})$/.exec(value);
  if (match === null) throw new LoginError('TOKEN_EXCHANGE_FAILED');
  return match[1] as string;
}

/** Everything of one sign-in that must match when the browser comes back. */
export type PendingSignIn = Readonly<{ url: URL; state: string; nonce: string; codeVerifier: string; redirectUri: string }>;

export async function authorizationRequest(server: SmartServer, clientId: string, scope: string, redirectUri: string): Promise<PendingSignIn> {
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(server.as.authorization_endpoint as string);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('scope', scope);
  url.searchParams.set('state', state);
  url.searchParams.set('nonce', nonce);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  // SMART: the audience is the FHIR server the token is for.
  url.searchParams.set('aud', server.fhirBase.href.replace(/\/$/, ''));
  return { url, state, nonce, codeVerifier, redirectUri };
}

/** Checks the browser's answer and exchanges the code. Exported so tests can attack each check. */
export async function completeSignIn(
  server: SmartServer,
  clientId: string,
  pending: PendingSignIn,
  callback: URL,
  options: { now?: () => number; fetch?: typeof fetch } = {},
): Promise<SignInResult> {
  const client = clientFor(clientId);
  let params: URLSearchParams;
  try {
    params = oauth.validateAuthResponse(server.as, client, callback, pending.state);
  } catch (error: unknown) {
    if (error instanceof oauth.AuthorizationResponseError) throw new LoginError('ACCESS_DENIED');
    if (error instanceof oauth.OperationProcessingError && /iss/i.test(error.message) && !/state/i.test(error.message)) throw new LoginError('ISSUER_MISMATCH');
    throw new LoginError('STATE_MISMATCH');
  }
  const fetchImpl = options.fetch ?? fetch;
  try {
    const response = await oauth.authorizationCodeGrantRequest(server.as, client, oauth.None(), params, pending.redirectUri, pending.codeVerifier, requestOptions(server, fetchImpl));
    const tokens = await oauth.processAuthorizationCodeResponse(server.as, client, response, { expectedNonce: pending.nonce, requireIdToken: true });
    const now = options.now ?? Date.now;
    return {
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token ?? null,
      expiresAt: now() + (tokens.expires_in ?? 300) * 1000,
      fhirUser: fhirUserOf(oauth.getValidatedIdTokenClaims(tokens)),
    };
  } catch (error: unknown) {
    if (error instanceof LoginError) throw error;
    throw new LoginError('TOKEN_EXCHANGE_FAILED');
  }
}

export async function signIn(options: SignInOptions): Promise<SignInResult> {
  const clientId = options.clientId ?? desktopClientId;
  const redirect = await openLoopbackRedirect(options.timeoutMs ?? 5 * 60_000);
  try {
    const pending = await authorizationRequest(options.server, clientId, options.scope ?? defaultScope, redirect.redirectUri);
    await options.openBrowser(pending.url.href);
    const callback = await redirect.callback;
    return await completeSignIn(options.server, clientId, pending, callback, options);
  } finally {
    redirect.close();
  }
}
