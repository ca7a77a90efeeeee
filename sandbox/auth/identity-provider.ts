/**
 * The sandbox's OpenID provider (oidc-provider 9) at `/oidc`: authorization code with PKCE (S256
 * only) for the public client `relais-desktop` on any loopback port (RFC 8252 §7.3), refresh
 * tokens, revocation, and JWT access tokens for the FHIR audience carrying `fhirUser` and SMART
 * scopes. Login is a plain HTML form; consent is implied for this first-party client.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, type JWK, type JWTVerifyGetKey } from 'jose';
import { Provider, errors, type ResourceServerInfo } from 'oidc-provider';
import { z } from 'zod';
import { acceptedResourceScopes } from '../access/smart-scopes.ts';
import { readBody, sendText } from '../http-io.ts';
import { createLogger } from '../log.ts';
import type { AccountDirectory } from './accounts.ts';
import { loginPageSecurityHeaders, loginStylesheet, renderErrorPage, renderLoginPage } from './login-page.ts';
import { createProviderStore } from './provider-store.ts';
import type { RevocationList } from './revocations.ts';

const log = createLogger('oidc');

export const desktopClientId = 'relais-desktop';

/** Loopback redirect URIs; the port is free (RFC 8252 §7.3), the path is not. */
export const defaultRedirectUris: readonly string[] = [
  'http://127.0.0.1/callback',
  'http://127.0.0.1/auth/callback',
  'http://localhost/callback',
  'http://localhost/auth/callback',
  'http://[::1]/callback',
];

export type IdentityProviderOptions = Readonly<{
  origin: string;
  fhirBase: string;
  accounts: AccountDirectory;
  revocations: RevocationList;
  accessTokenTtlSeconds: number;
  redirectUris?: readonly string[];
  resourceTypes: readonly string[];
}>;

export type IssuedAccessToken = Readonly<{ access_token: string; token_type: 'Bearer'; expires_in: number; scope: string }>;

export type IdentityProvider = Readonly<{
  issuer: string;
  keys: JWTVerifyGetKey;
  handle(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<void>;
  issueAccessToken(practitionerId: string, scope: string, expiresInSeconds?: number): Promise<IssuedAccessToken>;
  /** Revokes an access token (JWT) or a refresh token; false if it is not one of ours. */
  revoke(token: string): Promise<boolean>;
  smartConfiguration(): Record<string, unknown>;
}>;

const consentDetailsSchema = z.object({
  missingOIDCScope: z.array(z.string()).optional(),
  missingOIDCClaims: z.array(z.string()).optional(),
  missingResourceScopes: z.record(z.string(), z.array(z.string())).optional(),
});

function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]');
  } catch {
    return false;
  }
}

export { isLoopbackOrigin };

