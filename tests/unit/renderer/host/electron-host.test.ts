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

  it('lists the sources main names, and reaches each through channels that name it; a source not listed has no session', async () => {
    const calls: Array<[string, unknown]> = [];
    const answer = (name: string, value: unknown) => async (request?: unknown) => {
      calls.push([name, request]);
      return { ok: true, value };
    };
    g['relais'] = {
      getSources: answer('getSources', [{ id: 'ch-sud', label: 'CH Sud', fhirBase: 'https://fhir.ch-sud.example/r4' }]),
      getSourceSession: answer('getSourceSession', null),
      signInSource: answer('signInSource', { practitioner: 'Practitioner/b-1', fhirBase: 'https://fhir.ch-sud.example/r4' }),
      getSourceLease: answer('getSourceLease', { holds: false }),
      sourceHieRequest: answer('sourceHieRequest', { status: 200, headers: {}, body: { resourceType: 'Bundle' } }),
      getSourceAuditAnchor: answer('getSourceAuditAnchor', null),
    };
    const host = createHost();
    expect(host.otherSource('ch-sud')).toBeNull();
    expect(await host.otherSources()).toEqual([{ id: 'ch-sud', label: 'CH Sud', fhirBase: 'https://fhir.ch-sud.example/r4' }]);
    const source = host.otherSource('ch-sud');
    expect(source).not.toBeNull();
    expect(host.otherSource('primary')).toBeNull();
    expect(await source?.session()).toBeNull();
    expect(await source?.signIn()).toEqual({ practitioner: 'Practitioner/b-1', fhirBase: 'https://fhir.ch-sud.example/r4' });
    expect(await source?.leaseHolds()).toBe(false);
    expect(await source?.fhirTransport().send({ method: 'GET', target: 'Patient?_count=1' })).toMatchObject({ status: 200 });
    expect(await source?.auditAnchor().read()).toBeNull();
    expect(calls.slice(1)).toEqual([
      ['getSourceSession', { source: 'ch-sud' }],
      ['signInSource', { source: 'ch-sud' }],
      ['getSourceLease', { source: 'ch-sud' }],
      ['sourceHieRequest', { source: 'ch-sud', request: { method: 'GET', target: 'Patient?_count=1', headers: {} } }],
      ['getSourceAuditAnchor', { source: 'ch-sud' }],
    ]);
    for (const [name, request] of calls.slice(1)) expect(ipcContract[name as keyof typeof ipcContract].request.safeParse(request).success).toBe(true);
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

  const ticket = 'T'.repeat(22);
  const message = (t: string) => ({ kind: 'relais:data-port', ticket: t });

  it('takes the port from the preload’s message on this very window, for this very request, and ignores any other message', async () => {
    const { win, deliver, listening } = fakeWindow();
    let asked = '';
    const result = dataPortFromMain(win, ticket, async (t) => {
      asked = t;
      deliver({ source: {} as Window, data: message(ticket), ports: [port] }); // another window
      deliver({ source: win, data: 'relais:data-port', ports: [port] }); // no ticket
      deliver({ source: win, data: message('U'.repeat(22)), ports: [{ name: 'another worker’s port' } as unknown as MessagePort] });
      deliver({ source: win, data: message(ticket), ports: [port, port] });
      deliver({ source: win, data: message(ticket), ports: [port] });
      return null;
    });
    expect(await result).toBe(port);
    expect(asked).toBe(ticket);
    expect(listening()).toBe(0);
  });

  it('two ports asked for at once, answered in the other order: each worker gets its own', async () => {
    const { win, deliver } = fakeWindow();
    const primaryPort = { name: 'primary' } as unknown as MessagePort;
    const sourcePort = { name: 'ch-sud' } as unknown as MessagePort;
    let answerPrimary: () => void = () => undefined;
    const primary = dataPortFromMain(win, 'P'.repeat(22), async (t) => {
      answerPrimary = () => deliver({ source: win, data: message(t), ports: [primaryPort] });
      return null;
    });
    const source = dataPortFromMain(win, 'S'.repeat(22), async (t) => {
      deliver({ source: win, data: message(t), ports: [sourcePort] });
      answerPrimary();
      return null;
    });
    expect(await source).toBe(sourcePort);
    expect(await primary).toBe(primaryPort);
  });

  it('falls back to the page serving the worker (null) when main refuses, or no port comes in time', async () => {
    const refused = fakeWindow();
    expect(
      await dataPortFromMain(refused.win, ticket, async () => {
        throw new Error('FORBIDDEN_SENDER');
      }),
    ).toBeNull();
    expect(refused.listening()).toBe(0);
    const late = fakeWindow();
    const waiting = dataPortFromMain(late.win, ticket, async () => {
      late.expire();
      return null;
    });
    expect(await waiting).toBeNull();
    expect(late.listening()).toBe(0);
  });
});
