import { createRxDatabase, type RxCollection, type RxJsonSchema } from 'rxdb/plugins/core';
import { wrappedKeyEncryptionCryptoJsStorage } from 'rxdb/plugins/encryption-crypto-js';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import type { FhirResource } from '../../shared/fhir/resource';
import { type BenchStore, matchesName } from './replica-store';

/**
 * RxDB 17 on Dexie, as the app would use it without our seal: plaintext, or with RxDB's own
 * `encryption-crypto-js` plugin sealing the resource (AES-CBC via crypto-js: the design card's
 * comparison point, not something we ship). Strict durability, like the replica's resources.
 */
type BenchRxDoc = { ref: string; type: string; patient: string; versionId: string; lastUpdated: string; resource: FhirResource };

const schema = (encrypted: boolean): RxJsonSchema<BenchRxDoc> => ({
  title: 'bench resources',
  version: 0,
  primaryKey: 'ref',
  type: 'object',
  additionalProperties: false,
  properties: {
    ref: { type: 'string', maxLength: 140 },
    type: { type: 'string', maxLength: 64 },
    patient: { type: 'string', maxLength: 140 },
    versionId: { type: 'string', maxLength: 128 },
    lastUpdated: { type: 'string', maxLength: 40 },
    resource: { type: 'object' },
  },
  required: ['ref', 'type', 'patient', 'versionId', 'lastUpdated', 'resource'],
  indexes: ['patient', 'type'],
  ...(encrypted ? { encrypted: ['resource'] } : {}),
});

export type RxdbFlavour = 'plaintext' | 'crypto-js';

export async function openRxdbStore(name: string, flavour: RxdbFlavour, durability: 'strict' | 'relaxed' = 'strict'): Promise<BenchStore> {
  const dexie = getRxStorageDexie({ chromeTransactionDurability: durability });
  const storage = flavour === 'crypto-js' ? wrappedKeyEncryptionCryptoJsStorage({ storage: dexie }) : dexie;
  const db = await createRxDatabase<{ resources: RxCollection<BenchRxDoc> }>({
    name,
    storage,
    multiInstance: false,
    eventReduce: true,
    ...(flavour === 'crypto-js' ? { password: 'bench-password-not-a-secret' } : {}),
  });
  const { resources } = await db.addCollections({ resources: { schema: schema(flavour === 'crypto-js') } });
  return {
    async write(docs) {
      const result = await resources.bulkInsert(
        docs.map((d) => ({ ref: d.ref, type: d.type, patient: d.patient, versionId: String(d.resource.meta.versionId), lastUpdated: d.lastUpdated, resource: d.resource })),
      );
      if (result.error.length > 0) throw new Error(`bulkInsert: ${result.error.length} errors`);
    },
    async chart(patient) {
      const docs = await resources.find({ selector: { patient }, sort: [{ ref: 'asc' }] }).exec();
      return docs.filter((doc) => doc.resource.resourceType !== '').length;
    },
    async search(text) {
      // A selector unique to this call: RxDB's query cache would otherwise answer from memory.
      const patients = await resources.find({ selector: { type: 'Patient', ref: { $ne: `search:${text}:${performance.now()}` } } }).exec();
      return patients.filter((doc) => matchesName(doc.resource, text)).length;
    },
    close: async () => {
      await db.close();
    },
  };
}
