import {
  getPrimaryFieldOfPrimaryKey,
  hasEncryption,
  type RxDocumentData,
  type RxJsonSchema,
  type RxStorage,
  type RxStorageInstance,
  type RxStorageInstanceCreationParams,
  wrapRxStorageInstance,
} from 'rxdb/plugins/core';
import { fromUtf8, utf8 } from '../../shared/crypto/bytes';
import { IntegrityError, MissingKeyError } from '../../shared/crypto/errors';
import { openValue, sealValue, type ValueContext } from '../../shared/crypto/sealed-value';
import type { KeyHandle, WebCrypto } from '../../shared/crypto/webcrypto';

/**
 * Our encryption layer on RxDB's wrapRxStorageInstance (the shape of RxDB's encryption-crypto-js
 * plugin, which we do not use: AES-CBC, MD5 key derivation, no authentication). Every top-level
 * field a schema lists in `encrypted` is stored as one AES-256-GCM sealed value (sealed-value.ts)
 * under the document's data key, with AAD binding it to the collection, schema version and
 * primary key, the field, and the document's version (`_rev` plus its write time: RxDB restarts
 * `_rev` at 1 when a deleted id is inserted again, so `_rev` alone could repeat).
 *
 * A value that does not open — a flipped bit, a value moved from another document, an older
 * version's value, a plaintext put where ciphertext belongs, a key that was shredded — never
 * throws out of a read: the document comes back with that field null and `onUnreadable` is told,
 * so one damaged row cannot take a whole query (or the chart) down.
 *
 * Schemas built by RxDB itself inherit `encrypted` (the migration's replication meta instance
 * sets `encrypted: ['docData']` when the migrated schema has encryption), so documents copied
 * during a schema migration are never written in clear either.
 */
export type SealingKeys = Readonly<{
  /** The key sealing this stored document (its plaintext fields are readable), or null if there is none. */
  keyFor(collectionName: string, storedDoc: Readonly<Record<string, unknown>>): Promise<KeyHandle | null>;
  /** A sealed field of this document did not open. Called once per document read. */
  onUnreadable(collectionName: string, docId: string): void;
}>;

/** The storage below the seal: plaintext fields readable, sealed ones still sealed (no crypto spent). */
export type UnsealedInstance = RxStorageInstance<unknown, unknown, unknown>;

type StoredDoc = Record<string, unknown> & { _rev?: unknown; _meta?: unknown };

/**
 * The AAD of one sealed field: where it lives (collection, schema version, id, field), the clear
 * fields the collection binds (their values as stored: altered, the value no longer opens), and
 * which write made it.
 */
export function valueContext(
  collectionName: string,
  schemaVersion: number,
  docId: string,
  field: string,
  doc: StoredDoc,
  bound: readonly string[] = [],
): ValueContext {
  const lwt = (doc._meta as { lwt?: unknown } | undefined)?.lwt;
  const where = `${collectionName}@${schemaVersion}:${docId}`;
  return {
    docId: bound.length === 0 ? where : `${where}#${JSON.stringify(bound.map((name) => [name, doc[name] ?? null]))}`,
    field,
    version: `${String(doc._rev)}|${String(lwt)}`,
  };
}

/** The schema the inner storage sees: sealed fields are strings, and `encrypted` is gone (Dexie refuses it, UT6). */
function storedSchemaOf<T>(schema: RxJsonSchema<RxDocumentData<T>>, paths: readonly string[]): RxJsonSchema<RxDocumentData<T>> {
  const properties: Record<string, unknown> = { ...schema.properties };
  for (const path of paths) properties[path] = { type: 'string' };
  const stored: Record<string, unknown> = { ...schema, properties };
  delete stored['encrypted'];
  return stored as RxJsonSchema<RxDocumentData<T>>;
}

