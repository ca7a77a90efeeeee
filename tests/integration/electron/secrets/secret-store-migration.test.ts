/**
 * Moving the secrets between the real keytar store (GNOME Keyring on a private D-Bus session,
 * started by tests/tools/with-keyring.sh) and the safeStorage store on a real file. Electron cannot
 * run here, so Electron's safeStorage alone is a test double: real AES-256-GCM under a random key.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../../electron/log/logger';
import { createKeytarSecretStore } from '../../../../electron/secrets/keytar-store';
import { createSafeStorageSecretStore, type SafeStorageLike } from '../../../../electron/secrets/safe-storage-store';
import { safeStorageDouble } from '../../../support/safe-storage-double';
import { SecretStoreError, type SecretStore } from '../../../../electron/secrets/secret-store';
import { openSecretStore } from '../../../../electron/secrets/secret-store-choice';
import { migrateSecrets } from '../../../../electron/secrets/secret-store-migration';
import { createSettingsFile, type SettingsFile } from '../../../../electron/settings/settings-file';

const keychains: SecretStore[] = [];
/** A keychain service of its own per test, emptied at the end. */
const freshKeychain = (): SecretStore => {
  const store = createKeytarSecretStore(`Relais-test-${randomUUID()}`);
  keychains.push(store);
  return store;
};
afterAll(async () => {
  for (const store of keychains) for (const account of await store.list().catch(() => [])) await store.delete(account);
});
/** keytar as it loads on a machine with no session bus: every call fails the way libsecret words it. */
const unreachableKeychain = () => {
  const noBus = () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY'));
  return createKeytarSecretStore('Relais', () => Promise.resolve({ getPassword: noBus, setPassword: noBus, deletePassword: noBus, findCredentials: noBus }));
};

const scratch = () => mkdtempSync(join(tmpdir(), 'relais-secret-move-'));
const freshSafeStorage = (safeStorage: SafeStorageLike = safeStorageDouble()) => {
  const path = join(scratch(), 'secrets.json');
  return { path, store: createSafeStorageSecretStore({ safeStorage, path, platform: 'linux' }) };
};

/** The accounts Relais keeps, a source's among them. */
const someSecrets = (): Record<string, string> => ({
  'audit-anchor@ch-sud': `anchor-${randomUUID()}`,
  'device-secret': randomBytes(32).toString('base64url'),
  'last-online-auth': `auth-${randomUUID()}`,
  'refresh-token': `rt-${randomUUID()}`,
  'refresh-token@ch-sud': `rt-ch-sud-${randomUUID()}`,
});
const accountsOf = (secrets: Record<string, string>) => Object.keys(secrets).sort();

const fill = async (store: SecretStore, secrets: Record<string, string>) => {
  for (const [account, secret] of Object.entries(secrets)) await store.set(account, secret);
};
const filled = async <T extends { store: SecretStore }>(safe: T): Promise<T> => {
  await fill(safe.store, someSecrets());
  return safe;
};
const contents = async (store: SecretStore): Promise<Record<string, string>> => {
  const found: Record<string, string> = {};
  for (const account of await store.list()) found[account] = (await store.get(account)) ?? '(listed, but gone)';
  return found;
};
/** Every secret, from whichever store still has it: what Relais could read after a stopped move. */
const readable = async (first: SecretStore, second: SecretStore, accounts: readonly string[]) => {
  const found: Record<string, string | null> = {};
  for (const account of accounts) found[account] = (await first.get(account)) ?? (await second.get(account));
  return found;
};

const expectNoPlaintext = (path: string, secrets: Record<string, string>) => {
  const directory = join(path, '..');
  expect(readdirSync(directory).length).toBeGreaterThan(0);
  for (const name of readdirSync(directory)) {
    const bytes = readFileSync(join(directory, name));
    for (const secret of Object.values(secrets)) expect(bytes.includes(Buffer.from(secret, 'utf8')), `${name} holds a secret in clear`).toBe(false);
  }
};

/** A store that breaks on its `n`th write (the disk fills, the keyring goes away): a move stopped halfway. */
const failingOnSet = (store: SecretStore, n: number): SecretStore => {
  let sets = 0;
  return {
    ...store,
    set: async (account, secret) => {
      sets += 1;
      if (sets === n) throw new SecretStoreError('KEYCHAIN_FAILED', 'the store went away');
      await store.set(account, secret);
    },
  };
};

