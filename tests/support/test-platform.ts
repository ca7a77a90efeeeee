import { importDeviceSecret, localKekSource, newDeviceSecret } from '../../shared/crypto/key-hierarchy';
import type { WebCrypto } from '../../shared/crypto/webcrypto';
import type { FhirTransport } from '../../shared/hie/transport';
import type { HieSession, Host } from '../../renderer/host/host';
import { localAuditAnchor } from '../../renderer/host/local-audit-anchor';

/**
 * The page's platform for tests that run the session controller in Node: a web-kind host with a
 * fresh device secret (the real key hierarchy), an audit anchor in memory, and the HIE transport
 * the test gives (the sandbox's, or one that never answers); and a window with its own storage
 * and network flag, on which the test can fire `online`/`offline`.
 */
const webcrypto = globalThis.crypto as unknown as WebCrypto;

export function memoryStorage(): Storage {
  const values = new Map<string, string>();
  return { getItem: (k: string) => values.get(k) ?? null, setItem: (k: string, v: string) => void values.set(k, v) } as unknown as Storage;
}

export type TestHostParts = Readonly<{ session: HieSession | null; signIn: HieSession; transport: FhirTransport; storage?: Storage }>;

export function testHost(parts: TestHostParts, overrides: Partial<Host> = {}): Host {
  const secret = importDeviceSecret(webcrypto, newDeviceSecret(webcrypto));
  const anchor = localAuditAnchor(parts.storage ?? memoryStorage(), webcrypto);
  return {
    kind: 'web',
    appInfo: async () => ({ name: 'Relais', version: '0', platform: 'other' }),
    displayPolicy: async () => ({ identifierPriority: null, messageAttachmentMaxBytes: null, imagingViewerUrl: null, linkIdentifierSystems: null, idleLockMaxMinutes: null, idleLockDefaultMinutes: null, passphraseMinLength: null }),
    loadLanguage: async () => null,
    saveLanguage: async () => undefined,
    openExternal: async () => undefined,
    session: async () => parts.session,
    signIn: async () => parts.signIn,
    signOut: async () => undefined,
    vaultKeys: () => localKekSource(webcrypto, () => secret),
    auditAnchor: () => anchor,
    dataPort: async () => null,
    fhirTransport: () => parts.transport,
    eraseDeviceSecrets: async () => undefined,
    eraseLocalData: async () => undefined,
    otherSources: async () => [],
    otherSource: () => null,
    relayed: () => false,
    updates: () => ({ status: async () => ({ state: 'off' }), reportWork: async () => ({ state: 'off' }), install: async () => ({ state: 'off' }) }),
    setup: async () => ({ state: 'ready' }),
    discoverHie: () => Promise.reject(new Error('no setup in tests')),
    confirmHie: () => Promise.reject(new Error('no setup in tests')),
    ...overrides,
  };
}

export function testWindow(online: boolean, storage: Storage = memoryStorage()): Window {
  const target = new EventTarget() as EventTarget & Record<string, unknown>;
  Object.assign(target, { navigator: { onLine: online }, crypto, localStorage: storage });
  return target as unknown as Window;
}
