import * as oauth from 'oauth4webapi';
import type { Logger } from '../log/logger';
import type { SecretStore } from '../secrets/secret-store';
import type { TokenSource } from '../hie/hie-transport';
import { clientFor, desktopClientId, requestOptions, signIn, type SignInResult } from './smart-login';
import { discoverSmartServer, type SmartServer } from './smart-discovery';

/**
 * The clinician's session with the HIE, held by main: the access token only in memory, the
 * refresh token only in the OS keychain, who is signed in (not a secret) in the settings file.
 * The page learns who is signed in, never a token.
 */
export const refreshTokenAccount = 'refresh-token';
/** When the HIE last confirmed this clinician online (sign-in or refresh): the offline lease starts there. */
export const lastOnlineAuthAccount = 'last-online-auth';

export type SessionInfo = Readonly<{ practitioner: string; fhirBase: string }>;

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
}>;

export function createSessionManager(options: SessionOptions): SessionManager {
  const clientId = options.clientId ?? desktopClientId;
  const fetchImpl = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  let server: SmartServer | null = null;
  let access: { token: string; expiresAt: number } | null = null;

  const discover = async (): Promise<SmartServer> => (server ??= await discoverSmartServer(options.fhirBase, fetchImpl));

  const confirmedOnline = (): Promise<void> => options.secrets.set(lastOnlineAuthAccount, new Date(now()).toISOString());

  const adopt = async (result: SignInResult): Promise<void> => {
    access = { token: result.accessToken, expiresAt: result.expiresAt };
    if (result.refreshToken !== null) await options.secrets.set(refreshTokenAccount, result.refreshToken);
    await confirmedOnline();
  };

  return {
    accessToken: () => (access !== null && access.expiresAt > now() + 10_000 ? access.token : null),

    async refresh() {
      const refreshToken = await options.secrets.get(refreshTokenAccount);
      if (refreshToken === null) return false;
      try {
        const as = await discover();
        const client = clientFor(clientId);
        const response = await oauth.refreshTokenGrantRequest(as.as, client, oauth.None(), refreshToken, requestOptions(as, fetchImpl));
        const tokens = await oauth.processRefreshTokenResponse(as.as, client, response);
        access = { token: tokens.access_token, expiresAt: now() + (tokens.expires_in ?? 300) * 1000 };
        // Providers may rotate the refresh token; keep the newest.
        if (tokens.refresh_token !== undefined) await options.secrets.set(refreshTokenAccount, tokens.refresh_token);
        await confirmedOnline();
        return true;
      } catch (error: unknown) {
        if (error instanceof oauth.ResponseBodyError && error.error === 'invalid_grant') {
          // Revoked or expired: forget it, the clinician must sign in again.
          await options.secrets.delete(refreshTokenAccount);
          access = null;
        }
        options.log.warn('token refresh failed', { reason: error instanceof oauth.ResponseBodyError ? error.error : 'unreachable' });
        return false;
      }
    },

    async current() {
      const info = await options.store.load();
      if (info === null || info.fhirBase !== options.fhirBase) return null;
      if (access === null && (await options.secrets.get(refreshTokenAccount)) === null) return null;
      return info;
    },

    async signIn() {
      const as = await discover();
      const result = await signIn({ server: as, clientId, openBrowser: options.openBrowser, fetch: fetchImpl, now });
      await adopt(result);
      const info: SessionInfo = { practitioner: result.fhirUser, fhirBase: options.fhirBase };
      await options.store.save(info);
      options.log.info('signed in');
      return info;
    },

    async signOut() {
      const refreshToken = await options.secrets.get(refreshTokenAccount);
      access = null;
      await options.secrets.delete(refreshTokenAccount);
      await options.store.save(null);
      if (refreshToken !== null) {
        try {
          const as = await discover();
          await oauth.revocationRequest(as.as, clientFor(clientId), oauth.None(), refreshToken, requestOptions(as, fetchImpl));
        } catch {
          options.log.warn('refresh token revocation did not reach the provider');
        }
      }
    },
  };
}
