import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHost, dataPortFromMain } from '../../../../renderer/host/electron-host';
import { createVaultKeyService } from '../../../../electron/secrets/vault-keys';
import { WrongPassphraseError } from '../../../../shared/crypto/errors';
import { createVault, stretchPassphrase, unlockVault } from '../../../../shared/crypto/key-hierarchy';
import { fromBase64Url } from '../../../../shared/crypto/bytes';
import type { WebCrypto } from '../../../../shared/crypto/webcrypto';
import { nextLink, redactedLink, type AuditLink } from '../../../../shared/audit/chain';
import { extendAnchor } from '../../../../shared/audit/anchor';
import { ipcContract } from '../../../../shared/ipc/contract';
import type { TransportError } from '../../../../shared/hie/transport';

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

  it('unlocks through main: the page gets a non-extractable KEK, a wrong passphrase is WrongPassphraseError, a refusal keeps its code', { timeout: 30_000 }, async () => {
    const values = new Map<string, string>();
    const keys = createVaultKeyService({
      secrets: { get: async (a) => values.get(a) ?? null, set: async (a, v) => void values.set(a, v), delete: async (a) => values.delete(a), list: async () => [...values.keys()] },
      now: () => 0,
    });
    const envelope = async <T>(work: () => Promise<T>) => {
      try {
        return { ok: true, value: await work() };
      } catch (error: unknown) {
        return { ok: false, code: (error as { code: string }).code };
      }
    };
    g['relais'] = {
      newVaultSalt: () => envelope(() => keys.newVaultSalt()),
      deriveVaultKey: (request: Parameters<typeof keys.deriveVaultKey>[0]) => envelope(() => keys.deriveVaultKey(request)),
    };
    const crypto = globalThis.crypto as unknown as WebCrypto;
    const source = createHost().vaultKeys();
    const { record } = await createVault(crypto, source, 'Le vent se lève sur la lande bretonne');
    const vault = await unlockVault(crypto, record, source, 'Le vent se lève sur la lande bretonne');
    expect((vault.replicaKey as CryptoKey).extractable).toBe(false);
    const salt = fromBase64Url(record.salt);
    const kek = (await source.kekForVault(salt, await stretchPassphrase(crypto, 'Le vent se lève sur la lande bretonne', salt, record.iterations), record.wrappedReplicaKey)) as CryptoKey;
    expect(kek.extractable).toBe(false);
    expect(kek.usages.sort()).toEqual(['unwrapKey', 'wrapKey']);
    for (let i = 0; i < 3; i += 1) await expect(unlockVault(crypto, record, source, `faux ${i}`)).rejects.toBeInstanceOf(WrongPassphraseError);
    await expect(unlockVault(crypto, record, source, 'Le vent se lève sur la lande bretonne')).rejects.toMatchObject({ name: 'HostError', code: 'UNLOCK_THROTTLED' });
  });

  it('sends main each audit link whole (its form, and a redacted one\'s digest), so main recomputes the same hash', async () => {
    const crypto = globalThis.crypto as unknown as WebCrypto;
    const first = await nextLink(crypto, null, { resourceType: 'AuditEvent', id: 'e1', entity: [{ what: { reference: 'Patient/p' }, role: { code: '1' } }] } as never);
    const second = await nextLink(crypto, first, { resourceType: 'AuditEvent', id: 'e2' } as never);
    const links = [(await redactedLink(crypto, first)) as AuditLink, second];
    const sent: unknown[] = [];
    g['relais'] = {
      anchorAudit: async (request: { replica: string; links: AuditLink[] }) => {
        sent.push(request);
        const anchor = await extendAnchor(crypto, null, request.replica, request.links);
        return anchor === null ? { ok: false, code: 'AUDIT_ANCHOR_REFUSED' } : { ok: true, value: anchor };
      },
    };
    const host = createHost();
    expect(await host.auditAnchor().extend('relais-0123456789abcdef', links)).toMatchObject({ seq: 2, hash: second.hash });
    expect(ipcContract.anchorAudit.request.safeParse(sent[0]).success).toBe(true);
  });

  it('keeps main’s transport failures apart: offline, refused, not configured', async () => {
    const answers: Record<string, string> = { a: 'HIE_OFFLINE', b: 'HIE_REFUSED', c: 'HIE_NOT_CONFIGURED', d: 'HIE_TIMEOUT' };
    g['relais'] = { hieRequest: async (request: { target: string }) => ({ ok: false, code: answers[request.target] }) };
    const transport = createHost().fhirTransport();
    const kind = async (target: string) => transport.send({ method: 'GET', target }).catch((error: unknown) => (error as TransportError).kind);
    expect(await kind('a')).toBe('offline');
    expect(await kind('b')).toBe('refused');
    expect(await kind('c')).toBe('not-configured');
    expect(await kind('d')).toBe('timeout');
  });
});

describe('a data worker’s port from main (dataPortFromMain)', () => {
  /** The page's window as the function uses it: message listeners, and timers the test drives. */
  function fakeWindow() {
    const listeners = new Set<(event: MessageEvent) => void>();
    const timers = new Map<number, () => void>();
    let next = 1;
    const win = {
      addEventListener: (_type: string, listener: (event: MessageEvent) => void) => void listeners.add(listener),
      removeEventListener: (_type: string, listener: (event: MessageEvent) => void) => void listeners.delete(listener),
      setTimeout: (fn: () => void) => {
        timers.set(next, fn);
        return next++;
      },
      clearTimeout: (id: number) => void timers.delete(id),
    };
    return {
      win: win as unknown as Window,
      deliver: (event: Partial<MessageEvent>) => [...listeners].forEach((listener) => listener(event as MessageEvent)),
      expire: () => [...timers.values()].forEach((fn) => fn()),
      listening: () => listeners.size,
    };
  }
  const port = { name: 'the port' } as unknown as MessagePort;

  it('takes the port from the preload’s message on this very window, and ignores any other message', async () => {
    const { win, deliver, listening } = fakeWindow();
    const result = dataPortFromMain(win, async () => {
      deliver({ source: {} as Window, data: 'relais:data-port', ports: [port] }); // another window
      deliver({ source: win, data: 'something else', ports: [port] });
      deliver({ source: win, data: 'relais:data-port', ports: [port, port] });
      deliver({ source: win, data: 'relais:data-port', ports: [port] });
      return null;
    });
    expect(await result).toBe(port);
    expect(listening()).toBe(0);
  });

  it('falls back to the page serving the worker (null) when main refuses, or no port comes in time', async () => {
    const refused = fakeWindow();
    expect(
      await dataPortFromMain(refused.win, async () => {
        throw new Error('FORBIDDEN_SENDER');
      }),
    ).toBeNull();
    expect(refused.listening()).toBe(0);
    const late = fakeWindow();
    const waiting = dataPortFromMain(late.win, async () => {
      late.expire();
      return null;
    });
    expect(await waiting).toBeNull();
    expect(late.listening()).toBe(0);
  });
});
