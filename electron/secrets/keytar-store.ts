import { keychainUnavailableAdvice, SecretStoreError, type SecretStore } from './secret-store';

type Keytar = Readonly<{
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}>;

/** Failures that mean "there is no usable keychain here", as libsecret and keytar word them. */
const unavailablePatterns = [
  /autolaunch/i,
  /Could not connect/i,
  /D-?Bus/i,
  /org\.freedesktop\.secrets/i,
  /Secret Service/i,
  /no such (?:interface|object)/i,
  /Object does not exist/i, // the Secret Service has no usable (login) collection
  /cannot open shared object/i,
  /Cannot find (?:module|package)/i,
  /locked/i,
  /prompt/i,
];

function classify(error: unknown): SecretStoreError {
  const text = error instanceof Error ? error.message : String(error);
  if (unavailablePatterns.some((pattern) => pattern.test(text))) {
    return new SecretStoreError('KEYCHAIN_UNAVAILABLE', keychainUnavailableAdvice);
  }
  return new SecretStoreError('KEYCHAIN_FAILED', 'The OS keychain refused the operation.');
}

/** keytar is loaded on first use, so a missing native module is a coded error, not a crash at start. */
async function loadKeytar(): Promise<Keytar> {
  try {
    const module = (await import('keytar')) as { default?: Keytar } & Keytar;
    return module.default ?? module;
  } catch (error: unknown) {
    throw classify(error);
  }
}

export function createKeytarSecretStore(service: string, load: () => Promise<Keytar> = loadKeytar): SecretStore {
  let keytar: Keytar | undefined;
  const call = async <T>(operation: (k: Keytar) => Promise<T>): Promise<T> => {
    keytar ??= await load();
    try {
      return await operation(keytar);
    } catch (error: unknown) {
      throw error instanceof SecretStoreError ? error : classify(error);
    }
  };
  return {
    get: (account) => call((k) => k.getPassword(service, account)),
    set: (account, secret) => call((k) => k.setPassword(service, account, secret)),
    delete: (account) => call((k) => k.deletePassword(service, account)),
    list: () => call(async (k) => (await k.findCredentials(service)).map((c) => c.account).sort()),
  };
}
