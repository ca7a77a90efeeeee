import { contextBridge, ipcRenderer } from 'electron';
import type { ChannelName, RelaisBridge } from '../../shared/ipc/contract';
import { bridgeGlobalName, dataPortMessage, dataPortTicketPattern, wireChannel } from '../../shared/ipc/wire';
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
  openDataPort: (request) => invoke('openDataPort', request),
  getSources: () => invoke('getSources'),
  getSourceSession: (request) => invoke('getSourceSession', request),
  signInSource: (request) => invoke('signInSource', request),
  signOutSource: (request) => invoke('signOutSource', request),
  getSourceLease: (request) => invoke('getSourceLease', request),
  getUpdateStatus: () => invoke('getUpdateStatus'),
  reportWork: (request) => invoke('reportWork', request),
  installUpdate: () => invoke('installUpdate'),
  getSetup: () => invoke('getSetup'),
  discoverHie: (request) => invoke('discoverHie', request),
  confirmHie: (request) => invoke('confirmHie', request),
  sourceHieRequest: (request) => invoke('sourceHieRequest', request),
  getSourceAuditAnchor: (request) => invoke('getSourceAuditAnchor', request),
  anchorSourceAudit: (request) => invoke('anchorSourceAudit', request),
  openSourceDataPort: (request) => invoke('openSourceDataPort', request),
} satisfies RelaisBridge;

contextBridge.exposeInMainWorld(bridgeGlobalName, bridge);

// The one event main sends: a data worker's port to main, with the ticket of the request it
// answers. A MessagePort cannot cross the context bridge; it is handed to the page's own window with
// postMessage, as Electron's documentation does, and the page gives it to the worker that asked.
// Only the port and a well-formed ticket move, nothing else of the event.
ipcRenderer.on(dataPortMessage, (event, ticket: unknown) => {
  const [port] = event.ports;
  if (event.ports.length !== 1 || port === undefined || typeof ticket !== 'string' || !dataPortTicketPattern.test(ticket)) return;
  window.postMessage({ kind: dataPortMessage, ticket }, window.location.origin === 'null' ? '*' : window.location.origin, [port]);
});
