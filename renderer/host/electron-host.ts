import { ipcContract, type ChannelName, type RelaisBridge, type ResponseOf } from '../../shared/ipc/contract';
import { envelopeSchema } from '../../shared/ipc/envelope';
import { bridgeGlobalName } from '../../shared/ipc/wire';
import { fromBase64Url } from '../../shared/crypto/bytes';
import { importDeviceSecret } from '../../shared/crypto/key-hierarchy';
import type { WebCrypto } from '../../shared/crypto/webcrypto';
import { TransportError, type FhirTransport } from '../../shared/sync/ports';
import { HostError, type Host, type HostFactory } from './host';

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
  HIE_NOT_CONFIGURED: 'refused',
};

/** The sync engine's transport: every request goes to main, which pins the origin and adds the token. */
function mainTransport(api: RelaisBridge): FhirTransport {
  return {
    async send(request) {
      try {
        return await unwrap('hieRequest', api.hieRequest({ ...request, headers: { ...request.headers } }));
      } catch (error: unknown) {
        if (error instanceof HostError && transportKinds[error.code] !== undefined) throw new TransportError(transportKinds[error.code] as TransportError['kind']);
        throw error;
      }
    },
  };
}

export const createHost: HostFactory = (): Host => {
  const api = bridge();
  const transport = mainTransport(api);
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
    deviceSecret: async () => {
      const { secret } = await unwrap('getDeviceSecret', api.getDeviceSecret());
      const bytes = fromBase64Url(secret);
      try {
        return await importDeviceSecret(globalThis.crypto as unknown as WebCrypto, bytes);
      } finally {
        bytes.fill(0);
      }
    },
    fhirTransport: () => transport,
    eraseDeviceSecrets: async () => {
      await unwrap('eraseDeviceSecrets', api.eraseDeviceSecrets());
    },
    eraseLocalData: async () => {
      await unwrap('eraseLocalData', api.eraseLocalData());
    },
  };
};
