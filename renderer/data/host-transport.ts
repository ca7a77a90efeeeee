import { parsedAnswer, TransportError, type FhirTransport, type TransportRequest, type UnparsedResponse } from '../../shared/hie/transport';
import { transportKindOf } from '../../shared/ipc/host-contract';
import { PortError } from '../../shared/ipc/port-rpc';

/* The HIE as the data worker and the locked sync worker reach it: hostContract's `hieSend` over their port to the platform. */

/** Longer than any host call takes (the HIE transport gives up after its own timeout). */
export const hostTimeoutMs = 120_000;

/** The host's transport as the engine sees it: the body parsed here, in the worker; a request that got no HIE answer is a TransportError again. */
export function transportOver(call: (request: TransportRequest) => Promise<UnparsedResponse>): FhirTransport {
  return {
    async send(request) {
      try {
        return parsedAnswer(await call(request));
      } catch (error: unknown) {
        if (!(error instanceof PortError)) throw error;
        const kind = transportKindOf(error.code);
        if (kind !== null) throw new TransportError(kind);
        // The page is gone: no HIE answer came, as when offline. Anything else (a request the port
        // refused, an answer off the contract) is a fault, told as one, never as "offline".
        if (error.code === 'PORT_CLOSED' || error.code === 'TIMEOUT') throw new TransportError('offline');
        throw error;
      }
    },
  };
}
