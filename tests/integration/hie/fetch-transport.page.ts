import type { TransportRequest } from '../../../shared/hie/transport';
import { expose } from '../../browser/expose';
import { sendThrough, sharedTransport, type Outcome, type SendOptions } from './send-through';

/**
 * Page side of fetch-transport.test.ts: the shared HIE transport as the web host runs it, with
 * Chromium's own fetch (where a manual redirect is an opaque response, not a 3xx).
 */
const api = {
  send: (options: SendOptions, request: TransportRequest): Promise<Outcome> => sendThrough(sharedTransport(fetch.bind(globalThis)), options, request),
};

export type FetchTransportPageApi = typeof api;
expose(api);
