import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHost } from '../../../../renderer/host/electron-host';

const g = globalThis as Record<string, unknown>;
afterEach(() => { delete g['relais']; });

describe('Electron host (renderer side of the bridge)', () => {
  it('refuses to start without the preload bridge', () => {
    expect(() => createHost()).toThrow(expect.objectContaining({ code: 'NO_BRIDGE' }));
  });

  it('unwraps valid envelopes and sends well-formed requests', async () => {
    const setLanguage = vi.fn(async () => ({ ok: true, value: null }));
    g['relais'] = {
      getAppInfo: async () => ({ ok: true, value: { name: 'Relais', version: '1', platform: 'linux' } }),
      getLanguage: async () => ({ ok: true, value: 'en' }),
      setLanguage,
    };
    const host = createHost();
    expect(host.kind).toBe('electron');
    expect(await host.appInfo()).toEqual({ name: 'Relais', version: '1', platform: 'linux' });
    expect(await host.loadLanguage()).toBe('en');
    await host.saveLanguage('fr');
    expect(setLanguage).toHaveBeenCalledWith({ language: 'fr' });
  });

  it('surfaces a coded failure as HostError with that code', async () => {
    g['relais'] = { openExternal: async () => ({ ok: false, code: 'EXTERNAL_URL_REFUSED' }) };
    await expect(createHost().openExternal('https://evil.example/')).rejects.toMatchObject({ name: 'HostError', code: 'EXTERNAL_URL_REFUSED' });
  });

  it('refuses an answer that does not match the contract', async () => {
    g['relais'] = {
      getLanguage: async () => ({ ok: true, value: 'de' }),
      getAppInfo: async () => ({ ok: false, code: 'INTERNAL', message: 'leak' }),
    };
    const host = createHost();
    await expect(host.loadLanguage()).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    await expect(host.appInfo()).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });
});
