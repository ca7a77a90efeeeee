import type { KeyHandle } from '../../shared/crypto/webcrypto';
import { HostError } from './host';

/**
 * The web host's device secret (dev and tests only): 32 random bytes imported once as a
 * non-extractable HKDF key and kept in IndexedDB. IndexedDB stores a CryptoKey by structured clone,
 * which keeps it non-extractable: the page can use it after a restart and never read its bytes.
 * (Electron keeps the secret in the OS keychain and hands the page the same kind of key.)
 */
const databaseName = 'relais-web-host';
const storeName = 'device';
const secretId = 'secret';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function openDatabase(idb: IDBFactory): Promise<IDBDatabase> {
  const open = idb.open(databaseName, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(storeName);
  return request(open);
}

const isCryptoKey = (value: unknown): value is CryptoKey =>
  typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'secret' && (value as { extractable?: unknown }).extractable === false;

async function readSecret(db: IDBDatabase): Promise<CryptoKey | null> {
  const value: unknown = await request(db.transaction(storeName, 'readonly').objectStore(storeName).get(secretId));
  return isCryptoKey(value) ? value : null;
}

/** Reads the key, creating it on first use; two tabs racing both end with the one stored first. */
export function createDeviceSecretSource(idb: IDBFactory, crypto: Crypto): () => Promise<KeyHandle> {
  let cached: Promise<CryptoKey> | null = null;
  const load = async (): Promise<CryptoKey> => {
    const db = await openDatabase(idb);
    try {
      const existing = await readSecret(db);
      if (existing) return existing;
      const bytes = crypto.getRandomValues(new Uint8Array(32));
      const key = await crypto.subtle.importKey('raw', bytes, 'HKDF', false, ['deriveKey']);
      bytes.fill(0);
      const tx = db.transaction(storeName, 'readwrite', { durability: 'strict' });
      const added = request(tx.objectStore(storeName).add(key, secretId));
      await added.catch(() => undefined); // ConstraintError: another tab stored one first
      await new Promise<void>((resolve) => {
        tx.oncomplete = () => resolve();
        tx.onabort = () => resolve();
        tx.onerror = () => resolve();
      });
      const stored = await readSecret(db);
      if (!stored) throw new HostError('KEYCHAIN_UNAVAILABLE');
      return stored;
    } finally {
      db.close();
    }
  };
  return () => {
    cached ??= load().catch((error: unknown) => {
      cached = null;
      throw error instanceof HostError ? error : new HostError('KEYCHAIN_UNAVAILABLE');
    });
    return cached;
  };
}

/** Remote wipe: the web host's device secret goes with its database. */
export function destroyWebDeviceSecret(idb: IDBFactory): Promise<void> {
  return new Promise((resolve, reject) => {
    const deletion = idb.deleteDatabase(databaseName);
    deletion.onsuccess = () => resolve();
    deletion.onerror = () => reject(deletion.error ?? new Error('deleteDatabase failed'));
    deletion.onblocked = () => resolve();
  });
}

/** Remote wipe, last step: every IndexedDB database of this origin, and its web storage. */
export async function eraseWebStorage(window: Window): Promise<void> {
  for (const info of await window.indexedDB.databases()) {
    if (info.name === undefined) continue;
    await new Promise<void>((resolve) => {
      const deletion = window.indexedDB.deleteDatabase(info.name as string);
      deletion.onsuccess = () => resolve();
      deletion.onerror = () => resolve();
      deletion.onblocked = () => resolve();
    });
  }
  window.localStorage.clear();
  window.sessionStorage.clear();
}
