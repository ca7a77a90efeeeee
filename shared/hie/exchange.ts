import { isWipeOrder } from './wipe-order';
import { SyncStop, stopForStatus } from './errors';
import { TransportError, type FhirTransport, type TransportRequest, type TransportResponse } from './transport';

/**
 * Sends one request; a missing answer becomes SyncStop('OFFLINE') (or HIE_REFUSED / HIE_NOT_CONFIGURED
 * when this computer would not send it: not a network state, and not shown as one), and any status outside
 * `accept` becomes the stop it means (401 → AUTH_REQUIRED, 429/503 → SERVER_BUSY with Retry-After…).
 */
export async function exchange(
  transport: FhirTransport,
  request: TransportRequest,
  accept: readonly number[] = [200],
): Promise<TransportResponse> {
  let response: TransportResponse;
  try {
    response = await transport.send(request);
  } catch (error: unknown) {
    if (error instanceof TransportError) {
      if (error.kind === 'refused') throw new SyncStop('HIE_REFUSED');
      if (error.kind === 'not-configured') throw new SyncStop('HIE_NOT_CONFIGURED');
      throw new SyncStop('OFFLINE');
    }
    throw error;
  }
  // Checked before anything else, whatever the caller accepts: a revoked device stops everything.
  if (isWipeOrder(response.status, response.body)) throw new SyncStop('WIPE_REQUIRED', { status: response.status });
  if (!accept.includes(response.status)) throw stopForStatus(response.status, response.headers);
  return response;
}