export function sealingStorage<Internals, Options>(args: {
  storage: RxStorage<Internals, Options>;
  crypto: WebCrypto;
  keys: SealingKeys;
  /** Told about each sealed instance's inner storage (tombstone removal, tests that attack the stored rows). */
  onInstance?: (collectionName: string, schemaVersion: number, inner: UnsealedInstance) => void;
  /** The clear top-level fields each collection version binds into its sealed values' AAD (none when absent). */
  boundFields?: (collectionName: string, schemaVersion: number) => readonly string[];
}): RxStorage<Internals, Options> {
  const { storage, crypto, keys } = args;
  return {
    name: `relais-sealed-${storage.name}`,
    rxdbVersion: storage.rxdbVersion,
    async createStorageInstance<RxDocType>(
      params: RxStorageInstanceCreationParams<RxDocType, Options>,
    ): Promise<RxStorageInstance<RxDocType, Internals, Options>> {
      if (!hasEncryption(params.schema)) return storage.createStorageInstance(params);
      if (params.schema.attachments) throw new TypeError('sealed collections carry no attachments');
      const paths = [...(params.schema.encrypted ?? [])];
      // Only top-level fields: one sealed value per field keeps the AAD simple and the row small.
      if (paths.some((p) => p.includes('.'))) throw new TypeError('only top-level fields can be sealed');
      const collection = params.collectionName;
      const schemaVersion = params.schema.version;
      const primaryPath = getPrimaryFieldOfPrimaryKey(params.schema.primaryKey) as string;
      const bound = args.boundFields?.(collection, schemaVersion) ?? [];
      if (bound.some((f) => paths.includes(f) || f === primaryPath)) throw new TypeError('a bound field is a clear field other than the primary key');
      const inner = await storage.createStorageInstance<RxDocType>({ ...params, schema: storedSchemaOf(params.schema, paths) });
      args.onInstance?.(collection, params.schema.version, inner as unknown as UnsealedInstance);

      /**
       * In-process shortcuts, keyed by object identity so they never apply to bytes read from
       * disk: the Dexie storage emits each written row object back in its change event (and in
       * a 409 error), so the wrapper would decrypt what it has just encrypted; and RxDB hands
       * back as `previous` the object it read, which the wrapper would encrypt again although
       * only its `_rev` is compared. Halves the crypto of a bulk write.
       */
      const plainOf = new WeakMap<StoredDoc, StoredDoc>();
      const storedOf = new WeakMap<StoredDoc, StoredDoc>();

      async function seal(doc: StoredDoc): Promise<StoredDoc> {
        const read = storedOf.get(doc);
        if (read !== undefined && read._rev === doc._rev) return read;
        const toSeal = paths.filter((p) => doc[p] !== undefined && doc[p] !== null);
        if (toSeal.length === 0) return doc;
        const key = await keys.keyFor(collection, doc);
        if (key === null) throw new MissingKeyError();
        const docId = String(doc[primaryPath]);
        const out: StoredDoc = { ...doc };
        await Promise.all(
          toSeal.map(async (path) => {
            out[path] = await sealValue(crypto, key, utf8(JSON.stringify(doc[path])), valueContext(collection, schemaVersion, docId, path, doc, bound));
          }),
        );
        plainOf.set(out, doc);
        return out;
      }

      async function open(doc: StoredDoc): Promise<StoredDoc> {
        const written = plainOf.get(doc);
        if (written !== undefined && written._rev === doc._rev) return { ...doc, ...Object.fromEntries(paths.map((p) => [p, written[p]])) };
        const present = paths.filter((p) => doc[p] !== undefined && doc[p] !== null);
        if (present.length === 0) return doc;
        const docId = String(doc[primaryPath]);
        const out: StoredDoc = { ...doc };
        let unreadable = false;
        const key = await keys.keyFor(collection, doc);
        await Promise.all(
          present.map(async (path) => {
            const sealed = doc[path];
            try {
              // A plaintext value where ciphertext belongs is as untrustworthy as a flipped bit.
              if (key === null || typeof sealed !== 'string') throw new IntegrityError();
              out[path] = JSON.parse(fromUtf8(await openValue(crypto, key, sealed, valueContext(collection, schemaVersion, docId, path, doc, bound)))) as unknown;
            } catch (error: unknown) {
              if (!(error instanceof IntegrityError)) throw error;
              out[path] = null;
              unreadable = true;
            }
          }),
        );
        if (unreadable) keys.onUnreadable(collection, docId);
        storedOf.set(out, doc);
        return out;
      }

      return wrapRxStorageInstance(
        params.schema,
        inner,
        (doc) => seal(doc as StoredDoc) as Promise<RxDocumentData<RxDocType>>,
        (doc) => open(doc as StoredDoc) as Promise<RxDocumentData<RxDocType>>,
      ) as RxStorageInstance<RxDocType, Internals, Options>;
    },
  };
}
