import * as oauth from 'oauth4webapi';
import type { Logger } from '../log/logger';
import type { SecretStore } from '../secrets/secret-store';
import type { TokenSource } from '../../shared/hie/transport';
import { createLeaseClock, leaseStampAccount, type LeaseClock } from './lease-clock';
import { clientFor, desktopClientId, requestOptions, signIn, type SignInResult } from './smart-login';
import { discoverSmartServer, type SmartServer } from './smart-discovery';

/**
 * The clinician's session with the HIE, held by main: the access token only in memory, the
 * refresh token only in the OS keychain, who is signed in (not a secret) in the settings file.
 * The page learns who is signed in, never a token.
 */
export const refreshTokenAccount = 'refresh-token';
/** When the HIE last confirmed this clinician online (sign-in or refresh): the offline lease starts there. */
export const lastOnlineAuthAccount = leaseStampAccount;

export type SessionInfo = Readonly<{ practitioner: string; fhirBase: string }>;

/**
 * The refresh token as the keychain keeps it: with the issuer, token endpoint and HIE it was
 * issued for. It is sent only back there: an HIE address changed afterwards (a policy edit, an
 * environment variable in development) cannot make main hand it to another server.
 */
type BoundRefreshToken = Readonly<{ v: 1; token: string; issuer: string; tokenEndpoint: string; fhirBase: string }>;

function bindRefreshToken(token: string, server: SmartServer, fhirBase: string): string {
  const bound: BoundRefreshToken = { v: 1, token, issuer: server.as.issuer, tokenEndpoint: String(server.as.token_endpoint), fhirBase };
  return JSON.stringify(bound);
}

/** The token if it was issued by this provider for this HIE, else null (an unbound one from an older version included). */
export function boundRefreshToken(stored: string | null, server: SmartServer, fhirBase: string): string | null {
  if (stored === null) return null;
  try {
    const value = JSON.parse(stored) as Partial<BoundRefreshToken>;
    if (value.v !== 1 || typeof value.token !== 'string') return null;
    if (value.issuer !== server.as.issuer || value.tokenEndpoint !== String(server.as.token_endpoint) || value.fhirBase !== fhirBase) return null;
    return value.token;
  } catch {
    return null;
  }
}

export type SessionStore = Readonly<{
  load(): Promise<SessionInfo | null>;
  save(info: SessionInfo | null): Promise<void>;
}>;

export type SessionManager = TokenSource &
  Readonly<{
    current(): Promise<SessionInfo | null>;
    signIn(): Promise<SessionInfo>;
    signOut(): Promise<void>;
  }>;

export type SessionOptions = Readonly<{
  fhirBase: string;
  clientId?: string;
  secrets: SecretStore;
  store: SessionStore;
  openBrowser: (url: string) => Promise<void>;
  log: Logger;
  fetch?: typeof fetch;
  now?: () => number;
  /** Where the lease's sealed times are kept (default: in `secrets`). */
  lease?: LeaseClock;
  /** What the sign-in asks for (default: the primary HIE's whole client scope; another source's is read-only). */
  scope?: string;
  /** The keychain account of the refresh token (default `refresh-token`; another source has its own, electron/sources/source-services.ts). */
  refreshTokenAccount?: string;
}>;

export function createSessionManager(options: SessionOptions): SessionManager {
  const clientId = options.clientId ?? desktopClientId;
  const tokenAccount = options.refreshTokenAccount ?? refreshTokenAccount;
  const fetchImpl = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  let server: SmartServer | null = null;
  let access: { token: string; expiresAt: number } | null = null;

  const discover = async (): Promise<SmartServer> => (server ??= await discoverSmartServer(options.fhirBase, fetchImpl));

  const lease = options.lease ?? createLeaseClock(options.secrets);
  const confirmedOnline = (): Promise<void> => lease.confirmedOnline(now());

  const adopt = async (result: SignInResult, server: SmartServer): Promise<void> => {
    access = { token: result.accessToken, expiresAt: result.expiresAt };
    if (result.refreshToken !== null) await options.secrets.set(tokenAccount, bindRefreshToken(result.refreshToken, server, options.fhirBase));
    await confirmedOnline();
  };

  return {
    accessToken: () => (access !== null && access.expiresAt > now() + 10_000 ? access.token : null),

    async refresh() {
      const stored = await options.secrets.get(tokenAccount);
      if (stored === null) return false;
      try {
        const as = await discover();
        const refreshToken = boundRefreshToken(stored, as, options.fhirBase);
        if (refreshToken === null) {
          // Issued elsewhere (or by an older version): never sent here. The clinician signs in again.
          options.log.warn('the stored refresh token was issued for another provider or HIE: not sent, sign-in needed');
          await options.secrets.delete(tokenAccount);
          access = null;
          return false;
        }
        const client = clientFor(clientId);
        const response = await oauth.refreshTokenGrantRequest(as.as, client, oauth.None(), refreshToken, requestOptions(as, fetchImpl));
        const tokens = await oauth.processRefreshTokenResponse(as.as, client, response);
        access = { token: tokens.access_token, expiresAt: now() + (tokens.expires_in ?? 300) * 1000 };
        // Providers may rotate the refresh token; keep the newest.
        if (tokens.refresh_token !== undefined) await options.secrets.set(tokenAccount, bindRefreshToken(tokens.refresh_token, as, options.fhirBase));
        await confirmedOnline();
        return true;
      } catch (error: unknown) {
        if (error instanceof oauth.ResponseBodyError && error.error === 'invalid_grant') {
          // Revoked or expired: forget it, the clinician must sign in again.
          await options.secrets.delete(tokenAccount);
          access = null;
        }
        options.log.warn('token refresh failed', { reason: error instanceof oauth.ResponseBodyError ? error.error : 'unreachable' });
        return false;
      }
    },

    async current() {
      const info = await options.store.load();
      if (info === null || info.fhirBase !== options.fhirBase) return null;
      if (access === null && (await options.secrets.get(tokenAccount)) === null) return null;
      return info;
    },

    async signIn() {
      const as = await discover();
      const result = await signIn({ server: as, clientId, openBrowser: options.openBrowser, fetch: fetchImpl, now, ...(options.scope === undefined ? {} : { scope: options.scope }) });
      await adopt(result, as);
      const info: SessionInfo = { practitioner: result.fhirUser, fhirBase: options.fhirBase };
      await options.store.save(info);
      options.log.info('signed in');
      return info;
    },

    async signOut() {
      const stored = await options.secrets.get(tokenAccount);
      access = null;
      await options.secrets.delete(tokenAccount);
      await options.store.save(null);
      if (stored !== null) {
        try {
          const as = await discover();
          // Revoked only at the provider that issued it.
          const refreshToken = boundRefreshToken(stored, as, options.fhirBase);
          if (refreshToken === null) return;
          await oauth.revocationRequest(as.as, clientFor(clientId), oauth.None(), refreshToken, requestOptions(as, fetchImpl));
        } catch {
          options.log.warn('refresh token revocation did not reach the provider');
        }
      }
    },
  };
}
