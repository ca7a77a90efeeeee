import { addRxPlugin, createRxDatabase, type RxDatabase } from 'rxdb/plugins/core';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import type { RxCollection } from 'rxdb/plugins/core';
import type { WebCrypto } from '../../shared/crypto/webcrypto';
import { type CollectionDefinition, dataCollections, keyCollections, legacyResourceCollection, type ReplicaCollections } from './collections';
import { durableDexieStorage, type IndexedDbSource } from './durable-storage';
import type { KeyRing } from './key-ring';
import { collectionNames, type ResourceDoc } from './schemas';
import { sealingStorage, type UnsealedInstance } from './sealing-storage';

/**
 * The RxDB database under the replica: Dexie storage split by durability, sealed by our wrapper.
 * No dev-mode here (it injects an iframe to rxdb.info in a browser); the migration plugin only.
 */
export type CollectionName = keyof ReplicaCollections;

/** The resources collection of releases before the row store (schema up to v2), when this replica still has one. */
export type LegacyResources = Readonly<{ collection: RxCollection<ResourceDoc>; unsealed: UnsealedInstance }>;

export type ReplicaDatabase = Readonly<{
  db: RxDatabase<ReplicaCollections>;
  collections: ReplicaCollections;
  /** Each collection below the seal (sealed fields still sealed): tombstone removal. */
  unsealed: Readonly<Record<CollectionName, UnsealedInstance>>;
  /** Refs a migration found pending or conflict (to join the unsettled set, unsettled.ts). */
  migratedUnsettled: readonly string[];
  /** Rows an earlier release left in RxDB, to be moved to the row store (legacy-rows.ts); null when there are none. */
  legacyResources: LegacyResources | null;
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

const isCollectionName = (name: string): name is CollectionName => Object.hasOwn(collectionNames, name) && name !== collectionNames.resources;

/** RxDB's Dexie storage names a collection's database `rxdb-dexie-<db>--<schema version>--<collection>`: the resources ones of replica `name`. */
export async function legacyResourceDatabases(name: string, idb: Pick<IDBFactory, 'databases'>): Promise<string[]> {
  return (await idb.databases()).flatMap((info) =>
    info.name !== undefined && info.name.startsWith(`rxdb-dexie-${name}--`) && info.name.endsWith(`--${collectionNames.resources}`) ? [info.name] : [],
  );
}

export async function openReplicaDatabase(options: DatabaseOptions): Promise<ReplicaDatabase> {
  addRxPlugin(RxDBMigrationSchemaPlugin);
  const migrated: string[] = [];
  const legacy = options.definitions === undefined && (await legacyResourceDatabases(options.name, (options.indexedDB as IDBFactory | undefined) ?? indexedDB)).length > 0;
  const data: Readonly<Record<string, CollectionDefinition>> = options.definitions ?? {
    ...dataCollections,
    ...(legacy
      ? { [collectionNames.resources]: legacyResourceCollection({ rowIdOf: options.keyRing.rowIdOf, rowNameOf: options.keyRing.rowNameOf, typeKeyOf: options.keyRing.typeKeyOf, noteUnsettled: (ref) => migrated.push(ref) }) }
      : {}),
  };
  const definitions: Readonly<Record<string, CollectionDefinition>> = { ...keyCollections, ...data };
  const unsealed = new Map<string, UnsealedInstance>();
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
      if (definitions[collectionName]?.schema.version === version) unsealed.set(collectionName, inner);
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
      Object.values(collectionNames).filter(isCollectionName).map((name) => {
        const instance = unsealed.get(name);
        if (!instance) throw new Error(`no storage instance for ${name}`);
        return [name, instance];
      }),
    ) as Record<CollectionName, UnsealedInstance>;
    const collections: ReplicaCollections = { outbox: db.outbox, conflicts: db.conflicts, keys: db.keys, meta: db.meta, audit: db.audit };
    const legacyCollection = (db.collections as Record<string, RxCollection | undefined>)[collectionNames.resources];
    const legacyUnsealed = unsealed.get(collectionNames.resources);
    const legacyResources = legacyCollection && legacyUnsealed ? { collection: legacyCollection as unknown as RxCollection<ResourceDoc>, unsealed: legacyUnsealed } : null;
    return { db, collections, unsealed: instances, migratedUnsettled: migrated, legacyResources };
  } catch (error: unknown) {
    await db.close();
    throw error;
  }
}
