import { ipcContract, type ChannelName, type RelaisBridge, type ResponseOf } from '../../shared/ipc/contract';
import { envelopeSchema } from '../../shared/ipc/envelope';
import { bridgeGlobalName } from '../../shared/ipc/wire';
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

export const createHost: HostFactory = (): Host => {
  const api = bridge();
  return {
    kind: 'electron',
    appInfo: () => unwrap('getAppInfo', api.getAppInfo()),
    loadLanguage: () => unwrap('getLanguage', api.getLanguage()),
    saveLanguage: async (language) => {
      await unwrap('setLanguage', api.setLanguage({ language }));
    },
    openExternal: async (url) => {
      await unwrap('openExternal', api.openExternal({ url }));
    },
  };
};
