import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { SecretStoreError, type SecretStore } from './secret-store';

/**
 * What this store uses of Electron's `safeStorage` (same names and meaning; main passes the real
 * one, which cannot be loaded outside Electron): its asynchronous calls, the synchronous ones being
 * deprecated since Electron 45. Its key lives in the OS keychain (macOS), DPAPI (Windows) or the
 * Secret Service / KDE Wallet (Linux); `getSelectedStorageBackend` exists on Linux only.
 */
export type SafeStorageLike = Readonly<{
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  /** `shouldReEncrypt`: the key was rotated (or a better one is available): the data should be encrypted again. */
  decryptStringAsync(encrypted: Buffer): Promise<Readonly<{ result: string; shouldReEncrypt: boolean }>>;
  getSelectedStorageBackend?(): string;
}>;

export type SafeStorageStoreOptions = Readonly<{ safeStorage: SafeStorageLike; path: string; platform: NodeJS.Platform }>;

/** The file: each account's ciphertext, base64. Nothing else is in it, and never a secret in clear. */
const fileSchema = z.object({ version: z.literal(1), secrets: z.record(z.string(), z.base64()) }).strict();
/** What is encrypted: the secret with its account, so a ciphertext copied onto another account's entry is refused. */
const envelopeSchema = z.object({ account: z.string(), secret: z.string() }).strict();

const unavailable = (why: string): SecretStoreError =>
  new SecretStoreError(
    'KEYCHAIN_UNAVAILABLE',
    `${why} Relais never stores secrets in a file without a key held by the OS. ` +
      'On Linux install, start and unlock a Secret Service provider (GNOME Keyring: apt install gnome-keyring libsecret-1-0, ' +
      'or KDE Wallet) in the user session; on macOS the login keychain and on Windows the user profile (DPAPI) must be available.',
  );

/** Refuses to run where safeStorage would not really protect the secrets. */
async function checkProtection(safeStorage: SafeStorageLike, platform: NodeJS.Platform): Promise<void> {
  if (platform === 'linux') {
    // Electron reports `basic_text` as unavailable by default; refused here too, in case a flag or a later release changes that.
    const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
    if (backend === 'basic_text') {
      throw unavailable(
        "Electron's safeStorage found no Secret Service or KDE Wallet in this Linux session (backend basic_text) and would encrypt " +
          "with Chromium's built-in password, which is a secret in a file in all but name, so Relais refuses it. " +
          'Where the desktop is not recognised, starting Relais with --password-store=gnome-libsecret (or kwallet6) selects the keyring.',
      );
    }
    if (backend === 'unknown') {
      throw unavailable(
        "Electron's safeStorage has not said which Linux keyring it uses (backend unknown: asked before the app was ready), " +
          "so Relais cannot tell a real keyring from Chromium's built-in password and refuses it.",
      );
    }
  }
  if (!(await safeStorage.isAsyncEncryptionAvailable().catch(() => false))) {
    throw unavailable("Electron's safeStorage cannot encrypt here: it has no key from the OS keychain.");
  }
}

const errorCode = (error: unknown): string =>
  typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : 'unknown';

