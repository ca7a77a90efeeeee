import { createVault, importDeviceSecret, newDeviceSecret, type UnlockedVault } from '../../../../shared/crypto/key-hierarchy';
import type { WebCrypto } from '../../../../shared/crypto/webcrypto';
import type { SyncedResource } from '../../../../shared/fhir/resource';
import { openReplicaDatabase } from '../../../../renderer/db/database';
import { createKeyRing } from '../../../../renderer/db/key-ring';
import { openReplica, type Replica } from '../../../../renderer/db/replica';
import { rowStoreName, storedKeyOf, textOfStored } from '../../../../renderer/db/row-store';

/** Shared by the renderer/db tests. Test files import 'fake-indexeddb/auto' first. */
export const webcrypto = globalThis.crypto as unknown as WebCrypto;

/** ~0.3 s (600k PBKDF2 iterations): once per file, in beforeAll. */
export async function makeVault(): Promise<UnlockedVault> {
  return (await createVault(webcrypto, await importDeviceSecret(webcrypto, newDeviceSecret(webcrypto)), 'correct horse battery staple')).vault;
}

let counter = 0;
export const uniqueName = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${(counter += 1)}`;

export function openTestReplica(name: string, vault: UnlockedVault, clockMs?: () => number, crypto: WebCrypto = webcrypto): Promise<Replica> {
  return openReplica({
    name,
    crypto,
    vault,
    indexedDB: globalThis.indexedDB,
    IDBKeyRange: globalThis.IDBKeyRange,
    multiInstance: false,
    ...(clockMs ? { clock: { now: clockMs } } : {}),
  });
}

/** WebCrypto that counts its decryptions (what a read costs: every sealed row, link or document it opens). */
export function countingCrypto(): { crypto: WebCrypto; decrypts(): number } {
  let decrypts = 0;
  const subtle = new Proxy(webcrypto.subtle, {
    get(target, key) {
      const value = Reflect.get(target, key, target) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (key === 'decrypt') decrypts += 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  const crypto = { subtle, getRandomValues: webcrypto.getRandomValues.bind(webcrypto) } as unknown as WebCrypto;
  return { crypto, decrypts: () => decrypts };
}

const stamp = (version: string, at = '2025-03-01T10:00:00.000Z') => ({ versionId: version, lastUpdated: at });

export function patient(
  id: string,
  details: { family: string; given?: string[]; birthDate?: string; identifier?: string },
  version = 'v1',
): SyncedResource {
  return {
    resourceType: 'Patient',
    id,
    meta: stamp(version),
    name: [{ family: details.family, given: details.given ?? [] }],
    ...(details.birthDate ? { birthDate: details.birthDate } : {}),
    ...(details.identifier ? { identifier: [{ system: 'urn:oid:1.2.250.1.213.1.4.8', value: details.identifier }] } : {}),
  };
}

export function observation(id: string, patientId: string, note: string, version = 'v1'): SyncedResource {
  return {
    resourceType: 'Observation',
    id,
    meta: stamp(version),
    status: 'final',
    code: { text: note },
    subject: { reference: `Patient/${patientId}` },
  };
}

export function practitioner(id: string, family: string): SyncedResource {
  return { resourceType: 'Practitioner', id, meta: stamp('v1'), name: [{ family }] };
}

export const dexieName = (name: string, collection: string, version: number): string => `rxdb-dexie-${name}--${version}--${collection}`;

/** The resource rows' IndexedDB database (the row store, resources v3) and its object store. */
export const resourcesDb = (name: string): string => rowStoreName(name);
export const resourcesStore = 'resource-rows';

/** The opaque row ids these refs are stored under in this (closed) replica: opens its key ring as the replica would. */
export async function rowIdsIn(name: string, vault: UnlockedVault, ...refs: string[]): Promise<string[]> {
  const keyRing = createKeyRing(webcrypto, vault);
  const { db } = await openReplicaDatabase({ name, crypto: webcrypto, keyRing, onUnreadable: () => undefined });
  try {
    return await Promise.all(refs.map((ref) => keyRing.rowIdOf(ref)));
  } finally {
    await db.close();
    keyRing.forget();
  }
}

// ── raw IndexedDB, below RxDB and Dexie ──────────────────────────────────────────────────────────

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

async function openRaw(dbName: string): Promise<IDBDatabase> {
  return done(indexedDB.open(dbName));
}

export type RawRow = Readonly<{ db: string; store: string; value: unknown }>;

/** Every row of every object store of every IndexedDB database this replica name made. */
export async function rawDump(name: string): Promise<RawRow[]> {
  const rows: RawRow[] = [];
  for (const info of await indexedDB.databases()) {
    if (!info.name?.startsWith(`rxdb-dexie-${name}--`) && info.name !== rowStoreName(name)) continue;
    const db = await openRaw(info.name);
    try {
      for (const store of Array.from(db.objectStoreNames)) {
        const values = await done(db.transaction(store, 'readonly').objectStore(store).getAll());
        for (const value of values) rows.push({ db: info.name, store, value: store === resourcesStore ? asText(value as RawDoc) : value });
      }
    } finally {
      db.close();
    }
  }
  return rows;
}

export type RawDoc = Record<string, unknown>;

/**
 * The row store keeps its id, labels and name as bytes (row-store.ts, version 2): the raw helpers
 * show and take them as the text the rest of the app uses, so a test names a row by its id.
 */
const rowFields = ['id', 'name', 'typeKey', 'patientKey'] as const;
function asText(doc: RawDoc): RawDoc {
  const copy = { ...doc };
  for (const field of rowFields) if (doc[field] instanceof Uint8Array) copy[field] = textOfStored(doc[field]);
  return copy;
}
function asStored(doc: RawDoc): RawDoc {
  const copy = { ...doc };
  for (const field of rowFields) if (typeof doc[field] === 'string') copy[field] = storedKeyOf(doc[field]);
  return copy;
}
const isRowStore = (db: IDBDatabase): boolean => db.objectStoreNames.contains(resourcesStore);

/** RxDB's Dexie storage keeps a collection's rows in 'docs'; the row store in 'resource-rows'. */
const storeOf = (db: IDBDatabase): string => (db.objectStoreNames.contains(resourcesStore) ? resourcesStore : 'docs');

export async function rawGet(dbName: string, key: string): Promise<RawDoc | undefined> {
  const db = await openRaw(dbName);
  try {
    const doc = (await done(db.transaction(storeOf(db), 'readonly').objectStore(storeOf(db)).get(isRowStore(db) ? storedKeyOf(key) : key))) as RawDoc | undefined;
    return doc !== undefined && isRowStore(db) ? asText(doc) : doc;
  } finally {
    db.close();
  }
}

export async function rawPut(dbName: string, doc: RawDoc): Promise<void> {
  const db = await openRaw(dbName);
  try {
    await done(db.transaction(storeOf(db), 'readwrite').objectStore(storeOf(db)).put(isRowStore(db) ? asStored(doc) : doc));
  } finally {
    db.close();
  }
}

export async function rawDelete(dbName: string, key: string): Promise<void> {
  const db = await openRaw(dbName);
  try {
    await done(db.transaction(storeOf(db), 'readwrite').objectStore(storeOf(db)).delete(isRowStore(db) ? storedKeyOf(key) : key));
  } finally {
    db.close();
  }
}

/** Flips one bit in the middle of a base64url string (the result is still valid base64url). */
/** One bit flipped in the middle of a sealed value, in its text form (base64url) or its bytes form (the row store). */
export function flipBit<T extends string | Uint8Array>(sealed: T): T;
export function flipBit(sealed: string | Uint8Array): string | Uint8Array {
  if (sealed instanceof Uint8Array) {
    const copy = sealed.slice();
    const i = Math.floor(copy.length / 2);
    copy[i] = copy[i]! ^ 1;
    return copy;
  }
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const i = Math.floor(sealed.length / 2);
  const digit = alphabet.indexOf(sealed[i]!);
  return sealed.slice(0, i) + alphabet[digit ^ 1]! + sealed.slice(i + 1);
}
