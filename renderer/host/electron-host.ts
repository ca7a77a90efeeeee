import { ipcContract, type ChannelName, type RelaisBridge, type ResponseOf } from '../../shared/ipc/contract';
import { envelopeSchema } from '../../shared/ipc/envelope';
import { bridgeGlobalName, dataPortMessage } from '../../shared/ipc/wire';
import { fromBase64Url, toBase64Url } from '../../shared/crypto/bytes';
import { WrongPassphraseError } from '../../shared/crypto/errors';
import type { AuditLink } from '../../shared/audit/chain';
import type { KekSource } from '../../shared/crypto/key-hierarchy';
import type { WebCrypto } from '../../shared/crypto/webcrypto';
import { TransportError, type FhirTransport } from '../../shared/hie/transport';
import { HostError, type AuditAnchorPort, type Host, type HostFactory, type OtherSourceSession, type SourceListing } from './host';

/**
 * The host inside Electron: every call goes through the preload bridge, and every answer is parsed
 * against the contract here too, so a confused or compromised main cannot hand the page a shape it
 * does not expect.
 */
function bridge(): RelaisBridge {
  const candidate = (globalThis as Record<string, unknown>)[bridgeGlobalName];
  if (typeof candidate !== 'object' || candidate === null) throw new HostError('NO_BRIDGE');
  return candidate as RelaisBridge;
}

async function unwrap<C extends ChannelName>(channel: C, answer: Promise<unknown>): Promise<ResponseOf<C>> {
  const parsed = envelopeSchema(ipcContract[channel].response).safeParse(await answer);
  if (!parsed.success) throw new HostError('BAD_RESPONSE');
  if (!parsed.data.ok) throw new HostError(parsed.data.code);
  return parsed.data.value as ResponseOf<C>;
}

const transportKinds: Readonly<Record<string, TransportError['kind']>> = {
  HIE_OFFLINE: 'offline',
  HIE_TIMEOUT: 'timeout',
  HIE_REFUSED: 'refused',
  HIE_NOT_CONFIGURED: 'not-configured',
};

/** An audit link as main's contract takes it: whole (its form, and a redacted link's digest), or main's hash differs. */
const wireLink = ({ event, ...link }: AuditLink) => ({ ...link, event: event as Record<string, unknown> });

/** How long a port main was asked for may take to arrive; past it the page serves the worker itself. */
const dataPortWaitMs = 10_000;

/** A new data port request's ticket (wire.ts): 16 random bytes. */
export const newDataPortTicket = (): string => toBase64Url(globalThis.crypto.getRandomValues(new Uint8Array(16)));

/**
 * Asks main for a data worker's port and takes it from the window message the preload posts
 * (only a message from this very window, carrying the expected name, this request's ticket and
 * exactly one port: a port opened for another worker, or arriving after this one gave up, is never
 * taken).
 */
export async function dataPortFromMain(target: Window, ticket: string, ask: (ticket: string) => Promise<unknown>): Promise<MessagePort | null> {
  let finish: (port: MessagePort | null) => void = () => undefined;
  const arrived = new Promise<MessagePort | null>((resolve) => {
    finish = resolve;
  });
  const onMessage = (event: MessageEvent): void => {
    if (event.source !== target || event.ports.length !== 1) return;
    const data = event.data as { kind?: unknown; ticket?: unknown } | null;
    if (typeof data !== 'object' || data === null || data.kind !== dataPortMessage || data.ticket !== ticket) return;
    finish(event.ports[0] ?? null);
  };
  const timer = target.setTimeout(() => finish(null), dataPortWaitMs);
  target.addEventListener('message', onMessage);
  try {
    await ask(ticket);
    return await arrived;
  } catch {
    return null;
  } finally {
    target.clearTimeout(timer);
    target.removeEventListener('message', onMessage);
  }
}

/** The sync engine's transport: every request goes to main, which pins the origin and adds the token (the primary's, or one source's). */
function mainTransport(api: RelaisBridge, source: string | null = null): FhirTransport {
  return {
    async send(request) {
      const asked = { ...request, headers: { ...request.headers } };
      try {
        return source === null ? await unwrap('hieRequest', api.hieRequest(asked)) : await unwrap('sourceHieRequest', api.sourceHieRequest({ source, request: asked }));
      } catch (error: unknown) {
        if (error instanceof HostError && transportKinds[error.code] !== undefined) throw new TransportError(transportKinds[error.code] as TransportError['kind']);
        throw error;
      }
    },
  };
}

/**
 * The vault's keys from main: the page sends its stretched passphrase and gets the KEK, which it
 * imports non-extractable at once; the device secret stays in main, which counts every attempt.
 */
