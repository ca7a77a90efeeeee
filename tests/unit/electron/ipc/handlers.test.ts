import { describe, expect, it, vi } from 'vitest';
import { createIpcHandlers } from '../../../../electron/ipc/handlers';
import { SecretStoreError, type SecretStore } from '../../../../electron/secrets/secret-store';
import type { SettingsFile } from '../../../../electron/settings/settings-file';
import type { SessionManager } from '../../../../electron/auth/session';
import { LoginError } from '../../../../electron/auth/login-error';
import { TransportError, type FhirTransport } from '../../../../shared/sync/ports';

const settings = (): SettingsFile => {
  let state: Awaited<ReturnType<SettingsFile['read']>> = { language: null, session: null };
  return { read: async () => state, update: async (c) => { state = { ...state, ...c }; return state; } };
};
const secrets = (fail?: Error): SecretStore & { values: Map<string, string> } => {
  const values = new Map<string, string>();
  const guard = () => { if (fail) throw fail; };
  return {
    values,
    get: async (a) => { guard(); return values.get(a) ?? null; },
    set: async (a, v) => { guard(); values.set(a, v); },
    delete: async (a) => { guard(); return values.delete(a); },
    list: async () => { guard(); return [...values.keys()]; },
  };
};

const make = (over: { secrets?: SecretStore; openExternal?: (u: string) => Promise<void>; hie?: FhirTransport | null; session?: SessionManager | null; now?: () => number; offlineLeaseDays?: number; clearPageStorage?: () => Promise<void>; identifierPriority?: { label: string; system?: string; type?: string }[] } = {}) =>
  createIpcHandlers({
    appName: 'Relais', appVersion: '1.2.3', platform: 'freebsd', settings: settings(),
    secrets: over.secrets ?? secrets(), allowedExternalOrigins: ['https://loinc.org'],
    openExternal: over.openExternal ?? (async () => {}),
    session: over.session ?? null,
    hie: over.hie ?? null,
    clearPageStorage: over.clearPageStorage ?? (async () => {}),
    ...(over.now ? { now: over.now } : {}),
    ...(over.offlineLeaseDays === undefined ? {} : { offlineLeaseDays: over.offlineLeaseDays }),
    ...(over.identifierPriority === undefined ? {} : { identifierPriority: over.identifierPriority }),
  });

