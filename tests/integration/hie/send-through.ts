import { createFetchTransport, type FetchTransportOptions } from '../../../shared/hie/fetch-transport';
import { TransportError, type FhirTransport, type TransportRequest } from '../../../shared/hie/transport';

/**
 * One request through a transport made by `make`, with a token and the one a refresh gives
 * (`refreshed`: null when a refresh fails), as plain data: the same code in Node and in Chromium.
 */
export type Outcome = Readonly<{ status: number; body: unknown; refreshes: number } | { error: string; refreshes: number }>;
export type SendOptions = Readonly<{ fhirBase: string; token: string | null; refreshed?: string | null; timeoutMs?: number; maxResponseBytes?: number }>;
export type MakeTransport = (options: Omit<FetchTransportOptions, 'fetch'>) => FhirTransport;

export const sharedTransport = (fetchFn: typeof fetch): MakeTransport => (options) => createFetchTransport({ ...options, fetch: fetchFn });

export async function sendThrough(make: MakeTransport, options: SendOptions, request: TransportRequest): Promise<Outcome> {
  let token = options.token;
  let refreshes = 0;
  const transport = make({
    fhirBase: options.fhirBase,
    timeoutMs: options.timeoutMs,
    maxResponseBytes: options.maxResponseBytes,
    tokens: {
      accessToken: () => token,
      refresh: async () => {
        refreshes += 1;
        if (options.refreshed == null) return false;
        token = options.refreshed;
        return true;
      },
    },
  });
  try {
    const response = await transport.send(request);
    return { status: response.status, body: response.body, refreshes };
  } catch (error: unknown) {
    return { error: error instanceof TransportError ? error.kind : String(error), refreshes };
  }
}
