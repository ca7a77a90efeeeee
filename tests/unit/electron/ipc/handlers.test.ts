import { describe, expect, it, vi } from 'vitest';
import { createIpcHandlers, hieTextRequest } from '../../../../electron/ipc/handlers';
import { SecretStoreError, type SecretStore } from '../../../../electron/secrets/secret-store';
import type { SettingsFile } from '../../../../electron/settings/settings-file';
import type { SessionManager } from '../../../../electron/auth/session';
import { LoginError } from '../../../../electron/auth/login-error';
import { TransportError, type FhirTransport } from '../../../../shared/hie/transport';
import { createVaultKeyService } from '../../../../electron/secrets/vault-keys';
import { createLeaseClock } from '../../../../electron/auth/lease-clock';
import { fromBase64Url, toBase64Url } from '../../../../shared/crypto/bytes';
import { WrongPassphraseError } from '../../../../shared/crypto/errors';
import { createVault, unlockVault, type KekSource } from '../../../../shared/crypto/key-hierarchy';
import type { WebCrypto } from '../../../../shared/crypto/webcrypto';
import { ipcContract } from '../../../../shared/ipc/contract';
import { nextLink, type AuditLink } from '../../../../shared/audit/chain';
import { pbkdf2Sync } from 'node:crypto';