export async function createIdentityProvider(options: IdentityProviderOptions): Promise<IdentityProvider> {
  const issuer = `${options.origin}/oidc`;
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = randomBytes(8).toString('hex');
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), alg: 'ES256', use: 'sig', kid };
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), alg: 'ES256', use: 'sig', kid };
  const keys = createLocalJWKSet({ keys: [publicJwk] });
  const resourceScopes = acceptedResourceScopes(options.resourceTypes).join(' ');
  const resourceServer: ResourceServerInfo = {
    scope: resourceScopes,
    audience: options.fhirBase,
    accessTokenTTL: options.accessTokenTtlSeconds,
    accessTokenFormat: 'jwt',
    jwt: { sign: { alg: 'ES256' } },
  };

  const provider = new Provider(issuer, {
    adapter: createProviderStore(),
    clients: [{
      client_id: desktopClientId,
      client_name: 'Relais',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      redirect_uris: [...(options.redirectUris ?? defaultRedirectUris)],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      id_token_signed_response_alg: 'ES256',
    }],
    jwks: { keys: [privateJwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    scopes: ['openid', 'offline_access', 'fhirUser', 'profile'],
    claims: { openid: ['sub'], fhirUser: ['fhirUser'], profile: ['name'] },
    findAccount: async (_ctx: unknown, sub: string) => {
      const account = options.accounts.byPractitioner(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, fhirUser: `Practitioner/${sub}`, name: account.name }),
      };
    },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => options.fhirBase,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, indicator: string) => {
          if (indicator !== options.fhirBase) throw new errors.InvalidTarget('Unknown resource indicator');
          return resourceServer;
        },
      },
    },
    extraTokenClaims: (_ctx: unknown, token: { kind?: string; accountId?: string; grantId?: string }) =>
      token.kind === 'AccessToken' && token.accountId
        ? { fhirUser: `Practitioner/${token.accountId}`, ...(token.grantId ? { grant_id: token.grantId } : {}) }
        : undefined,
    // OIDC drops offline_access unless prompt=consent; the desktop client always gets a
    // refresh token, independent of the browser session.
    issueRefreshToken: (_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: () => false,
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/oidc/interaction/${interaction.uid}` },
    clientBasedCORS: (_ctx: unknown, origin: string) => isLoopbackOrigin(origin),
    renderError: (ctx: { type: string; body: string }, out: { error?: string; error_description?: string }) => {
      ctx.type = 'html';
      ctx.body = renderErrorPage('Erreur d’authentification / Sign-in error', `${out.error ?? 'error'}: ${out.error_description ?? ''}`);
    },
    ttl: {
      AccessToken: options.accessTokenTtlSeconds,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: 30 * 24 * 3600,
      Interaction: 3600,
      Session: 14 * 24 * 3600,
      Grant: 30 * 24 * 3600,
    },
  });
  provider.on('grant.revoked', (_ctx, grantId) => {
    if (typeof grantId === 'string') options.revocations.revokeGrant(grantId);
  });
  provider.on('server_error', (_ctx, error) => log.error('identity provider error', { error: String(error) }));
  const callback = provider.callback();

  async function loginPage(response: ServerResponse, uid: string, status: number, error?: string, username?: string): Promise<void> {
    const html = renderLoginPage({
      action: `/oidc/interaction/${encodeURIComponent(uid)}/login`,
      cancel: `/oidc/interaction/${encodeURIComponent(uid)}/abort`,
      clientName: 'Relais',
      accounts: options.accounts.all(),
      ...(error ? { error } : {}),
      ...(username ? { username } : {}),
    });
    sendText(response, status, html, 'text/html; charset=utf-8', loginPageSecurityHeaders);
  }

  async function interaction(request: IncomingMessage, response: ServerResponse, rest: readonly string[]): Promise<void> {
    const [uid, action] = rest;
    if (uid === 'login.css' && action === undefined) {
      sendText(response, 200, loginStylesheet, 'text/css; charset=utf-8');
      return;
    }
    if (!uid) {
      sendText(response, 404, renderErrorPage('Introuvable / Not found', 'No such page'), 'text/html; charset=utf-8', loginPageSecurityHeaders);
      return;
    }
    let details;
    try {
      details = await provider.interactionDetails(request, response);
    } catch {
      sendText(response, 400, renderErrorPage('Session expirée / Session expired', 'Recommencez la connexion depuis Relais. / Start signing in again from Relais.'), 'text/html; charset=utf-8', loginPageSecurityHeaders);
      return;
    }
    if (details.uid !== uid) {
      sendText(response, 400, renderErrorPage('Session invalide / Invalid session', 'Recommencez la connexion. / Start signing in again.'), 'text/html; charset=utf-8', loginPageSecurityHeaders);
      return;
    }
    if (action === 'abort' && request.method === 'GET') {
      await provider.interactionFinished(request, response, { error: 'access_denied', error_description: 'The user cancelled the sign-in' }, { mergeWithLastSubmission: false });
      return;
    }
    if (action === 'login' && request.method === 'POST') {
      const form = new URLSearchParams((await readBody(request, 16 * 1024)).toString('utf8'));
      const username = form.get('username') ?? '';
      const account = options.accounts.authenticate(username, form.get('password') ?? '');
      if (!account) {
        log.info('login refused');
        await loginPage(response, uid, 401, 'Identifiant ou mot de passe incorrect. / Wrong username or password.', username);
        return;
      }
      await provider.interactionFinished(request, response, { login: { accountId: account.practitionerId } }, { mergeWithLastSubmission: false });
      return;
    }
    if (action === undefined && request.method === 'GET') {
      if (details.prompt.name === 'login') {
        await loginPage(response, uid, 200);
        return;
      }
      if (details.prompt.name === 'consent') {
        // First-party client: consent is implied; grant what it asked for.
        const missing = consentDetailsSchema.parse(details.prompt.details);
        const accountId = details.session?.accountId;
        const clientId = details.params['client_id'];
        if (!accountId || typeof clientId !== 'string') throw new Error('consent without a session');
        const grant = (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ?? new provider.Grant({ accountId, clientId });
        if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
        if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
        for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
        const grantId = await grant.save();
        await provider.interactionFinished(request, response, { consent: { grantId } }, { mergeWithLastSubmission: true });
        return;
      }
    }
    sendText(response, 405, renderErrorPage('Action non prise en charge / Unsupported', 'This interaction is not supported'), 'text/html; charset=utf-8', loginPageSecurityHeaders);
  }

  return {
    issuer,
    keys,
    async handle(request, response, pathname) {
      const rest = pathname.split('/').filter(Boolean).slice(1);
      if (rest[0] === 'interaction') {
        await interaction(request, response, rest.slice(1));
        return;
      }
      // Mounted under /oidc: the provider sees paths relative to its issuer (as express's mount does).
      const original = request.url ?? '/';
      Object.assign(request, { originalUrl: original, url: original.slice('/oidc'.length) || '/' });
      callback(request, response);
    },
    async issueAccessToken(practitionerId, scope, expiresInSeconds) {
      const client = await provider.Client.find(desktopClientId);
      if (!client) throw new Error('desktop client missing');
      const grant = new provider.Grant({ accountId: practitionerId, clientId: desktopClientId });
      grant.addResourceScope(options.fhirBase, scope);
      const grantId = await grant.save();
      const expiresIn = expiresInSeconds ?? options.accessTokenTtlSeconds;
      const token = new provider.AccessToken({ accountId: practitionerId, client, grantId, scope, gty: 'authorization_code', expiresIn });
      token.resourceServer = new provider.ResourceServer(options.fhirBase, resourceServer);
      const value = await token.save();
      return { access_token: value, token_type: 'Bearer', expires_in: expiresIn, scope };
    },
    async revoke(token) {
      if (token.split('.').length === 3) {
        try {
          const { payload } = await jwtVerify(token, keys, { issuer, audience: options.fhirBase, clockTolerance: 365 * 24 * 3600 });
          if (typeof payload.jti !== 'string' || typeof payload.exp !== 'number') return false;
          options.revocations.revokeToken(payload.jti, payload.exp);
          return true;
        } catch {
          return false;
        }
      }
      const refresh = await provider.RefreshToken.find(token);
      if (!refresh) return false;
      await refresh.destroy();
      if (refresh.grantId) {
        await (await provider.Grant.find(refresh.grantId))?.destroy();
        options.revocations.revokeGrant(refresh.grantId);
      }
      return true;
    },
    smartConfiguration() {
      return {
        issuer,
        jwks_uri: `${issuer}/jwks`,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        revocation_endpoint: `${issuer}/token/revocation`,
        userinfo_endpoint: `${issuer}/me`,
        grant_types_supported: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_methods_supported: ['none'],
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
        scopes_supported: ['openid', 'fhirUser', 'profile', 'offline_access', 'user/*.cruds', 'user/*.rs', 'user/*.read', 'user/*.write', 'user/*.*'],
        capabilities: ['launch-standalone', 'client-public', 'sso-openid-connect', 'permission-offline', 'permission-user', 'permission-v1', 'permission-v2'],
      };
    },
  };
}

