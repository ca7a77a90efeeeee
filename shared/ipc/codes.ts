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
  'HIE_NOT_CONFIGURED', // no HIE address in policy (and not in demo mode)
  'HIE_OFFLINE', // no answer from the HIE
  'HIE_TIMEOUT', // the HIE answered too slowly
  'HIE_REFUSED', // the request left the configured HIE, or the answer broke a limit
  'NOT_SIGNED_IN', // no session: sign in first
  'OFFLINE_LEASE_EXPIRED', // too long since the last online sign-in: connect and sign in to unlock
  'WRONG_PASSPHRASE', // the unlock attempt's passphrase does not open the vault (counted)
  'UNLOCK_THROTTLED', // too many wrong passphrases just now: wait before the next attempt
  'UNLOCK_SIGN_IN_REQUIRED', // too many wrong passphrases: an online sign-in must come first
  'VAULT_SALT_UNKNOWN', // a new vault's salt that main did not just give (or gave too long ago)
  'DEVICE_SECRET_LOST', // the keychain lost or altered the device secret: the replica cannot be opened
  'AUDIT_ANCHOR_REFUSED', // the audit links sent do not continue the chain main anchored
  'SIGN_IN_DISCOVERY_FAILED', // the HIE's SMART / OpenID configuration is unreadable or unsafe
  'SIGN_IN_ISSUER_MISMATCH', // the identity provider is not the one the HIE names
  'SIGN_IN_STATE_MISMATCH', // the browser answered another (or a replayed) request
  'SIGN_IN_DENIED', // the clinician or the provider refused
  'SIGN_IN_TOKEN_FAILED', // the code could not become valid tokens
  'SIGN_IN_TIMEOUT', // the browser never came back
  'SOURCE_UNKNOWN', // the policy names no such other FHIR source (or the call named the primary)
  'SETUP_NOT_ALLOWED', // an HIE address was entered where IT's policy does not allow it (or one is configured already)
  'SETUP_ADDRESS_INVALID', // the address entered is not an https address (http on this computer only)
  'SETUP_UNREACHABLE', // nothing answered at the address entered
  'SETUP_NOT_FHIR', // what answered is not a FHIR R4 server
  'SETUP_NO_SIGN_IN', // the server names no usable SMART on FHIR sign-in (or its provider does not agree)
] as const;

export type IpcErrorCode = (typeof ipcErrorCodes)[number];
export const ipcErrorCodeSchema = z.enum(ipcErrorCodes);