const settings = (): SettingsFile => {
  let state: Awaited<ReturnType<SettingsFile['read']>> = { language: null, session: null, sources: {}, administratorHie: null };
  return { read: async () => state, update: async (c) => { state = { ...state, ...(typeof c === 'function' ? c(state) : c) }; return state; } };
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

let sharedSecrets = secrets();
const make = (over: { maxAttempts?: number; secrets?: SecretStore; openExternal?: (u: string) => Promise<void>; hie?: FhirTransport | null; session?: SessionManager | null; now?: () => number; offlineLeaseDays?: number; clearPageStorage?: () => Promise<void>; identifierPriority?: { label: string; system?: string; type?: string }[]; messageAttachmentMaxBytes?: number; imagingViewerUrl?: string; linkIdentifierSystems?: string[]; idleLockMaxMinutes?: number; idleLockDefaultMinutes?: number; passphraseMinLength?: number } = {}) =>
  createIpcHandlers({
    appName: 'Relais', appVersion: '1.2.3', platform: 'freebsd', settings: settings(),
    secrets: over.secrets ?? sharedSecrets, allowedExternalOrigins: ['https://loinc.org'],
    openExternal: over.openExternal ?? (async () => {}),
    openDataPort: async () => undefined,
    session: over.session ?? null,
    hie: over.hie ?? null,
    vaultKeys: createVaultKeyService({
      secrets: over.secrets ?? sharedSecrets,
      ...(over.now ? { now: over.now } : {}),
      ...(over.maxAttempts === undefined ? {} : { maxAttempts: over.maxAttempts }),
    }),
    clearPageStorage: over.clearPageStorage ?? (async () => {}),
    ...(over.now ? { now: over.now } : {}),
    ...(over.offlineLeaseDays === undefined ? {} : { offlineLeaseDays: over.offlineLeaseDays }),
    ...(over.identifierPriority === undefined ? {} : { identifierPriority: over.identifierPriority }),
    ...(over.messageAttachmentMaxBytes === undefined ? {} : { messageAttachmentMaxBytes: over.messageAttachmentMaxBytes }),
    ...(over.imagingViewerUrl === undefined ? {} : { imagingViewerUrl: over.imagingViewerUrl }),
    ...(over.linkIdentifierSystems === undefined ? {} : { linkIdentifierSystems: over.linkIdentifierSystems }),
    ...(over.idleLockMaxMinutes === undefined ? {} : { idleLockMaxMinutes: over.idleLockMaxMinutes }),
    ...(over.idleLockDefaultMinutes === undefined ? {} : { idleLockDefaultMinutes: over.idleLockDefaultMinutes }),
    ...(over.passphraseMinLength === undefined ? {} : { passphraseMinLength: over.passphraseMinLength }),
  });

describe('IPC handlers', () => {
  it('gives the page the identifier order the policy sets, or null for the built-in one', async () => {
    expect(await make().getDisplayPolicy(undefined)).toEqual({ identifierPriority: null, messageAttachmentMaxBytes: null, imagingViewerUrl: null, linkIdentifierSystems: null, idleLockMaxMinutes: null, idleLockDefaultMinutes: null, passphraseMinLength: null });
    expect(await make({ identifierPriority: [{ type: 'MR', label: 'IPP' }] }).getDisplayPolicy(undefined)).toEqual({ identifierPriority: [{ type: 'MR', label: 'IPP' }], messageAttachmentMaxBytes: null, imagingViewerUrl: null, linkIdentifierSystems: null, idleLockMaxMinutes: null, idleLockDefaultMinutes: null, passphraseMinLength: null });
    expect((await make({ messageAttachmentMaxBytes: 0 }).getDisplayPolicy(undefined)).messageAttachmentMaxBytes).toBe(0);
    const viewer = 'https://pacs.example.org/viewer?StudyInstanceUIDs={studyUid}';
    expect((await make({ imagingViewerUrl: viewer }).getDisplayPolicy(undefined)).imagingViewerUrl).toBe(viewer);
    expect((await make({ linkIdentifierSystems: ['urn:oid:1.2.250.1.71.4.2.7'] }).getDisplayPolicy(undefined)).linkIdentifierSystems).toEqual(['urn:oid:1.2.250.1.71.4.2.7']);
    expect(await make({ idleLockMaxMinutes: 15, idleLockDefaultMinutes: 5, passphraseMinLength: 16 }).getDisplayPolicy(undefined)).toMatchObject({ idleLockMaxMinutes: 15, idleLockDefaultMinutes: 5, passphraseMinLength: 16 });
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

const webcrypto = globalThis.crypto as unknown as WebCrypto;
type Handlers = ReturnType<typeof make>;

/** What the Electron host does with these two channels (renderer/host/electron-host.ts), over the handlers directly. */
const pageKeys = (h: Handlers): KekSource => {
  const importKek = (kek: string) => webcrypto.subtle.importKey('raw', fromBase64Url(kek), { name: 'AES-GCM' }, false, ['wrapKey', 'unwrapKey']);
  return {
    newVaultSalt: async () => fromBase64Url((await h.newVaultSalt(undefined)).salt),
    kekForNewVault: async (salt, stretched) => importKek((await h.deriveVaultKey({ salt: toBase64Url(salt), stretched: toBase64Url(stretched) })).kek),
    kekForVault: async (salt, stretched, wrappedReplicaKey) => {
      try {
        return await importKek((await h.deriveVaultKey({ salt: toBase64Url(salt), stretched: toBase64Url(stretched), wrappedReplicaKey })).kek);
      } catch (error: unknown) {
        if ((error as { code?: string }).code === 'WRONG_PASSPHRASE') throw new WrongPassphraseError();
        throw error;
      }
    },
  };
};
/** The stretched passphrase the page would send for this vault. */
const stretchedFor = (passphrase: string, record: { salt: string; iterations: number }) =>
  toBase64Url(new Uint8Array(pbkdf2Sync(passphrase, Buffer.from(record.salt, 'base64url'), record.iterations, 32, 'sha256')));
const randomStretched = () => toBase64Url(webcrypto.getRandomValues(new Uint8Array(32)));
const passphrase = 'Quatre chats gris dorment sous le figuier';

// Each test makes a vault (PBKDF2, 600,000 rounds: about 0.4 s idle).
describe('vault keys: the device secret never leaves main', { timeout: 20_000 }, () => {
  it('no channel answers the page with the device secret, whatever it asks (the old getDeviceSecret is gone)', async () => {
    const store = secrets();
    sharedSecrets = store;
    const h = make({ secrets: store });
    expect(Object.keys(ipcContract)).not.toContain('getDeviceSecret');
    const { record } = await createVault(webcrypto, pageKeys(h), passphrase);
    const secret = store.values.get('device-secret');
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const answers: unknown[] = [];
    for (const call of [
      () => h.newVaultSalt(undefined),
      () => h.deriveVaultKey({ salt: record.salt, stretched: stretchedFor(passphrase, record), wrappedReplicaKey: record.wrappedReplicaKey }),
      () => h.getAppInfo(undefined), () => h.getKeychainStatus(undefined), () => h.getSession(undefined), () => h.getDisplayPolicy(undefined),
    ]) answers.push(await call());
    const seen = JSON.stringify(answers);
    expect(seen).not.toContain(secret);
    expect(seen).not.toContain(Buffer.from(secret as string, 'base64url').toString('hex'));
    // What the page does get opens this vault and nothing else: another vault's salt gives another key.
    await expect(unlockVault(webcrypto, record, pageKeys(h), passphrase)).resolves.toBeDefined();
  });

  it('a new vault’s salt must be one main just gave, once: the creation path cannot test guesses against the existing vault', async () => {
    sharedSecrets = secrets();
    const h = make();
    const { record } = await createVault(webcrypto, pageKeys(h), passphrase);
    // The attack: ask for "a new vault" with the existing vault's salt, then try the KEK on its wrapped key offline.
    await expect(h.deriveVaultKey({ salt: record.salt, stretched: stretchedFor(passphrase, record) })).rejects.toMatchObject({ code: 'VAULT_SALT_UNKNOWN' });
    const { salt } = await h.newVaultSalt(undefined);
    await expect(h.deriveVaultKey({ salt, stretched: randomStretched() })).resolves.toMatchObject({ kek: expect.any(String) });
    await expect(h.deriveVaultKey({ salt, stretched: randomStretched() })).rejects.toMatchObject({ code: 'VAULT_SALT_UNKNOWN' });
  });

  it('counts wrong passphrases, makes each attempt after the third wait twice as long, and after the policy maximum requires an online sign-in, across a restart', async () => {
    const store = secrets();
    sharedSecrets = store;
    let t = Date.parse('2026-12-01T08:00:00Z');
    const signIns: string[] = [];
    const session = { signIn: async () => { signIns.push('in'); return { practitioner: 'Practitioner/pr1', fhirBase: 'https://hie.example/fhir' }; }, refresh: async () => true } as unknown as SessionManager;
    await createLeaseClock(store).confirmedOnline(t);
    const h = make({ secrets: store, now: () => t, maxAttempts: 6, session });
    const { record } = await createVault(webcrypto, pageKeys(h), passphrase);
    const attempt = (handlers: Handlers, stretched: string) => handlers.deriveVaultKey({ salt: record.salt, stretched, wrappedReplicaKey: record.wrappedReplicaKey });
    const right = stretchedFor(passphrase, record);
    for (let i = 0; i < 3; i += 1) await expect(attempt(h, randomStretched())).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    // Three free attempts used: the next, even with the right passphrase, waits 1 s.
    await expect(attempt(h, right)).rejects.toMatchObject({ code: 'UNLOCK_THROTTLED' });
    t += 1000;
    await expect(attempt(h, randomStretched())).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    t += 1999;
    await expect(attempt(h, right)).rejects.toMatchObject({ code: 'UNLOCK_THROTTLED' });
    t += 1;
    await expect(attempt(h, randomStretched())).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    t += 4000;
    // The sixth wrong one reaches the policy maximum.
    await expect(attempt(h, randomStretched())).rejects.toMatchObject({ code: 'UNLOCK_SIGN_IN_REQUIRED' });
    t += 3_600_000;
    // Restarting Relais (new handlers, same keychain) does not reset the count; nor does waiting.
    const restarted = make({ secrets: store, now: () => t, maxAttempts: 6, session });
    await expect(attempt(restarted, right)).rejects.toMatchObject({ code: 'UNLOCK_SIGN_IN_REQUIRED' });
    await restarted.signIn(undefined);
    expect(signIns).toEqual(['in']);
    await expect(attempt(restarted, right)).resolves.toMatchObject({ kek: expect.any(String) });
    expect(JSON.parse(store.values.get('unlock-failures') as string)).toMatchObject({ failures: 0 });
  });

  it('a count the keychain holds in an unreadable form is not a reset: it reads as the maximum reached', async () => {
    const store = secrets();
    sharedSecrets = store;
    const h = make({ secrets: store });
    const { record } = await createVault(webcrypto, pageKeys(h), passphrase);
    store.values.set('unlock-failures', '{"failures":"0"}');
    await expect(h.deriveVaultKey({ salt: record.salt, stretched: stretchedFor(passphrase, record), wrappedReplicaKey: record.wrappedReplicaKey })).rejects.toMatchObject({ code: 'UNLOCK_SIGN_IN_REQUIRED' });
  });

  it('two attempts sent at once are counted one after the other (no race past the throttle)', async () => {
    const store = secrets();
    sharedSecrets = store;
    const h = make({ secrets: store, now: () => 1_000_000 });
    const { record } = await createVault(webcrypto, pageKeys(h), passphrase);
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => h.deriveVaultKey({ salt: record.salt, stretched: randomStretched(), wrappedReplicaKey: record.wrappedReplicaKey })));
    const codes = results.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'ok'));
    expect(codes).toEqual(['WRONG_PASSPHRASE', 'WRONG_PASSPHRASE', 'WRONG_PASSPHRASE', 'UNLOCK_THROTTLED', 'UNLOCK_THROTTLED', 'UNLOCK_THROTTLED']);
    expect(JSON.parse(store.values.get('unlock-failures') as string)).toMatchObject({ failures: 3 });
  });

  it('a device secret the keychain lost or altered is told (DEVICE_SECRET_LOST), never silently replaced', async () => {
    const store = secrets();
    sharedSecrets = store;
    const h = make({ secrets: store });
    const { record } = await createVault(webcrypto, pageKeys(h), passphrase);
    const unlock = () => h.deriveVaultKey({ salt: record.salt, stretched: stretchedFor(passphrase, record), wrappedReplicaKey: record.wrappedReplicaKey });
    store.values.set('device-secret', 'not-a-secret');
    await expect(unlock()).rejects.toMatchObject({ code: 'DEVICE_SECRET_LOST' });
    expect(store.values.get('device-secret')).toBe('not-a-secret');
    store.values.delete('device-secret');
    await expect(unlock()).rejects.toMatchObject({ code: 'DEVICE_SECRET_LOST' });
    expect(store.values.has('device-secret')).toBe(false);
    // Neither counts as a wrong passphrase.
    expect(store.values.has('unlock-failures')).toBe(false);
  });

  it('refuses with KEYCHAIN_UNAVAILABLE when there is no keychain (no fallback)', async () => {
    const down = secrets(new SecretStoreError('KEYCHAIN_UNAVAILABLE', 'x'));
    const h = make({ secrets: down });
    const { salt } = await h.newVaultSalt(undefined);
    await expect(h.deriveVaultKey({ salt, stretched: randomStretched() })).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
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

  it('give the data port the HIE answer as text, unparsed, under the same header filter and codes', async () => {
    let parsed = 0;
    const text = '{"resourceType":"Bundle","total":3}';
    const hie: FhirTransport = {
      send: async () => {
        parsed += 1;
        return { status: 200, headers: {}, body: JSON.parse(text) as unknown };
      },
      sendText: async (r) => {
        if (r.target === 'down') throw new TransportError('offline');
        if (r.target === 'away') throw new TransportError('refused');
        return { status: 200, headers: { etag: 'W/"2"', 'set-cookie': 'x' }, text };
      },
    };
    expect(await hieTextRequest(hie, { method: 'GET', target: 'Observation' })).toEqual({ status: 200, headers: { etag: 'W/"2"' }, text });
    expect(parsed).toBe(0);
    await expect(hieTextRequest(hie, { method: 'GET', target: 'down' })).rejects.toMatchObject({ code: 'HIE_OFFLINE' });
    await expect(hieTextRequest(hie, { method: 'GET', target: 'away' })).rejects.toMatchObject({ code: 'HIE_REFUSED' });
    await expect(hieTextRequest(null, { method: 'GET', target: 'Observation' })).rejects.toMatchObject({ code: 'HIE_NOT_CONFIGURED' });
    // A transport with parsed answers only: written out as text, the same filter.
    const parsedOnly: FhirTransport = { send: async () => ({ status: 200, headers: { date: 'd', 'www-authenticate': 'Bearer' }, body: { resourceType: 'Patient' } }) };
    expect(await hieTextRequest(parsedOnly, { method: 'GET', target: 'Patient/1' })).toEqual({ status: 200, headers: { date: 'd' }, text: '{"resourceType":"Patient"}' });
  });

  it('maps each sign-in failure to its own code', async () => {
    for (const [code, expected] of [['STATE_MISMATCH', 'SIGN_IN_STATE_MISMATCH'], ['ISSUER_MISMATCH', 'SIGN_IN_ISSUER_MISMATCH'], ['TIMEOUT', 'SIGN_IN_TIMEOUT']] as const) {
      const session = { signIn: async () => { throw new LoginError(code); } } as unknown as SessionManager;
      await expect(make({ session }).signIn(undefined)).rejects.toMatchObject({ code: expected });
    }
  });
});

describe('offline lease on the vault keys', { timeout: 20_000 }, () => {
  const day = 86_400_000;
  const signedIn = Date.parse('2026-11-01T08:00:00Z');
  const session = (refreshes: boolean[]) => ({ refresh: async () => refreshes.shift() ?? false }) as unknown as SessionManager;
  const withVault = async (now: () => number, refreshes: boolean[]) => {
    const store = secrets();
    sharedSecrets = store;
    await createLeaseClock(store).confirmedOnline(signedIn);
    const maker = make({ secrets: store, session: session([true]), now: () => signedIn, offlineLeaseDays: 7 });
    const { record } = await createVault(webcrypto, pageKeys(maker), passphrase);
    const h = make({ secrets: store, session: session(refreshes), now, offlineLeaseDays: 7 });
    return { store, unlock: () => h.deriveVaultKey({ salt: record.salt, stretched: stretchedFor(passphrase, record), wrappedReplicaKey: record.wrappedReplicaKey }), h };
  };

  it('unlocks within the lease, offline', async () => {
    const { unlock } = await withVault(() => signedIn + 5 * day, []);
    await expect(unlock()).resolves.toMatchObject({ kek: expect.any(String) });
  });

  it('refuses past the lease when the HIE cannot confirm the clinician, with OFFLINE_LEASE_EXPIRED (and no new vault either)', async () => {
    const { unlock, h } = await withVault(() => signedIn + 8 * day, [false, false]);
    await expect(unlock()).rejects.toMatchObject({ code: 'OFFLINE_LEASE_EXPIRED' });
    await expect(h.newVaultSalt(undefined)).rejects.toMatchObject({ code: 'OFFLINE_LEASE_EXPIRED' });
  });

  it('renews past the lease when an online refresh succeeds', async () => {
    const { unlock } = await withVault(() => signedIn + 30 * day, [true]);
    await expect(unlock()).resolves.toMatchObject({ kek: expect.any(String) });
  });

  it('a clock set back to a day inside the window, after a later day was seen, is refused (the lease cannot be stretched)', async () => {
    let now = signedIn + 5 * day;
    const { unlock } = await withVault(() => now, [false, false]);
    await expect(unlock()).resolves.toMatchObject({ kek: expect.any(String) });
    now = signedIn + 2 * day;
    await expect(unlock()).rejects.toMatchObject({ code: 'OFFLINE_LEASE_EXPIRED' });
  });

  it('a lease stamp edited in the keychain (its seal broken) counts as no online sign-in', async () => {
    const { unlock, store } = await withVault(() => signedIn + 30 * day, [false]);
    const stamp = JSON.parse(store.values.get('last-online-auth') as string) as Record<string, unknown>;
    store.values.set('last-online-auth', JSON.stringify({ ...stamp, lastOnlineAuth: signedIn + 29 * day, latestSeen: signedIn + 29 * day }));
    await expect(unlock()).rejects.toMatchObject({ code: 'OFFLINE_LEASE_EXPIRED' });
    store.values.set('last-online-auth', new Date(signedIn + 29 * day).toISOString());
    await expect(unlock()).rejects.toMatchObject({ code: 'OFFLINE_LEASE_EXPIRED' });
  });

  it('treats a clock set back before the last sign-in as expired', async () => {
    const { unlock } = await withVault(() => signedIn - 10 * day, [false]);
    await expect(unlock()).rejects.toMatchObject({ code: 'OFFLINE_LEASE_EXPIRED' });
  });
});

describe('remote wipe handlers', () => {
  it('destroy the device secret, the refresh token and the lease mark, then (last) the page storage', async () => {
    const store = secrets();
    for (const account of ['device-secret', 'refresh-token', 'last-online-auth', 'unlock-failures']) store.values.set(account, 'x');
    const order: string[] = [];
    const h = make({ secrets: store, clearPageStorage: async () => { order.push('storage'); } });
    await h.eraseDeviceSecrets(undefined);
    expect([...store.values.keys()]).toEqual([]);
    await h.eraseLocalData(undefined);
    expect(order).toEqual(['storage']);
  });
});

describe('the audit head anchored in main', () => {
  it('main anchors only links that continue its chain: a rewrite or a gap is refused with AUDIT_ANCHOR_REFUSED', async () => {
    const store = secrets();
    sharedSecrets = store;
    const h = make({ secrets: store });
    const replica = 'relais-0123456789abcdef';
    const links: AuditLink[] = [];
    for (let i = 0; i < 3; i += 1) links.push(await nextLink(webcrypto, links.at(-1) ?? null, { resourceType: 'AuditEvent', id: `e${i}` } as never));
    const wire = (l: AuditLink) => ({ seq: l.seq, previous: l.previous, hash: l.hash, event: l.event as Record<string, unknown>, ...(l.form === undefined ? {} : { form: l.form }) });
    expect(await h.getAuditAnchor(undefined)).toBeNull();
    expect(await h.anchorAudit({ replica, links: links.slice(0, 2).map(wire) })).toEqual({ replica, seq: 2, hash: links[1]?.hash });
    const forged = { ...wire(links[2] as AuditLink), event: { resourceType: 'AuditEvent', id: 'other' } };
    await expect(h.anchorAudit({ replica, links: [forged] })).rejects.toMatchObject({ code: 'AUDIT_ANCHOR_REFUSED' });
    expect(await h.getAuditAnchor(undefined)).toMatchObject({ seq: 2 });
    expect(await h.anchorAudit({ replica, links: [wire(links[2] as AuditLink)] })).toMatchObject({ seq: 3 });
    // The wipe removes it with the other secrets.
    await h.eraseDeviceSecrets(undefined);
    expect(store.values.has('audit-anchor')).toBe(false);
  });
});

describe('updates and setup channels', () => {
  it('without an updater or a setup service: updates are off, the HIE is configured, and no address may be entered', async () => {
    const h = make();
    expect(await h.getUpdateStatus(undefined)).toEqual({ state: 'off' });
    expect(await h.reportWork({ unsentEntries: 2, syncWriting: false, unsavedInput: false })).toEqual({ state: 'off' });
    expect(await h.installUpdate(undefined)).toEqual({ state: 'off' });
    expect(await h.getSetup(undefined)).toEqual({ state: 'ready' });
    await expect(h.discoverHie({ fhirBase: 'https://hie.example.org/fhir' })).rejects.toMatchObject({ code: 'SETUP_NOT_ALLOWED' });
    await expect(h.confirmHie({ fhirBase: 'https://hie.example.org/fhir' })).rejects.toMatchObject({ code: 'SETUP_NOT_ALLOWED' });
  });
});

