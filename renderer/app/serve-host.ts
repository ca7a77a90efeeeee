import type { AuditLink } from '../../shared/audit/chain';
import { TransportError } from '../../shared/hie/transport';
import { hostContract, transportCode } from '../../shared/ipc/host-contract';
import { PortError, servePort, type PortLike } from '../../shared/ipc/port-rpc';
import { HostError, type Host } from '../host/host';

/** What the page serves a worker (data or locked sync) when the platform does not (the web host). */
export type HostServices = Pick<Host, 'fhirTransport' | 'auditAnchor' | 'eraseDeviceSecrets' | 'eraseLocalData'>;

/** Serves the host's platform services to the data side: what crosses is a code, never an Error. */
export function serveHost(host: HostServices, port: PortLike): () => void {
  const transport = host.fhirTransport();
  const anchor = host.auditAnchor();
  const hostCode = (error: unknown): PortError =>
    new PortError(error instanceof TransportError ? transportCode(error.kind) : error instanceof HostError && error.code === 'AUDIT_ANCHOR_REFUSED' ? 'AUDIT_ANCHOR_REFUSED' : 'HOST_FAILED');
  const coded = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error: unknown) {
      throw hostCode(error);
    }
  };
  const server = servePort(hostContract, port, {
    hieSend: (request) =>
      coded(async () => {
        // Bytes where the transport has them (the web host's fetch): the page does not even decode them.
        if (transport.sendBytes) return transport.sendBytes(request);
        if (transport.sendText) return transport.sendText(request);
        // A transport that only parses (Electron's page-side one, reaching main by IPC): as text again.
        const { status, headers, body } = await transport.send(request);
        return { status, headers, text: body === null || body === undefined ? '' : JSON.stringify(body) };
      }),
    anchorRead: () => coded(() => anchor.read()),
    anchorExtend: ({ replica, links }) => coded(() => anchor.extend(replica, links as unknown as readonly AuditLink[])),
    eraseDeviceSecrets: () => coded(async () => (await host.eraseDeviceSecrets(), null)),
    eraseLocalData: () => coded(async () => (await host.eraseLocalData(), null)),
  });
  return () => server.close();
}
