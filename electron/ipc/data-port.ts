import { hostContract, transportCode } from '../../shared/ipc/host-contract';
import { PortError, servePort, type PortLike } from '../../shared/ipc/port-rpc';
import type { TextResponse, TransportRequest } from '../../shared/hie/transport';
import type { Logger } from '../log/logger';
import { CodedError } from './coded-error';
import type { IpcHandlers } from './register';

/**
 * The data worker's platform services, served by main on a MessagePort handed to the worker at
 * start (through the preload, which only forwards the port): HIE requests, the audit anchor and
 * the wipe's steps reach main without crossing the page. The same handlers as the IPC channels
 * (handlers.ts) do the work, so there is one rule for each; their codes are turned into the host
 * contract's (shared/ipc/host-contract.ts).
 */
export type MessagePortMainLike = Readonly<{
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  off(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
  start(): void;
}>;

/** Electron's MessagePortMain as the port protocol's PortLike. */
export function portOfMain(port: MessagePortMainLike): PortLike {
  return {
    postMessage: (message) => port.postMessage(message),
    addEventListener: (_type, listener) => void port.on('message', listener),
    removeEventListener: (_type, listener) => void port.off('message', listener),
  };
}

/** The IPC channels' codes (handlers.ts) as the host contract's. */
const portCodes: Readonly<Record<string, string>> = {
  HIE_OFFLINE: transportCode('offline'),
  HIE_TIMEOUT: transportCode('timeout'),
  HIE_REFUSED: transportCode('refused'),
  HIE_NOT_CONFIGURED: transportCode('not-configured'),
  AUDIT_ANCHOR_REFUSED: 'AUDIT_ANCHOR_REFUSED',
};

/** The IPC channels' handlers the port shares, and the HIE exchange as text (handlers.ts `hieTextRequest`: the same header filter and codes as `hieRequest`). */
export type PortHandlers = Pick<IpcHandlers, 'getAuditAnchor' | 'anchorAudit' | 'eraseDeviceSecrets' | 'eraseLocalData'> &
  Readonly<{ hieText(request: TransportRequest): Promise<TextResponse> }>;

export function serveDataPort(port: MessagePortMainLike, handlers: PortHandlers, log: Logger): () => void {
  const coded = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error: unknown) {
      throw new PortError(error instanceof CodedError ? (portCodes[error.code] ?? 'HOST_FAILED') : 'HOST_FAILED');
    }
  };
  const server = servePort(
    hostContract,
    portOfMain(port),
    {
      // The HIE's answer as it came, as text: the worker parses it, main does not parse it and write it out again.
      hieSend: (request) => coded(() => handlers.hieText(request)),
      anchorRead: () => coded(() => handlers.getAuditAnchor(undefined)),
      anchorExtend: (request) => coded(() => handlers.anchorAudit(request)),
      eraseDeviceSecrets: () => coded(() => handlers.eraseDeviceSecrets(undefined)),
      eraseLocalData: () => coded(() => handlers.eraseLocalData(undefined)),
    },
    // Codes only: never a request or its data.
    (code, method) => log.warn('data port refused a message', { code, method: method ?? 'none' }),
  );
  port.start();
  return () => server.close();
}
