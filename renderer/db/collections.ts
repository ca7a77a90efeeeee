import type { MigrationStrategies, RxCollection, RxConflictHandler, RxJsonSchema } from 'rxdb/plugins/core';
import { type MigrationKeys, noMigrations, resourceMigrations } from './migrations';
import {
  collectionNames,
  type AuditDoc,
  auditSchema,
  type ConflictDoc,
  conflictsSchema,
  type KeyDoc,
  keysSchema,
  type MetaDoc,
  metaSchema,
  type OutboxDoc,
  outboxSchema,
  resourceBoundFields,
  resourcesSchema,
} from './schemas';

/**
 * RxDB consults a collection's conflictHandler only inside its replication protocol (schema
 * migration's internal copy uses its own). Relais never runs RxDB replication: shared/sync
 * pushes and pulls FHIR itself and puts real conflicts in front of the clinician. Local writes
 * in this single-instance database are ordered by RxDB's `_rev` check, not by this handler.
 * So the handler must never run, and if it ever does (someone attached an RxDB replication), it
 * fails loudly: RxDB's default would keep the server's version and silently drop the local edit.
 */
export class RxdbConflictHandlerCalledError extends Error {
  constructor() {
    super('RxDB tried to resolve a replication conflict; Relais resolves conflicts in shared/sync only.');
    this.name = 'RxdbConflictHandlerCalledError';
  }
}

export const refuseRxdbConflictResolution: RxConflictHandler<unknown> = {
  isEqual() {
    throw new RxdbConflictHandlerCalledError();
  },
  resolve() {
    return Promise.reject(new RxdbConflictHandlerCalledError());
  },
};

export type ReplicaCollections = {
  outbox: RxCollection<OutboxDoc>;
  conflicts: RxCollection<ConflictDoc>;
  keys: RxCollection<KeyDoc>;
  meta: RxCollection<MetaDoc>;
  audit: RxCollection<AuditDoc>;
};

export type CollectionDefinition = Readonly<{
  schema: RxJsonSchema<unknown>;
  migrationStrategies: MigrationStrategies;
  conflictHandler: RxConflictHandler<unknown>;
  /** Clear fields bound into the sealed values' AAD at this schema version (sealing-storage.ts). */
  boundFields?: readonly string[];
}>;

const definition = <T>(schema: RxJsonSchema<T>, migrationStrategies: MigrationStrategies, boundFields?: readonly string[]): CollectionDefinition => ({
  schema: schema as RxJsonSchema<unknown>,
  migrationStrategies,
  conflictHandler: refuseRxdbConflictResolution,
  ...(boundFields ? { boundFields } : {}),
});

/** keys first: every other collection is sealed under keys it holds (meta, under the shared key). */
export const keyCollections = {
  [collectionNames.keys]: definition(keysSchema, noMigrations),
} as const;

export const dataCollections = {
  [collectionNames.meta]: definition(metaSchema, noMigrations),
  [collectionNames.outbox]: definition(outboxSchema, noMigrations),
  [collectionNames.conflicts]: definition(conflictsSchema, noMigrations),
  [collectionNames.audit]: definition(auditSchema, noMigrations),
} as const;

/**
 * Resources up to v2 lived in an RxDB collection; from v3 they are in the row store (row-store.ts).
 * A replica an earlier release left is opened with this definition (RxDB migrates v0 and v1 to v2,
 * naming rows with the vault's keys: so the definition is made per open), copied to the row store,
 * and removed (legacy-rows.ts).
 */
export const legacyResourceCollection = (keyRing: MigrationKeys): CollectionDefinition => definition(resourcesSchema, resourceMigrations(keyRing), resourceBoundFields);
