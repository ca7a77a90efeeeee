/**
 * Where Relais keeps its few secrets (the device secret, the refresh tokens, the lease and audit
 * stamps), behind this port. Adapters: keytar (libsecret / Keychain / Credential Manager), the
 * default, and Electron safeStorage (safe-storage-store.ts: ciphertexts in a file, under a key the
 * OS keychain keeps; never Chromium's built-in password), chosen by policy `secretStore`
 * (secret-store-choice.ts). No adapter ever writes a secret in clear.
 */
export type SecretStore = Readonly<{
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
  list(): Promise<readonly string[]>;
}>;

export type SecretStoreErrorCode = 'KEYCHAIN_UNAVAILABLE' | 'KEYCHAIN_FAILED';

/**
 * A keychain failure with a code for IT. The message says what to install or unlock; it never
 * contains the secret or the account's value.
 */
export class SecretStoreError extends Error {
  readonly code: SecretStoreErrorCode;
  constructor(code: SecretStoreErrorCode, message: string) {
    super(message);
    this.name = 'SecretStoreError';
    this.code = code;
  }
}

export const keychainUnavailableAdvice =
  'No OS keychain is reachable, and Relais never stores secrets in clear instead. ' +
  'On Linux install and start a Secret Service provider (GNOME Keyring: apt install gnome-keyring libsecret-1-0, ' +
  'or KDE Wallet) in the user session and unlock it; on macOS and Windows the system keychain must be available.';

/** A store that answers every call with the error that kept the chosen store from opening (main then shows its sentence, never an empty store). */
export const unavailableSecretStore = (error: SecretStoreError): SecretStore => ({
  get: () => Promise.reject(error),
  set: () => Promise.reject(error),
  delete: () => Promise.reject(error),
  list: () => Promise.reject(error),
});
