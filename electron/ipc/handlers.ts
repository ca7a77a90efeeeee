import { decideExternalLink } from '../../shared/security/external-links';
import type { SecretStore } from '../secrets/secret-store';
import { SecretStoreError } from '../secrets/secret-store';
import type { SettingsFile } from '../settings/settings-file';
import { CodedError } from './coded-error';
import type { IpcHandlers } from './register';

export type HandlerDeps = Readonly<{
  appName: string;
  appVersion: string;
  platform: string;
  settings: SettingsFile;
  secrets: SecretStore;
  allowedExternalOrigins: readonly string[];
  openExternal: (url: string) => Promise<void>;
}>;

const knownPlatforms = ['linux', 'darwin', 'win32'] as const;
type KnownPlatform = (typeof knownPlatforms)[number];
const isKnownPlatform = (p: string): p is KnownPlatform => (knownPlatforms as readonly string[]).includes(p);

/** The main-process side of every channel in shared/ipc/contract.ts. */
export function createIpcHandlers(deps: HandlerDeps): IpcHandlers {
  return {
    getAppInfo: async () => ({
      name: deps.appName,
      version: deps.appVersion,
      platform: isKnownPlatform(deps.platform) ? deps.platform : 'other',
    }),
    getLanguage: async () => (await deps.settings.read()).language,
    setLanguage: async ({ language }) => {
      await deps.settings.update({ language });
      return null;
    },
    openExternal: async ({ url }) => {
      const decision = decideExternalLink(url, deps.allowedExternalOrigins);
      if (!decision.open) throw new CodedError('EXTERNAL_URL_REFUSED');
      await deps.openExternal(decision.url);
      return null;
    },
    getKeychainStatus: async () => {
      try {
        await deps.secrets.list();
        return { available: true };
      } catch (error: unknown) {
        if (error instanceof SecretStoreError) return { available: false };
        throw error;
      }
    },
  };
}
