import { addRxPlugin, createRxDatabase, type RxDatabase } from 'rxdb/plugins/core';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import type { WebCrypto } from '../../shared/crypto/webcrypto';
import { type CollectionDefinition, dataCollections, keyCollections, type ReplicaCollections } from './collections';
import { durableDexieStorage, type IndexedDbSource } from './durable-storage';
import type { KeyRing } from './key-ring';
import { collectionNames } from './schemas';
import { sealingStorage, type UnsealedInstance } from './sealing-storage';

/**
 * The RxDB database under the replica: Dexie storage split by durability, sealed by our wrapper.
 * No dev-mode here (it injects an iframe to rxdb.info in a browser); the migration plugin only.
 */
export type CollectionName = keyof ReplicaCollections;

export type ReplicaDatabase = Readonly<{
  db: RxDatabase<ReplicaCollections>;
  collections: ReplicaCollections;
  /** Each collection below the seal (sealed fields still sealed): tombstone removal. */
  unsealed: Readonly<Record<CollectionName, UnsealedInstance>>;
  /** Refs a migration found pending or conflict (to join the unsettled set, unsettled.ts). */
  migratedUnsettled: readonly string[];
}>;

export type DatabaseOptions = IndexedDbSource &
  Readonly<{
    name: string;
    crypto: WebCrypto;
    keyRing: KeyRing;
    onUnreadable: (collectionName: string, docId: string) => void;
    /** Tests put an older schema here to build a database as an earlier release left it. */
    definitions?: Readonly<Record<string, CollectionDefinition>>;
  }>;

const isCollectionName = (name: string): name is CollectionName => Object.hasOwn(collectionNames, name);

export async function openReplicaDatabase(options: DatabaseOptions): Promise<ReplicaDatabase> {
  addRxPlugin(RxDBMigrationSchemaPlugin);
  const migrated: string[] = [];
  const data = options.definitions ?? dataCollections({ rowIdOf: options.keyRing.rowIdOf, rowNameOf: options.keyRing.rowNameOf, typeKeyOf: options.keyRing.typeKeyOf, noteUnsettled: (ref) => migrated.push(ref) });
  const definitions: Readonly<Record<string, CollectionDefinition>> = { ...keyCollections, ...data };
  const unsealed = new Map<CollectionName, UnsealedInstance>();
  const storage = sealingStorage({
    storage: durableDexieStorage(options),
    crypto: options.crypto,
    keys: { keyFor: options.keyRing.keyFor, onUnreadable: options.onUnreadable },
    boundFields: (collectionName, version) => {
      const bound = definitions[collectionName];
      return bound?.schema.version === version ? (bound.boundFields ?? []) : [];
    },
    onInstance(collectionName, version, inner) {
      // A migration also opens the old version's storage: keep the current one.
      if (isCollectionName(collectionName) && definitions[collectionName]?.schema.version === version) unsealed.set(collectionName, inner);
    },
  });
  const db = await createRxDatabase<ReplicaCollections>({
    name: options.name,
    storage,
    // One window, one instance (Electron's single-instance lock): no cross-tab channel.
    multiInstance: false,
    eventReduce: true,
  });
  try {
    const { keys } = await db.addCollections(keyCollections);
    await options.keyRing.attach(keys);
    await db.addCollections(
      Object.fromEntries(Object.entries(data).map(([name, { schema, migrationStrategies, conflictHandler }]) => [name, { schema, migrationStrategies, conflictHandler }])),
    );
    const instances = Object.fromEntries(
      Object.values(collectionNames).map((name) => {
        const instance = unsealed.get(name);
        if (!instance) throw new Error(`no storage instance for ${name}`);
        return [name, instance];
      }),
    ) as Record<CollectionName, UnsealedInstance>;
    const collections: ReplicaCollections = { resources: db.resources, outbox: db.outbox, conflicts: db.conflicts, keys: db.keys, meta: db.meta, audit: db.audit };
    return { db, collections, unsealed: instances, migratedUnsettled: migrated };
  } catch (error: unknown) {
    await db.close();
    throw error;
  }
}