function mainVaultKeys(api: RelaisBridge): KekSource {
  const crypto = globalThis.crypto as unknown as WebCrypto;
  const importKek = async (kek: string): Promise<CryptoKey> => {
    const bytes = fromBase64Url(kek);
    try {
      return (await crypto.subtle.importKey('raw', bytes, { name: 'AES-GCM' }, false, ['wrapKey', 'unwrapKey'])) as CryptoKey;
    } finally {
      bytes.fill(0);
    }
  };
  return {
    newVaultSalt: async () => fromBase64Url((await unwrap('newVaultSalt', api.newVaultSalt())).salt),
    kekForNewVault: async (salt, stretched) =>
      importKek((await unwrap('deriveVaultKey', api.deriveVaultKey({ salt: toBase64Url(salt), stretched: toBase64Url(stretched) }))).kek),
    kekForVault: async (salt, stretched, wrappedReplicaKey) => {
      try {
        const { kek } = await unwrap('deriveVaultKey', api.deriveVaultKey({ salt: toBase64Url(salt), stretched: toBase64Url(stretched), wrappedReplicaKey }));
        return await importKek(kek);
      } catch (error: unknown) {
        if (error instanceof HostError && error.code === 'WRONG_PASSPHRASE') throw new WrongPassphraseError();
        throw error;
      }
    },
  };
}

/**
 * Another source's session, held by main (electron/sources/source-services.ts): the same calls as the
 * primary's, each naming the source; main refuses a source the policy does not name.
 */
function mainSource(api: RelaisBridge, source: string): OtherSourceSession {
  const transport = mainTransport(api, source);
  const anchor: AuditAnchorPort = {
    read: () => unwrap('getSourceAuditAnchor', api.getSourceAuditAnchor({ source })),
    extend: (replica, links) => unwrap('anchorSourceAudit', api.anchorSourceAudit({ source, replica, links: links.map(wireLink) })),
  };
  return {
    session: () => unwrap('getSourceSession', api.getSourceSession({ source })),
    signIn: () => unwrap('signInSource', api.signInSource({ source })),
    signOut: async () => {
      await unwrap('signOutSource', api.signOutSource({ source }));
    },
    fhirTransport: () => transport,
    auditAnchor: () => anchor,
    dataPort: () => dataPortFromMain(globalThis as unknown as Window, newDataPortTicket(), (ticket) => unwrap('openSourceDataPort', api.openSourceDataPort({ source, ticket }))),
    leaseHolds: async () => (await unwrap('getSourceLease', api.getSourceLease({ source }))).holds,
  };
}

export const createHost: HostFactory = (): Host => {
  const api = bridge();
  const transport = mainTransport(api);
  const vaultKeys = mainVaultKeys(api);
  // The other sources main listed, each with its session (made once).
  const sources = new Map<string, OtherSourceSession>();
  return {
    kind: 'electron',
    appInfo: () => unwrap('getAppInfo', api.getAppInfo()),
    displayPolicy: () => unwrap('getDisplayPolicy', api.getDisplayPolicy()),
    loadLanguage: () => unwrap('getLanguage', api.getLanguage()),
    saveLanguage: async (language) => {
      await unwrap('setLanguage', api.setLanguage({ language }));
    },
    openExternal: async (url) => {
      await unwrap('openExternal', api.openExternal({ url }));
    },
    session: () => unwrap('getSession', api.getSession()),
    signIn: () => unwrap('signIn', api.signIn()),
    signOut: async () => {
      await unwrap('signOut', api.signOut());
    },
    vaultKeys: () => vaultKeys,
    auditAnchor: () => ({
      read: () => unwrap('getAuditAnchor', api.getAuditAnchor()),
      extend: (replica, links) =>
        unwrap('anchorAudit', api.anchorAudit({ replica, links: links.map(wireLink) })),
    }),
    fhirTransport: () => transport,
    dataPort: () => dataPortFromMain(globalThis as unknown as Window, newDataPortTicket(), (ticket) => unwrap('openDataPort', api.openDataPort({ ticket }))),
    eraseDeviceSecrets: async () => {
      await unwrap('eraseDeviceSecrets', api.eraseDeviceSecrets());
    },
    eraseLocalData: async () => {
      await unwrap('eraseLocalData', api.eraseLocalData());
    },
    otherSources: async (): Promise<readonly SourceListing[]> => {
      const listed = await unwrap('getSources', api.getSources());
      for (const { id } of listed) if (!sources.has(id)) sources.set(id, mainSource(api, id));
      return listed;
    },
    otherSource: (id) => sources.get(id) ?? null,
    relayed: () => false,
    updates: () => ({
      status: () => unwrap('getUpdateStatus', api.getUpdateStatus()),
      reportWork: (work) => unwrap('reportWork', api.reportWork(work)),
      install: () => unwrap('installUpdate', api.installUpdate()),
    }),
    setup: () => unwrap('getSetup', api.getSetup()),
    discoverHie: (address) => unwrap('discoverHie', api.discoverHie({ fhirBase: address })),
    confirmHie: async (address) => {
      await unwrap('confirmHie', api.confirmHie({ fhirBase: address }));
    },
  };
};
