import { z } from 'zod';

/**
 * Every failure an IPC call can answer with. A code tells IT what happened; the renderer turns
 * it into a sentence for the clinician. No message, stack or Error ever crosses the boundary,
 * because an exception's text may carry patient data.
 */
export const ipcErrorCodes = [
  'BAD_REQUEST', // the request did not match the channel's schema
  'FORBIDDEN_SENDER', // not our page's main frame
  'INTERNAL', // a handler failed in a way it did not name
  'KEYCHAIN_UNAVAILABLE', // no OS keychain (Secret Service / Keychain / Credential Manager)
  'EXTERNAL_URL_REFUSED', // the link's origin is not on the allowlist
] as const;

export type IpcErrorCode = (typeof ipcErrorCodes)[number];
export const ipcErrorCodeSchema = z.enum(ipcErrorCodes);
