/**
 * Why a sync stopped. Each carries a code the status store turns into a sentence telling the
 * clinician what to do; none carries a resource or a message from the server.
 */
export type SyncStopCode =
  | 'AUTH_REQUIRED' // 401: sign in again; nothing was advanced past the last committed page
  | 'SERVER_BUSY' // 503/429: wait (Retry-After honoured)
  | 'SERVER_ERROR' // other 5xx
  | 'MALFORMED_RESPONSE' // the HIE sent something that is not the FHIR we asked for
  | 'UNEXPECTED_STATUS' // a 4xx the protocol does not expect
  | 'OFFLINE' // no answer at all: a normal state, retried when the network is back
  | 'HIE_REFUSED' // this computer would not send the request (not the configured HIE, or an answer too large)
  | 'HIE_NOT_CONFIGURED' // no HIE is set on this computer (policy)
  | 'WIPE_REQUIRED'; // the HIE revoked this user or device and ordered the replica erased

export class SyncStop extends Error {
  readonly code: SyncStopCode;
  readonly retryAfterMs: number | null;
  readonly status: number | null;
  constructor(code: SyncStopCode, options: { retryAfterMs?: number | null; status?: number | null } = {}) {
    super(code);
    this.name = 'SyncStop';
    this.code = code;
    this.retryAfterMs = options.retryAfterMs ?? null;
    this.status = options.status ?? null;
  }
}

/** Retry-After in seconds or as an HTTP date (RFC 9110 §10.2.3), relative to the server's Date header when present. */
export function retryAfterMs(headers: Readonly<Record<string, string>>): number | null {
  const value = headers['retry-after'];
  if (value === undefined) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  const serverNow = headers['date'] !== undefined ? Date.parse(headers['date']) : Number.NaN;
  // Compare with the server's clock, not ours: the laptop's clock may be off by hours.
  return Number.isNaN(serverNow) ? null : Math.max(0, at - serverNow);
}

/** The stop a non-success status means, or null when the caller handles that status itself. */
export function stopForStatus(status: number, headers: Readonly<Record<string, string>>): SyncStop {
  if (status === 401) return new SyncStop('AUTH_REQUIRED', { status });
  if (status === 429 || status === 503) return new SyncStop('SERVER_BUSY', { status, retryAfterMs: retryAfterMs(headers) });
  if (status >= 500) return new SyncStop('SERVER_ERROR', { status });
  return new SyncStop('UNEXPECTED_STATUS', { status });
}