/** The rename must be on disk before a secret is deleted from the other store (secret-store-migration.ts). */
async function syncDirectory(directory: string, platform: NodeJS.Platform): Promise<void> {
  if (platform === 'win32') return; // Windows cannot open a directory to flush it
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * A SecretStore on Electron's safeStorage: each secret encrypted with the key safeStorage keeps in
 * the OS keychain, the ciphertexts in one JSON file at `path` (0600). A file that cannot be read,
 * or an entry that cannot be decrypted, is an error, never an empty store: the device secret in it
 * is one factor of the replica's key. One instance per file: its updates run one at a time.
 */
export function createSafeStorageSecretStore({ safeStorage, path, platform }: SafeStorageStoreOptions): SecretStore {
  const failed = (what: string): SecretStoreError => new SecretStoreError('KEYCHAIN_FAILED', `The Relais secrets file ${path} ${what}`);
  const corrupt = (): SecretStoreError =>
    failed(
      'is present but cannot be read (damaged or altered). Relais will neither treat it as empty nor overwrite it, since it holds the device secret ' +
        'without which the replica cannot be opened: restore it from a backup, or move it away and wipe the replica to start over.',
    );
  const undecryptable = (account: string): SecretStoreError =>
    failed(
      `has an entry for ${account} that cannot be decrypted: the key safeStorage keeps in the OS keychain has changed (another user, a reset keyring) ` +
        'or the file was altered. Relais will not replace it: restore the keychain or the file, or wipe the replica to start over.',
    );

  const load = async (): Promise<Map<string, string>> => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error: unknown) {
      if (errorCode(error) === 'ENOENT') return new Map();
      throw failed(`cannot be read (${errorCode(error)}).`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw corrupt();
    }
    const file = fileSchema.safeParse(parsed);
    if (!file.success) throw corrupt();
    return new Map(Object.entries(file.data.secrets));
  };

  const save = async (secrets: ReadonlyMap<string, string>): Promise<void> => {
    const temporary = `${path}.tmp`;
    try {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      // Write, flush, then rename: a crash leaves the old file whole, and a leftover temporary file is simply rewritten.
      const handle = await open(temporary, 'w', 0o600);
      try {
        await handle.chmod(0o600); // a leftover file keeps its own mode when reopened
        await handle.writeFile(JSON.stringify({ version: 1, secrets: Object.fromEntries(secrets) }));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, path);
      await syncDirectory(dirname(path), platform);
    } catch (error: unknown) {
      throw failed(`cannot be written (${errorCode(error)}).`);
    }
  };

  const encrypt = async (account: string, secret: string): Promise<string> => {
    try {
      return (await safeStorage.encryptStringAsync(JSON.stringify({ account, secret }))).toString('base64');
    } catch {
      throw new SecretStoreError('KEYCHAIN_FAILED', "Electron's safeStorage refused to encrypt a secret.");
    }
  };

  const decrypt = async (account: string, encoded: string): Promise<Readonly<{ secret: string; shouldReEncrypt: boolean }>> => {
    const encrypted = Buffer.from(encoded, 'base64');
    let plain: string;
    let shouldReEncrypt: boolean;
    try {
      ({ result: plain, shouldReEncrypt } = await safeStorage.decryptStringAsync(encrypted));
    } catch {
      throw undecryptable(account);
    }
    // Chromium hands back data without its version prefix unchanged, as legacy plaintext: such an entry was never encrypted.
    if (plain === encrypted.toString('utf8')) throw undecryptable(account);
    let envelope: unknown;
    try {
      envelope = JSON.parse(plain);
    } catch {
      throw undecryptable(account);
    }
    const opened = envelopeSchema.safeParse(envelope);
    if (!opened.success || opened.data.account !== account) throw undecryptable(account);
    return { secret: opened.data.secret, shouldReEncrypt };
  };

  let queue: Promise<unknown> = Promise.resolve();
  /** Read, change, write, one change at a time, so concurrent sets and deletes all land. `change` says whether to write. */
  const update = (change: (secrets: Map<string, string>) => boolean): Promise<boolean> => {
    const next = queue.then(async () => {
      const secrets = await load();
      const changed = change(secrets);
      if (changed) await save(secrets);
      return changed;
    });
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    async get(account) {
      await checkProtection(safeStorage, platform);
      const encoded = (await load()).get(account);
      if (encoded === undefined) return null;
      const { secret, shouldReEncrypt } = await decrypt(account, encoded);
      if (shouldReEncrypt) {
        // The OS rotated safeStorage's key: the entry is encrypted again under the new one, unless it changed meanwhile.
        const again = await encrypt(account, secret);
        await update((secrets) => secrets.get(account) === encoded && secrets.set(account, again) !== undefined);
      }
      return secret;
    },
    async set(account, secret) {
      await checkProtection(safeStorage, platform);
      const encoded = await encrypt(account, secret);
      await update((secrets) => {
        secrets.set(account, encoded);
        return true;
      });
    },
    async delete(account) {
      await checkProtection(safeStorage, platform);
      return update((secrets) => secrets.delete(account));
    },
    async list() {
      await checkProtection(safeStorage, platform);
      return [...(await load()).keys()].sort();
    },
  };
}
