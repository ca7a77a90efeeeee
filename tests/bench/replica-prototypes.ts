import { fillWithDefaultSettings, type RxJsonSchema } from 'rxdb/plugins/core';
import { asFhirResource } from '../../renderer/db/bodies';
import { durableDexieStorage } from '../../renderer/db/durable-storage';
import { resourceBoundFields, resourcesSchema, type ResourceDoc } from '../../renderer/db/schemas';
import { sealingStorage } from '../../renderer/db/sealing-storage';
import { fromUtf8, utf8 } from '../../shared/crypto/bytes';
import type { KeyHandle } from '../../shared/crypto/webcrypto';
import type { BenchDoc } from './replica-data';
import { getAllByIndex, openDatabase, putAll } from './replica-idb';
import { openPackedStore } from './replica-packed';
import { aad, benchCrypto, createPatientKeys, openBytes, openJson, type PatientKeys, sealBytes, sealJson } from './replica-seal';
import type { BenchStore } from './replica-store';
import type { VariantName } from './replica-variants';

/**
 * Prototypes of changes to renderer/db, measured beside the replica itself (packed rows are in
 * replica-packed.ts):
 *
 * - seal-only: what sealing a page costs with nothing stored (JSON, UTF-8, AES-GCM per row);
 * - sealed-raw: the same sealed rows as the replica (plaintext type, patientKey, versionId,
 *   lastUpdated, syncState; sealed body) put straight into IndexedDB, strict: the floor for
 *   "one sealed row per resource"; `binary` keeps the sealed body as bytes instead of base64;
 * - ours-direct: the replica's own storage stack (sealingStorage over the strict Dexie storage,
 *   its resources schema: opaque row id, type label, everything else sealed) written through the
 *   storage instance, below RxCollection: what the collection layer (documents, cache, change
 *   events, upsert) costs.
 */
/** ours + flat base64 is the replica itself, in a bundle with bytes.ts swapped (replica-variants.ts). */
type PrototypeName = Exclude<Extract<VariantName, `proto-${string}`>, 'proto-ours-flatb64'>;

type SealedRow = { ref: string; type: string; patientKey: string; versionId: string; lastUpdated: string; syncState: 'synced'; body: string | Uint8Array };

async function sealRows(keys: PatientKeys, docs: readonly BenchDoc[], binary = false): Promise<SealedRow[]> {
  return Promise.all(
    docs.map(async (d) => {
      const { patientKey, key } = await keys.of(d.patient);
      const value = { resource: d.resource, patient: d.patient };
      const body = binary ? await sealBytes(key, utf8(JSON.stringify(value)), aad(d.ref, 'body')) : await sealJson(key, value, aad(d.ref, 'body'));
      return { ref: d.ref, type: d.type, patientKey, versionId: String(d.resource.meta.versionId), lastUpdated: d.lastUpdated, syncState: 'synced' as const, body };
    }),
  );
}

async function openRow(key: KeyHandle, row: SealedRow): Promise<unknown> {
  const context = aad(row.ref, 'body');
  if (typeof row.body === 'string') return openJson(key, row.body, context);
  return JSON.parse(fromUtf8(await openBytes(key, row.body, context))) as unknown;
}

async function openSealOnly(): Promise<BenchStore> {
  const keys = await createPatientKeys();
  return {
    write: async (docs) => {
      await sealRows(keys, docs);
    },
    close: () => Promise.resolve(),
  };
}

async function openSealedRaw(name: string, binary: boolean): Promise<BenchStore> {
  const keys = await createPatientKeys();
  const db = await openDatabase(name, [{ name: 'resources', keyPath: 'ref', indexes: ['patientKey', 'type', 'syncState'] }]);
  return {
    write: async (docs) => putAll(db, 'resources', await sealRows(keys, docs, binary), 'strict'),
    async chart(patient) {
      const { patientKey, key } = await keys.of(patient);
      const rows = (await getAllByIndex(db, 'resources', 'patientKey', patientKey)) as SealedRow[];
      const bodies = await Promise.all(rows.map(async (row) => asFhirResource(((await openRow(key, row)) as { resource?: unknown } | null)?.resource)));
      return bodies.filter((b) => b !== null).length;
    },
    close: () => {
      db.close();
      return Promise.resolve();
    },
  };
}

async function openOursDirect(name: string): Promise<BenchStore> {
  const keys = await createPatientKeys();
  const storage = sealingStorage({
    storage: durableDexieStorage({}),
    crypto: benchCrypto,
    boundFields: (collection) => (collection === 'resources' ? resourceBoundFields : []),
    keys: {
      keyFor: (_collection, doc) => Promise.resolve(typeof doc['patientKey'] === 'string' ? keys.byPatientKey(doc['patientKey']) : null),
      onUnreadable: () => undefined,
    },
  });
  const schema = fillWithDefaultSettings(resourcesSchema) as RxJsonSchema<ResourceDoc & { _deleted: boolean; _rev: string; _meta: { lwt: number }; _attachments: object }>;
  const instance = await storage.createStorageInstance({
    databaseInstanceToken: 'bench',
    databaseName: name,
    collectionName: 'resources',
    schema,
    options: {},
    multiInstance: false,
    devMode: false,
  });
  let lwt = Date.now();
  return {
    async write(docs) {
      const rows = await Promise.all(
        docs.map(async (d) => {
          const { patientKey } = await keys.of(d.patient);
          lwt += 0.01;
          const body = { ref: d.ref, resource: d.resource, patient: d.patient, versionId: String(d.resource.meta.versionId), lastUpdated: d.lastUpdated, syncState: 'synced' as const };
          const id = await keys.rowId(d.ref);
          return {
            document: {
              id, name: await keys.rowName(id, d.ref), typeKey: await keys.typeKey(d.type), patientKey,
              body, _deleted: false, _rev: '1-bench', _meta: { lwt: Math.round(lwt * 100) / 100 }, _attachments: {},
            },
          };
        }),
      );
      const result = await instance.bulkWrite(rows, 'bench');
      if (result.error.length > 0) throw new Error(`bulkWrite: ${result.error.length} errors`);
    },
    close: () => instance.close(),
  };
}

export function openPrototypeStore(variant: PrototypeName, name: string): Promise<BenchStore> {
  switch (variant) {
    case 'proto-seal-only':
      return openSealOnly();
    case 'proto-sealed-raw':
      return openSealedRaw(name, false);
    case 'proto-sealed-raw-binary':
      return openSealedRaw(name, true);
    case 'proto-packed':
      return openPackedStore(name, false);
    case 'proto-packed-deflate':
      return openPackedStore(name, true);
    case 'proto-ours-direct':
      return openOursDirect(name);
    default: {
      const never: never = variant;
      throw new Error(`unknown prototype ${String(never)}`);
    }
  }
}
