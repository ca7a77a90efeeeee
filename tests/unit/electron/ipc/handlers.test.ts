import { describe, expect, it, vi } from 'vitest';
import { createIpcHandlers } from '../../../../electron/ipc/handlers';
import { SecretStoreError, type SecretStore } from '../../../../electron/secrets/secret-store';
import type { SettingsFile } from '../../../../electron/settings/settings-file';

const settings = (): SettingsFile => {
  let language: 'fr' | 'en' | null = null;
  return { read: async () => ({ language }), update: async (c) => { language = c.language ?? language; return { language }; } };
};
const secrets = (fail?: Error): SecretStore => ({
  get: async () => null, set: async () => {}, delete: async () => false,
  list: async () => { if (fail) throw fail; return []; },
});

const make = (over: { secrets?: SecretStore; openExternal?: (u: string) => Promise<void> } = {}) =>
  createIpcHandlers({
    appName: 'Relais', appVersion: '1.2.3', platform: 'freebsd', settings: settings(),
    secrets: over.secrets ?? secrets(), allowedExternalOrigins: ['https://loinc.org'],
    openExternal: over.openExternal ?? (async () => {}),
  });

describe('IPC handlers', () => {
  it('reports app info, mapping an unknown platform to other', async () => {
    expect(await make().getAppInfo(undefined)).toEqual({ name: 'Relais', version: '1.2.3', platform: 'other' });
  });

  it('saves and reads back the language', async () => {
    const h = make();
    expect(await h.getLanguage(undefined)).toBeNull();
    await h.setLanguage({ language: 'en' });
    expect(await h.getLanguage(undefined)).toBe('en');
  });

  it('opens only allowlisted links, refusing others with EXTERNAL_URL_REFUSED', async () => {
    const openExternal = vi.fn(async () => {});
    const h = make({ openExternal });
    await h.openExternal({ url: 'https://loinc.org/x' });
    await expect(h.openExternal({ url: 'https://evil.example/' })).rejects.toMatchObject({ code: 'EXTERNAL_URL_REFUSED' });
    expect(openExternal).toHaveBeenCalledTimes(1);
  });

  it('reports the keychain unavailable rather than failing', async () => {
    expect(await make().getKeychainStatus(undefined)).toEqual({ available: true });
    const down = make({ secrets: secrets(new SecretStoreError('KEYCHAIN_UNAVAILABLE', 'x')) });
    expect(await down.getKeychainStatus(undefined)).toEqual({ available: false });
  });
});
