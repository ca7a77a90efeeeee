import { contextBridge, ipcRenderer } from 'electron';
import type { ChannelName, RelaisBridge } from '../../shared/ipc/contract';
import { bridgeGlobalName, wireChannel } from '../../shared/ipc/wire';
import type { IpcEnvelope } from '../../shared/ipc/envelope';

/**
 * The preload: one function per channel of the contract and nothing else — no raw ipcRenderer,
 * no event passthrough. It runs sandboxed (no Node), so it is bundled into one CommonJS file.
 * `satisfies RelaisBridge` makes a missing, extra or mistyped channel a compile error.
 */
const invoke = (channel: ChannelName, request?: unknown): Promise<IpcEnvelope<never>> =>
  ipcRenderer.invoke(wireChannel(channel), request) as Promise<IpcEnvelope<never>>;

const bridge = {
  getAppInfo: () => invoke('getAppInfo'),
  getDisplayPolicy: () => invoke('getDisplayPolicy'),
  getLanguage: () => invoke('getLanguage'),
  setLanguage: (request) => invoke('setLanguage', request),
  openExternal: (request) => invoke('openExternal', request),
  getKeychainStatus: () => invoke('getKeychainStatus'),
  getSession: () => invoke('getSession'),
  signIn: () => invoke('signIn'),
  signOut: () => invoke('signOut'),
  newVaultSalt: () => invoke('newVaultSalt'),
  deriveVaultKey: (request) => invoke('deriveVaultKey', request),
  hieRequest: (request) => invoke('hieRequest', request),
  getAuditAnchor: () => invoke('getAuditAnchor'),
  anchorAudit: (request) => invoke('anchorAudit', request),
  eraseDeviceSecrets: () => invoke('eraseDeviceSecrets'),
  eraseLocalData: () => invoke('eraseLocalData'),
} satisfies RelaisBridge;

contextBridge.exposeInMainWorld(bridgeGlobalName, bridge);
