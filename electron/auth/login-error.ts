/** A sign-in that did not complete, with a code for the page (which shows a sentence) and for IT. */
export type LoginErrorCode =
  | 'DISCOVERY_FAILED' // the HIE's SMART / OpenID configuration could not be read or is unsafe
  | 'ISSUER_MISMATCH' // the identity provider is not the one the HIE names
  | 'STATE_MISMATCH' // the browser came back with an answer to another request (or a replay)
  | 'ACCESS_DENIED' // the clinician or the provider refused
  | 'TOKEN_EXCHANGE_FAILED' // the code could not be turned into tokens (PKCE, nonce, signature…)
  | 'TIMEOUT'; // the browser never came back

export class LoginError extends Error {
  readonly code: LoginErrorCode;
  constructor(code: LoginErrorCode) {
    super(code);
    this.name = 'LoginError';
    this.code = code;
  }
}