type Direction = Readonly<{ name: string; stores: () => { from: SecretStore; to: SecretStore; file: string } }>;
const directions: Direction[] = [
  {
    name: 'keychain → safeStorage',
    stores: () => {
      const safe = freshSafeStorage();
      return { from: freshKeychain(), to: safe.store, file: safe.path };
    },
  },
  {
    name: 'safeStorage → keychain',
    stores: () => {
      const safe = freshSafeStorage();
      return { from: safe.store, to: freshKeychain(), file: safe.path };
    },
  },
];

it('runs inside the test keyring session', () => {
  expect(process.env['DBUS_SESSION_BUS_ADDRESS'], 'run through tests/tools/with-keyring.sh, which starts the keyring').toBeTruthy();
  expect(process.env['RELAIS_TEST_KEYRING']).toBe('1');
});

describe('migrateSecrets between the real keychain and the safeStorage file', () => {
  it.each(directions)('$name: moves every account, each read back before it leaves the source', async ({ stores }) => {
    const { from, to, file } = stores();
    const secrets = someSecrets();
    await fill(from, secrets);
    expect(await migrateSecrets(from, to)).toEqual(accountsOf(secrets));
    expect(await from.list()).toEqual([]);
    expect(await contents(to)).toEqual(secrets);
    expectNoPlaintext(file, secrets);
  });

  it.each(directions)('$name: stopped at the second write, every secret stays readable; a re-run finishes, the source’s value winning', async ({ stores }) => {
    const { from, to, file } = stores();
    const secrets = someSecrets();
    const accounts = accountsOf(secrets);
    await fill(from, secrets);
    await expect(migrateSecrets(from, failingOnSet(to, 2))).rejects.toMatchObject({ code: 'KEYCHAIN_FAILED' });
    expect(await readable(from, to, accounts)).toEqual(secrets);
    expect(await from.list()).toEqual(accounts.slice(1));
    expect(await to.list()).toEqual(accounts.slice(0, 1));
    // A copy in `to` of an account still in `from` (a copy made but not yet read back) is not the one in use.
    await to.set('refresh-token', 'stale copy');
    expect(await migrateSecrets(from, to)).toEqual(accounts.slice(1));
    expect(await from.list()).toEqual([]);
    expect(await contents(to)).toEqual(secrets);
    expectNoPlaintext(file, secrets);
  });

  it('stopped between the copy and the delete, the account is in both stores, and a re-run moves it once', async () => {
    const keychain = freshKeychain();
    const safe = freshSafeStorage();
    const secrets = someSecrets();
    await fill(keychain, secrets);
    let deletes = 0;
    const crashingOnDelete: SecretStore = {
      ...keychain,
      delete: async (account) => {
        deletes += 1;
        if (deletes === 3) throw new SecretStoreError('KEYCHAIN_UNAVAILABLE', 'the keyring went away');
        return keychain.delete(account);
      },
    };
    await expect(migrateSecrets(crashingOnDelete, safe.store)).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    const third = accountsOf(secrets)[2] ?? '';
    expect(await keychain.get(third)).toBe(secrets[third]);
    expect(await safe.store.get(third)).toBe(secrets[third]);
    expect(await migrateSecrets(keychain, safe.store)).toEqual(accountsOf(secrets).slice(2));
    expect(await keychain.list()).toEqual([]);
    expect(await contents(safe.store)).toEqual(secrets);
  });

  it('leaves a secret in the source when the new store gives back something else', async () => {
    const keychain = freshKeychain();
    const safe = freshSafeStorage();
    const secrets = someSecrets();
    await fill(keychain, secrets);
    const forgetful: SecretStore = { ...safe.store, get: async (account) => ((await safe.store.get(account)) === null ? null : 'not what was written') };
    await expect(migrateSecrets(keychain, forgetful)).rejects.toMatchObject({ code: 'KEYCHAIN_FAILED', message: expect.stringMatching(/did not keep the secret of audit-anchor@ch-sud/) });
    expect(await contents(keychain)).toEqual(secrets);
  });
});