describe('IPC handlers', () => {
  it('gives the page the identifier order the policy sets, or null for the built-in one', async () => {
    expect(await make().getDisplayPolicy(undefined)).toEqual({ identifierPriority: null });
    expect(await make({ identifierPriority: [{ type: 'MR', label: 'IPP' }] }).getDisplayPolicy(undefined)).toEqual({ identifierPriority: [{ type: 'MR', label: 'IPP' }] });
  });

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

describe('device secret handler', () => {
  it('creates 32 random bytes once, in the keychain, and returns the same secret afterwards', async () => {
    const store = secrets();
    const h = make({ secrets: store });
    const first = await h.getDeviceSecret(undefined);
    expect(first.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(first.secret, 'base64url')).toHaveLength(32);
    expect(store.values.get('device-secret')).toBe(first.secret);
    expect(await h.getDeviceSecret(undefined)).toEqual(first);
  });

  it('refuses with KEYCHAIN_UNAVAILABLE when there is no keychain (no fallback)', async () => {
    const h = make({ secrets: secrets(new SecretStoreError('KEYCHAIN_UNAVAILABLE', 'x')) });
    await expect(h.getDeviceSecret(undefined)).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
  });
});

describe('HIE handlers', () => {
  it('answer HIE_NOT_CONFIGURED without a policy', async () => {
    const h = make();
    await expect(h.signIn(undefined)).rejects.toMatchObject({ code: 'HIE_NOT_CONFIGURED' });
    await expect(h.hieRequest({ method: 'GET', target: 'Patient' })).rejects.toMatchObject({ code: 'HIE_NOT_CONFIGURED' });
    expect(await h.getSession(undefined)).toBeNull();
  });

  it('forward only the headers the engine reads, and map transport failures to codes', async () => {
    const hie: FhirTransport = {
      send: async (r) => {
        if (r.target === 'down') throw new TransportError('offline');
        if (r.target === 'slow') throw new TransportError('timeout');
        if (r.target === 'away') throw new TransportError('refused');
        return { status: 200, headers: { etag: 'W/"1"', 'set-cookie': 'x', 'www-authenticate': 'Bearer', date: 'd' }, body: { resourceType: 'Patient' } };
      },
    };
    const h = make({ hie });
    expect(await h.hieRequest({ method: 'GET', target: 'Patient/1' })).toEqual({ status: 200, headers: { etag: 'W/"1"', date: 'd' }, body: { resourceType: 'Patient' } });
    await expect(h.hieRequest({ method: 'GET', target: 'down' })).rejects.toMatchObject({ code: 'HIE_OFFLINE' });
    await expect(h.hieRequest({ method: 'GET', target: 'slow' })).rejects.toMatchObject({ code: 'HIE_TIMEOUT' });
    await expect(h.hieRequest({ method: 'GET', target: 'away' })).rejects.toMatchObject({ code: 'HIE_REFUSED' });
  });

  it('maps each sign-in failure to its own code', async () => {
    for (const [code, expected] of [['STATE_MISMATCH', 'SIGN_IN_STATE_MISMATCH'], ['ISSUER_MISMATCH', 'SIGN_IN_ISSUER_MISMATCH'], ['TIMEOUT', 'SIGN_IN_TIMEOUT']] as const) {
      const session = { signIn: async () => { throw new LoginError(code); } } as unknown as SessionManager;
      await expect(make({ session }).signIn(undefined)).rejects.toMatchObject({ code: expected });
    }
  });
});

describe('offline lease on the device secret', () => {
  const day = 86_400_000;
  const signedIn = Date.parse('2026-11-01T08:00:00Z');
  const session = (refreshes: boolean[]) => ({ refresh: async () => refreshes.shift() ?? false }) as unknown as SessionManager;

  it('hands the secret out within the lease, offline', async () => {
    const store = secrets();
    store.values.set('last-online-auth', new Date(signedIn).toISOString());
    const h = make({ secrets: store, session: session([]), now: () => signedIn + 5 * day, offlineLeaseDays: 7 });
    await expect(h.getDeviceSecret(undefined)).resolves.toMatchObject({ secret: expect.any(String) });
  });

  it('withholds it past the lease when the HIE cannot confirm the clinician, with OFFLINE_LEASE_EXPIRED', async () => {
    const store = secrets();
    store.values.set('last-online-auth', new Date(signedIn).toISOString());
    const h = make({ secrets: store, session: session([false]), now: () => signedIn + 8 * day, offlineLeaseDays: 7 });
    await expect(h.getDeviceSecret(undefined)).rejects.toMatchObject({ code: 'OFFLINE_LEASE_EXPIRED' });
    expect(store.values.has('device-secret')).toBe(false);
  });

  it('renews past the lease when an online refresh succeeds', async () => {
    const store = secrets();
    store.values.set('last-online-auth', new Date(signedIn).toISOString());
    const h = make({ secrets: store, session: session([true]), now: () => signedIn + 30 * day, offlineLeaseDays: 7 });
    await expect(h.getDeviceSecret(undefined)).resolves.toMatchObject({ secret: expect.any(String) });
  });

  it('treats a clock set back before the last sign-in as expired', async () => {
    const store = secrets();
    store.values.set('last-online-auth', new Date(signedIn).toISOString());
    const h = make({ secrets: store, session: session([false]), now: () => signedIn - 10 * day, offlineLeaseDays: 7 });
    await expect(h.getDeviceSecret(undefined)).rejects.toMatchObject({ code: 'OFFLINE_LEASE_EXPIRED' });
  });
});

describe('remote wipe handlers', () => {
  it('destroy the device secret, the refresh token and the lease mark, then (last) the page storage', async () => {
    const store = secrets();
    for (const account of ['device-secret', 'refresh-token', 'last-online-auth']) store.values.set(account, 'x');
    const order: string[] = [];
    const h = make({ secrets: store, clearPageStorage: async () => { order.push('storage'); } });
    await h.eraseDeviceSecrets(undefined);
    expect([...store.values.keys()]).toEqual([]);
    await h.eraseLocalData(undefined);
    expect(order).toEqual(['storage']);
  });
});
