import type { RxCollection } from 'rxdb/plugins/core';
import { createDataKey, opaquePatientKey, openDataKey, type UnlockedVault } from '../../shared/crypto/key-hierarchy';
import { IntegrityError } from '../../shared/crypto/errors';
import { opaqueLabel, openRowName, sealRowName } from '../../shared/crypto/row-id';
import type { KeyHandle, WebCrypto } from '../../shared/crypto/webcrypto';
import { bodyOfKey } from './bodies';
import { throwIfWriteErrors, VaultMismatchError } from './errors';
import { collectionNames, type KeyDoc, sharedKeyId } from './schemas';
import type { SealingKeys } from './sealing-storage';

/**
 * The data keys in memory. Each patient's key is unwrapped once (at open, or when first created)
 * and kept as a non-extractable handle, so sealing a page of 1,000 rows costs no key work.
 * Documents name their key by the plaintext `patientKey` (HMAC of the patient reference under
 * the vault's index key); data that belongs to no patient uses the replica-level shared key.
 *
 * A keys document is sealed under the key it wraps: it is readable exactly as long as the key is.
 */
export type KeyRing = Pick<SealingKeys, 'keyFor'> &
  Readonly<{
    /** Loads every wrapped key (and creates the shared key on first use). Call once, before other collections open. */
    attach(keys: RxCollection<KeyDoc>): Promise<void>;
    /** The opaque key naming this patient's data (sharedKeyId for null). */
    patientKeyOf(patient: string | null): Promise<string>;
    /** Creates and stores (strict) a data key for each patient that has none yet. */
    ensureKeys(patients: Iterable<string | null>): Promise<void>;
    /**
     * The key sealing this patient's rows, only once it is stored (a key being created by
     * ensureKeys is not, yet): what may seal a row ahead of its write (resource-docs.ts prepareRows).
     */
    storedKeyOf(patientKey: string): KeyHandle | null;
    /** Patient references that have a key here. */
    patients(): readonly string[];
    /** Blanks the wrapped key in its document, removes the document, forgets the handle. */
    shred(patient: string): Promise<void>;
    /** Device wipe: blanks and removes every wrapped key, the shared key included. */
    shredAll(): Promise<void>;
    /** The opaque id of a resource row (shared/crypto/row-id.ts): rows are keyed by it, never by their clear `Type/id`. */
    rowIdOf(ref: string): Promise<string>;
    /** The row's sealed name (its ref, under the shared key, bound to its id): what names the row when its body does not open. */
    rowNameOf(rowId: string, ref: string): Promise<string>;
    /** The ref a row's sealed name holds, or null if it does not open (altered, moved from another row, or another vault's). */
    refOfRow(rowId: string, name: unknown): Promise<string | null>;
    /** The opaque label a resource type is indexed by (the Patient list). */
    typeKeyOf(type: string): Promise<string>;
    forget(): void;
  }>;

/** Enough for a sync page's metaOf and its write to share one computation; bounded so 500k refs do not stay in memory. */
const rowIdCacheSize = 20_000;