describe('openSecretStore', () => {
  const settingsAt = () => createSettingsFile(join(scratch(), 'settings.json'));
  const logged = () => {
    const lines: string[] = [];
    return { lines, log: createLogger('secrets', (line) => lines.push(line)) };
  };
  /** The settings file, noting what each store holds at the moment the choice is recorded. */
  const watching = (settings: SettingsFile, stores: () => Promise<unknown>) => {
    const atRecord: unknown[] = [];
    return {
      atRecord,
      settings: {
        read: settings.read,
        update: async (change: Readonly<{ secretStore: 'keychain' | 'safeStorage' }>) => {
          atRecord.push(await stores());
          return settings.update(change);
        },
      },
    };
  };

  it('with nothing recorded and the keychain chosen (every older install), opens the keychain as it is, writing nothing and making no safeStorage', async () => {
    const keychain = freshKeychain();
    const secrets = someSecrets();
    await fill(keychain, secrets);
    const settings = settingsAt();
    let made = 0;
    const safeStorage = () => {
      made += 1;
      return freshSafeStorage().store;
    };
    const { lines, log } = logged();
    const opened = await openSecretStore({ choice: 'keychain', keychain, safeStorage, settings, log });
    expect(opened).toBe(keychain);
    expect(made).toBe(0);
    expect(await settings.read()).not.toHaveProperty('secretStore');
    expect(await contents(keychain)).toEqual(secrets);
    expect(lines).toEqual([]);
  });

  it('moves an older install’s secrets from the keychain to safeStorage, and records safeStorage only once the keychain is empty', async () => {
    const keychain = freshKeychain();
    const safe = freshSafeStorage();
    const secrets = someSecrets();
    await fill(keychain, secrets);
    const file = settingsAt();
    const { atRecord, settings } = watching(file, async () => ({ keychain: await keychain.list(), safeStorage: await contents(safe.store) }));
    const { lines, log } = logged();
    const opened = await openSecretStore({ choice: 'safeStorage', keychain, safeStorage: () => safe.store, settings, log });
    expect(opened).toBe(safe.store);
    expect(atRecord).toEqual([{ keychain: [], safeStorage: secrets }]);
    expect((await file.read()).secretStore).toBe('safeStorage');
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      expect.objectContaining({ level: 'info', area: 'secrets', from: 'keychain', to: 'safeStorage', count: 5 }),
    ]);
    for (const secret of Object.values(secrets)) expect(lines.join('\n')).not.toContain(secret);
    expectNoPlaintext(safe.path, secrets);
    // The next start finds them where the settings say: nothing moves, the keychain is not asked.
    const again = await openSecretStore({ choice: 'safeStorage', keychain: unreachableKeychain(), safeStorage: () => safe.store, settings, log });
    expect(await contents(again)).toEqual(secrets);
    expect(atRecord).toHaveLength(1);
  });

  it('moves them back to the keychain when the keychain is chosen again, leaving the file without a secret', async () => {
    const keychain = freshKeychain();
    const safe = freshSafeStorage();
    const secrets = someSecrets();
    await fill(safe.store, secrets);
    const file = settingsAt();
    await file.update({ secretStore: 'safeStorage' });
    const { atRecord, settings } = watching(file, async () => ({ keychain: await contents(keychain), safeStorage: await safe.store.list() }));
    const opened = await openSecretStore({ choice: 'keychain', keychain, safeStorage: () => safe.store, settings, log: logged().log });
    expect(opened).toBe(keychain);
    expect(atRecord).toEqual([{ keychain: secrets, safeStorage: [] }]);
    expect((await file.read()).secretStore).toBe('keychain');
    expect(JSON.parse(readFileSync(safe.path, 'utf8'))).toEqual({ version: 1, secrets: {} });
  });

  it('a settings file lost or damaged since the move (read as defaults) does not hide the secrets: the secrets file says where they are', async () => {
    const keychain = freshKeychain();
    const safe = freshSafeStorage();
    const secrets = someSecrets();
    await fill(safe.store, secrets);
    // Nothing recorded, the keychain chosen: without the file's word, Relais would open the empty keychain.
    const file = settingsAt();
    const opened = await openSecretStore({ choice: 'keychain', keychain, safeStorage: () => safe.store, safeStorageFileExists: () => existsSync(safe.path), settings: file, log: logged().log });
    expect(opened).toBe(keychain);
    expect(await contents(keychain)).toEqual(secrets);
    expect((await file.read()).secretStore).toBe('keychain');
    // And safeStorage chosen: it is opened as it is.
    const other = freshSafeStorage();
    await fill(other.store, secrets);
    const again = await openSecretStore({ choice: 'safeStorage', keychain: unreachableKeychain(), safeStorage: () => other.store, safeStorageFileExists: () => existsSync(other.path), settings: settingsAt(), log: logged().log });
    expect(await contents(again)).toEqual(secrets);
  });

  it('stopped mid-move, records nothing and keeps every secret readable; the next start finishes the move and records it', async () => {
    const keychain = freshKeychain();
    const safe = freshSafeStorage();
    const secrets = someSecrets();
    await fill(keychain, secrets);
    const settings = settingsAt();
    const { log } = logged();
    await expect(openSecretStore({ choice: 'safeStorage', keychain, safeStorage: () => failingOnSet(safe.store, 3), settings, log })).rejects.toMatchObject({
      code: 'KEYCHAIN_FAILED',
    });
    expect(await settings.read()).not.toHaveProperty('secretStore');
    expect(await readable(keychain, safe.store, accountsOf(secrets))).toEqual(secrets);
    expect(await safe.store.list()).toHaveLength(2);
    const opened = await openSecretStore({ choice: 'safeStorage', keychain, safeStorage: () => safe.store, settings, log });
    expect(await contents(opened)).toEqual(secrets);
    expect(await keychain.list()).toEqual([]);
    expect((await settings.read()).secretStore).toBe('safeStorage');
    expectNoPlaintext(safe.path, secrets);
  });

  it('refuses, coded, when the recorded keychain cannot be reached: never an empty safeStorage in its place', async () => {
    const settings = settingsAt();
    await settings.update({ secretStore: 'keychain' });
    const safe = freshSafeStorage();
    const error = await openSecretStore({ choice: 'safeStorage', keychain: unreachableKeychain(), safeStorage: () => safe.store, settings, log: logged().log }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretStoreError);
    expect(error).toMatchObject({
      code: 'KEYCHAIN_UNAVAILABLE',
      message: expect.stringMatching(/secrets \(the device secret that opens the replica.*\) are in the OS keychain.*cannot be reached\. Unlock it.*will not start on an empty store/s),
    });
    expect((error as Error).message).toMatch(/gnome-keyring/); // the keychain's own advice follows
    expect((await settings.read()).secretStore).toBe('keychain');
    expect(existsSync(safe.path)).toBe(false);
  });

  const unreachable = /are in the secrets file encrypted with Electron's safeStorage.*cannot be reached.*will not start on an empty store/s;
  it.each([
    {
      name: 'a basic_text backend',
      code: 'KEYCHAIN_UNAVAILABLE',
      sentences: [unreachable, /basic_text/],
      safe: async () => (await filled(freshSafeStorage(safeStorageDouble()))).path,
      reopen: (path: string) => createSafeStorageSecretStore({ safeStorage: safeStorageDouble('basic_text'), path, platform: 'linux' }),
    },
    {
      name: 'a damaged file',
      code: 'KEYCHAIN_FAILED',
      sentences: [unreachable, /cannot be read.*neither treat it as empty nor overwrite it/s],
      safe: async () => {
        const { path } = await filled(freshSafeStorage());
        writeFileSync(path, readFileSync(path, 'utf8').slice(0, 40));
        return path;
      },
      reopen: (path: string) => createSafeStorageSecretStore({ safeStorage: safeStorageDouble(), path, platform: 'linux' }),
    },
    {
      name: 'a key in the OS keychain that changed',
      code: 'KEYCHAIN_FAILED',
      sentences: [/entry for audit-anchor@ch-sud that cannot be decrypted/],
      safe: async () => (await filled(freshSafeStorage())).path,
      reopen: (path: string) => createSafeStorageSecretStore({ safeStorage: safeStorageDouble(), path, platform: 'linux' }),
    },
  ])('refuses, coded, when the recorded safeStorage file cannot be read ($name), moving nothing', async ({ code, sentences, safe, reopen }) => {
    const settings = settingsAt();
    await settings.update({ secretStore: 'safeStorage' });
    const keychain = freshKeychain();
    const path = await safe();
    const before = readFileSync(path, 'utf8');
    const error = await openSecretStore({ choice: 'keychain', keychain, safeStorage: () => reopen(path), settings, log: logged().log }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretStoreError);
    expect(error).toMatchObject({ code });
    for (const sentence of sentences) expect((error as Error).message).toMatch(sentence);
    expect(await keychain.list()).toEqual([]);
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect((await settings.read()).secretStore).toBe('safeStorage');
  });

  it('with nothing recorded and no reachable keychain, has nothing to move: says so in the log and records safeStorage', async () => {
    const settings = settingsAt();
    const safe = freshSafeStorage();
    const { lines, log } = logged();
    const opened = await openSecretStore({ choice: 'safeStorage', keychain: unreachableKeychain(), safeStorage: () => safe.store, settings, log });
    expect(opened).toBe(safe.store);
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      expect.objectContaining({ level: 'warn', message: expect.stringMatching(/keychain is unreachable: nothing to move/), code: 'KEYCHAIN_UNAVAILABLE' }),
    ]);
    expect((await settings.read()).secretStore).toBe('safeStorage');
  });
});
