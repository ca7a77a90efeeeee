/**
 * The safeStorage SecretStore against a test double for Electron's safeStorage (the Electron binary
 * cannot run here): real AES-256-GCM under a random key, with Chromium's "v10" prefix, and, as
 * Chromium does, data without that prefix handed back unchanged as legacy plaintext.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSafeStorageSecretStore, type SafeStorageLike } from '../../../../electron/secrets/safe-storage-store';
import { prefix, safeStorageDouble } from '../../../support/safe-storage-double';
import type { SecretStore } from '../../../../electron/secrets/secret-store';

const freshPath = () => join(mkdtempSync(join(tmpdir(), 'relais-safe-storage-')), 'sub', 'secrets.json');
const storeAt = (path: string, safeStorage: SafeStorageLike = safeStorageDouble(), platform: NodeJS.Platform = 'linux') =>
  createSafeStorageSecretStore({ safeStorage, path, platform });
const deviceSecret = () => randomBytes(32).toString('base64url');
const rawFile = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as { version: number; secrets: Record<string, string> };
const everyOperation = (store: SecretStore): Array<() => Promise<unknown>> => [
  () => store.get('device-secret'),
  () => store.set('device-secret', 'value'),
  () => store.delete('device-secret'),
  () => store.list(),
];

describe('safeStorage SecretStore', () => {
  it('sets, gets, overwrites, lists and deletes a secret', async () => {
    const store = storeAt(freshPath());
    expect(await store.get('device-secret')).toBeNull();
    expect(await store.list()).toEqual([]);
    await store.set('device-secret', 'first value');
    expect(await store.get('device-secret')).toBe('first value');
    await store.set('device-secret', 'second value');
    expect(await store.get('device-secret')).toBe('second value');
    await store.set('refresh-token', 'rt');
    expect(await store.list()).toEqual(['device-secret', 'refresh-token']);
    expect(await store.delete('device-secret')).toBe(true);
    expect(await store.delete('device-secret')).toBe(false);
    expect(await store.get('device-secret')).toBeNull();
    expect(await store.list()).toEqual(['refresh-token']);
  });

  it('keeps accounts apart, a source’s token included, and keeps them across instances on the same key', async () => {
    const path = freshPath();
    const safeStorage = safeStorageDouble();
    await storeAt(path, safeStorage).set('refresh-token', 'hie token');
    await storeAt(path, safeStorage).set('refresh-token@ch-sud', 'ch-sud token');
    const again = storeAt(path, safeStorage);
    expect(await again.get('refresh-token')).toBe('hie token');
    expect(await again.get('refresh-token@ch-sud')).toBe('ch-sud token');
    expect(await again.list()).toEqual(['refresh-token', 'refresh-token@ch-sud']);
  });

  it('writes ciphertexts only: the file’s raw bytes never hold a secret, and it is 0600', async () => {
    const path = freshPath();
    const store = storeAt(path);
    const secrets = { 'device-secret': deviceSecret(), 'refresh-token': `rt-${randomUUID()}`, 'audit-anchor@ch-sud': `anchor-${randomUUID()}` };
    for (const [account, secret] of Object.entries(secrets)) await store.set(account, secret);
    await store.set('refresh-token', `rt-${randomUUID()}`); // a rewrite, too
    const directory = join(path, '..');
    for (const name of readdirSync(directory)) {
      const bytes = readFileSync(join(directory, name));
      for (const secret of Object.values(secrets)) {
        expect(bytes.includes(Buffer.from(secret, 'utf8')), name).toBe(false);
        expect(bytes.includes(Buffer.from(secret, 'utf16le')), name).toBe(false);
      }
    }
    const entries = rawFile(path).secrets;
    expect(Object.keys(entries).sort()).toEqual(['audit-anchor@ch-sud', 'device-secret', 'refresh-token']);
    for (const encoded of Object.values(entries)) expect(Buffer.from(encoded, 'base64').subarray(0, 3)).toEqual(prefix);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(directory)).toEqual(['secrets.json']);
  });

  it('lets all concurrent sets and deletes land, one update at a time', async () => {
    const path = freshPath();
    const store = storeAt(path);
    await store.set('doomed', 'x');
    const accounts = Array.from({ length: 24 }, (_, i) => `refresh-token@source-${String(i).padStart(2, '0')}`);
    await Promise.all([...accounts.map((account) => store.set(account, `token of ${account}`)), store.delete('doomed')]);
    expect(await store.list()).toEqual(accounts);
    for (const account of accounts) expect(await store.get(account)).toBe(`token of ${account}`);
  });

  it('keeps the old file readable after a crash mid-write (a half-written temporary file left behind), and writes over it at 0600', async () => {
    const path = freshPath();
    const store = storeAt(path);
    await store.set('device-secret', 'kept');
    writeFileSync(`${path}.tmp`, '{"version":1,"secrets":{"device-secret":"djEwAAAA');
    chmodSync(`${path}.tmp`, 0o644);
    expect(await store.get('device-secret')).toBe('kept');
    expect(await store.list()).toEqual(['device-secret']);
    await store.set('refresh-token', 'rt');
    expect(existsSync(`${path}.tmp`)).toBe(false);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await store.get('device-secret')).toBe('kept');
    expect(await store.get('refresh-token')).toBe('rt');
  });
});

describe('when the OS rotates safeStorage’s key', () => {
  it('reads each secret under the old key, and writes it again under the new one', async () => {
    const path = freshPath();
    const safeStorage = safeStorageDouble();
    const store = storeAt(path, safeStorage);
    const secret = deviceSecret();
    await store.set('device-secret', secret);
    const before = rawFile(path).secrets['device-secret'] as string;
    safeStorage.rotate();
    expect(await store.get('device-secret')).toBe(secret);
    const after = rawFile(path).secrets['device-secret'] as string;
    expect(after).not.toBe(before);
    // The entry now names the new key (the double's fourth byte), and still reads back.
    expect(Buffer.from(after, 'base64')[3]).toBe(1);
    expect(await storeAt(path, safeStorage).get('device-secret')).toBe(secret);
    expect(readFileSync(path, 'utf8')).not.toContain(secret);
  });
});

describe('where safeStorage would not protect the secrets', () => {
  it('refuses every operation with KEYCHAIN_UNAVAILABLE when encryption is not available, and writes nothing', async () => {
    const path = freshPath();
    const safeStorage = safeStorageDouble();
    safeStorage.available = false;
    const store = storeAt(path, safeStorage);
    for (const operation of everyOperation(store)) {
      await expect(operation()).rejects.toMatchObject({ name: 'SecretStoreError', code: 'KEYCHAIN_UNAVAILABLE', message: expect.stringMatching(/no key from the OS keychain.*gnome-keyring/s) });
    }
    expect(existsSync(join(path, '..'))).toBe(false);
  });

  it.each([
    { name: 'the basic_text backend', backend: 'basic_text', sentence: /built-in password.*secret in a file in all but name.*--password-store=gnome-libsecret/s },
    { name: 'the unknown backend', backend: 'unknown', sentence: /backend unknown/ },
    { name: 'a safeStorage that cannot say its backend', backend: null, sentence: /backend unknown/ },
  ])('on Linux, refuses $name with KEYCHAIN_UNAVAILABLE even though encryption is "available"', async ({ backend, sentence }) => {
    const path = freshPath();
    const store = storeAt(path, safeStorageDouble(backend));
    for (const operation of everyOperation(store)) {
      await expect(operation()).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE', message: expect.stringMatching(sentence) });
    }
    expect(existsSync(join(path, '..'))).toBe(false);
  });

  it('asks for the Linux backend on Linux only (Electron has it nowhere else)', async () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const store = storeAt(freshPath(), safeStorageDouble(null), platform);
      await store.set('device-secret', 'on the OS key');
      expect(await store.get('device-secret')).toBe('on the OS key');
    }
  });

  it('fails with KEYCHAIN_FAILED when the file cannot be written, saying why without the secret, and keeps the old file', async () => {
    const path = freshPath();
    const store = storeAt(path);
    await store.set('device-secret', 'kept');
    mkdirSync(`${path}.tmp`); // the temporary file cannot be opened
    const error = await store.set('refresh-token', 'canary-write').catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'SecretStoreError', code: 'KEYCHAIN_FAILED', message: expect.stringMatching(/cannot be written \(EISDIR\)/) });
    expect((error as Error).message).not.toContain('canary-write');
    expect(await store.list()).toEqual(['device-secret']);
    expect(await store.get('device-secret')).toBe('kept');
  });
});

describe('a file that is present but cannot be trusted', () => {
  it.each([
    { name: 'not JSON', text: 'not json at all' },
    { name: 'cut short', text: '{"version":1,"secrets":{"device-secret":"djEw' },
    { name: 'empty', text: '' },
    { name: 'of another shape', text: '{"device-secret":"djEw"}' },
    { name: 'of another version', text: '{"version":2,"secrets":{}}' },
    { name: 'with an entry that is not base64', text: '{"version":1,"secrets":{"device-secret":"not base64!"}}' },
  ])('$name: every operation fails with KEYCHAIN_FAILED, and the file is left as it was', async ({ text }) => {
    const path = freshPath();
    const safeStorage = safeStorageDouble();
    await storeAt(path, safeStorage).set('device-secret', 'lost if overwritten');
    writeFileSync(path, text);
    const store = storeAt(path, safeStorage);
    for (const operation of everyOperation(store)) {
      await expect(operation()).rejects.toMatchObject({ code: 'KEYCHAIN_FAILED', message: expect.stringMatching(/cannot be read.*neither treat it as empty nor overwrite it/s) });
    }
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('refuses a tampered ciphertext for its account alone, and never says the secret', async () => {
    const path = freshPath();
    const safeStorage = safeStorageDouble();
    const store = storeAt(path, safeStorage);
    const secret = deviceSecret();
    await store.set('device-secret', secret);
    await store.set('refresh-token', 'rt');
    const file = rawFile(path);
    const bytes = Buffer.from(file.secrets['device-secret'] ?? '', 'base64');
    bytes[20] = (bytes[20] ?? 0) ^ 1;
    writeFileSync(path, JSON.stringify({ ...file, secrets: { ...file.secrets, 'device-secret': bytes.toString('base64') } }));
    const error = await store.get('device-secret').catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'SecretStoreError', code: 'KEYCHAIN_FAILED', message: expect.stringMatching(/entry for device-secret that cannot be decrypted/) });
    expect((error as Error).message).not.toContain(secret);
    expect(await store.get('refresh-token')).toBe('rt');
  });

  it('refuses every entry once the key in the OS keychain has changed', async () => {
    const path = freshPath();
    await storeAt(path).set('device-secret', deviceSecret());
    await expect(storeAt(path, safeStorageDouble()).get('device-secret')).rejects.toMatchObject({ code: 'KEYCHAIN_FAILED', message: expect.stringMatching(/key safeStorage keeps in the OS keychain has changed/) });
  });

  it('refuses a ciphertext copied onto another account (a source’s token moved onto the HIE’s)', async () => {
    const path = freshPath();
    const store = storeAt(path);
    await store.set('refresh-token', 'hie token');
    await store.set('refresh-token@ch-sud', 'ch-sud token');
    const file = rawFile(path);
    writeFileSync(path, JSON.stringify({ ...file, secrets: { ...file.secrets, 'refresh-token': file.secrets['refresh-token@ch-sud'] } }));
    await expect(store.get('refresh-token')).rejects.toMatchObject({ code: 'KEYCHAIN_FAILED' });
    expect(await store.get('refresh-token@ch-sud')).toBe('ch-sud token');
  });

  it('refuses an entry written in clear, which Chromium would hand back as legacy plaintext', async () => {
    const path = freshPath();
    const store = storeAt(path);
    await store.set('refresh-token', 'rt');
    const forged = Buffer.from(JSON.stringify({ account: 'device-secret', secret: 'chosen by whoever wrote the file' })).toString('base64');
    writeFileSync(path, JSON.stringify({ version: 1, secrets: { ...rawFile(path).secrets, 'device-secret': forged } }));
    await expect(store.get('device-secret')).rejects.toMatchObject({ code: 'KEYCHAIN_FAILED' });
  });
});