export function createKeyRing(crypto: WebCrypto, vault: UnlockedVault): KeyRing {
  const handles = new Map<string, KeyHandle>();
  const unwrapping = new Map<string, Promise<KeyHandle | null>>();
  const patientOfKey = new Map<string, string>();
  const keyOfPatient = new Map<string, string>();
  let collection: RxCollection<KeyDoc> | null = null;
  const rowIds = new Map<string, Promise<string>>();
  /** Keys created by ensureKeys whose document is not yet written. */
  const unstored = new Set<string>();
  const typeKeys = new Map<string, string>();

  const sharedHandle = (): KeyHandle => {
    const key = handles.get(sharedKeyId);
    if (key === undefined) throw new Error('key ring used before attach()');
    return key;
  };

  const attached = (): RxCollection<KeyDoc> => {
    if (collection === null) throw new Error('key ring used before attach()');
    return collection;
  };

  function unwrapStored(patientKey: string, wrapped: string): Promise<KeyHandle | null> {
    const known = handles.get(patientKey);
    if (known) return Promise.resolve(known);
    let pending = unwrapping.get(patientKey);
    if (!pending) {
      pending = openDataKey(crypto, vault, patientKey, wrapped).then(
        (key) => {
          handles.set(patientKey, key);
          return key;
        },
        // A wrapped key that does not open (tampered, or another vault's) seals nothing readable.
        () => null,
      );
      unwrapping.set(patientKey, pending);
      void pending.finally(() => unwrapping.delete(patientKey));
    }
    return pending;
  }

  async function patientKeyOf(patient: string | null): Promise<string> {
    if (patient === null) return sharedKeyId;
    let key = keyOfPatient.get(patient);
    if (key === undefined) {
      key = await opaquePatientKey(crypto, vault, patient);
      keyOfPatient.set(patient, key);
    }
    return key;
  }

  async function ensureKeys(patients: Iterable<string | null>): Promise<void> {
    const missing = new Map<string, string | null>();
    for (const patient of new Set(patients)) {
      const patientKey = await patientKeyOf(patient);
      if (!handles.has(patientKey)) missing.set(patientKey, patient);
    }
    if (missing.size === 0) return;
    const docs: KeyDoc[] = [];
    for (const [patientKey, patient] of missing) {
      const { wrapped, key } = await createDataKey(crypto, vault, patientKey);
      unstored.add(patientKey);
      handles.set(patientKey, key);
      docs.push({ patientKey, wrapped, body: { patient } });
    }
    try {
      // Upsert: a keys document that did not open is replaced; its old documents stay unreadable.
      throwIfWriteErrors('data key write', await attached().bulkUpsert(docs));
    } catch (error: unknown) {
      // A key that was not stored seals nothing: a row sealed under it would never open again.
      for (const patientKey of missing.keys()) handles.delete(patientKey);
      throw error;
    } finally {
      for (const patientKey of missing.keys()) unstored.delete(patientKey);
    }
    for (const [patientKey, patient] of missing) {
      if (patient !== null) patientOfKey.set(patientKey, patient);
    }
  }

  return {
    async keyFor(collectionName, doc) {
      const patientKey = doc['patientKey'];
      if (collectionName === collectionNames.keys) {
        const wrapped = doc['wrapped'];
        if (typeof patientKey !== 'string' || typeof wrapped !== 'string' || wrapped === '') return null;
        return unwrapStored(patientKey, wrapped);
      }
      if (collectionName === collectionNames.resources || collectionName === collectionNames.outbox || collectionName === collectionNames.conflicts) {
        return typeof patientKey === 'string' ? (handles.get(patientKey) ?? null) : null;
      }
      // meta, and what RxDB creates itself (a migration's replication meta): the shared key.
      return handles.get(sharedKeyId) ?? null;
    },

    async attach(keys) {
      collection = keys;
      const docs = await keys.find().exec();
      // The shared key exists from the first open on: if it does not open, this is another vault's
      // replica, and creating a fresh shared key would overwrite (destroy) the real one.
      if (docs.some((d) => d.patientKey === sharedKeyId) && !handles.has(sharedKeyId)) throw new VaultMismatchError();
      for (const doc of docs) {
        const body = bodyOfKey(doc.body);
        if (body?.patient) {
          patientOfKey.set(doc.patientKey, body.patient);
          keyOfPatient.set(body.patient, doc.patientKey);
        }
      }
      await ensureKeys([null]);
    },

    patientKeyOf,
    ensureKeys,
    storedKeyOf: (patientKey) => (unstored.has(patientKey) ? null : (handles.get(patientKey) ?? null)),
    patients: () => [...patientOfKey.values()],

    async shred(patient) {
      const patientKey = await patientKeyOf(patient);
      const keys = attached();
      const doc = await keys.findOne(patientKey).exec();
      if (doc) {
        // The tombstone RxDB keeps must not carry the wrapped key: blank it (and the body sealed
        // under it, which nothing could seal again), then remove.
        const blanked = await doc.incrementalPatch({ wrapped: '', body: null });
        await blanked.remove();
      }
      handles.delete(patientKey);
      patientOfKey.delete(patientKey);
    },

    async shredAll() {
      const keys = attached();
      for (const doc of await keys.find().exec()) {
        const blanked = await doc.incrementalPatch({ wrapped: '', body: null });
        await blanked.remove();
      }
      handles.clear();
      patientOfKey.clear();
      keyOfPatient.clear();
      rowIds.clear();
      typeKeys.clear();
    },

    rowIdOf(ref) {
      // The computation itself is kept: a page sealed ahead and its metaOf ask for the same ids at once.
      const known = rowIds.get(ref);
      if (known !== undefined) return known;
      const id = opaqueLabel(crypto, vault.indexKey, 'row', ref);
      if (rowIds.size >= rowIdCacheSize) rowIds.clear();
      rowIds.set(ref, id);
      id.catch(() => {
        if (rowIds.get(ref) === id) rowIds.delete(ref);
      });
      return id;
    },

    rowNameOf: (rowId, ref) => sealRowName(crypto, sharedHandle(), rowId, ref),

    async refOfRow(rowId, name) {
      if (typeof name !== 'string') return null;
      try {
        return await openRowName(crypto, sharedHandle(), rowId, name);
      } catch (error: unknown) {
        if (error instanceof IntegrityError) return null;
        throw error;
      }
    },

    async typeKeyOf(type) {
      let key = typeKeys.get(type);
      if (key === undefined) {
        key = await opaqueLabel(crypto, vault.indexKey, 'type', type);
        typeKeys.set(type, key);
      }
      return key;
    },

    forget() {
      rowIds.clear();
      typeKeys.clear();
      handles.clear();
      patientOfKey.clear();
      keyOfPatient.clear();
      collection = null;
    },
  };
}
