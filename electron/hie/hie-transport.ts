import { createFetchTransport } from '../../shared/hie/fetch-transport';
import type { FhirTransport, TokenSource } from '../../shared/hie/transport';
import type { Logger } from '../log/logger';

/**
 * The only way Relais talks to the HIE in Electron: main holds the token and attaches it; the page
 * asks through IPC and never sees it. The pinning, limits and refresh-once-on-401 are the shared
 * transport's (shared/hie/fetch-transport.ts, the same code the web host runs); main adds its log.
 */
export type HieTransportOptions = Readonly<{
  fhirBase: string;
  tokens: TokenSource;
  log: Logger;
  timeoutMs?: number;
  maxResponseBytes?: number;
  fetch?: typeof fetch;
}>;

export function createHieTransport(options: HieTransportOptions): FhirTransport {
  return createFetchTransport({
    fhirBase: options.fhirBase,
    tokens: options.tokens,
    fetch: options.fetch ?? fetch,
    timeoutMs: options.timeoutMs,
    maxResponseBytes: options.maxResponseBytes,
    onRefused: (reason) => options.log.warn('hie request refused', { reason }),
  });
}
