import type { DexieSettings, DexieStorageInternals, RxStorage, RxStorageInstanceCreationParams } from 'rxdb/plugins/core';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';

/**
 * IndexedDB durability per collection. Since Chromium 121 a transaction is "relaxed" by default:
 * it may be reported committed before it reaches the disk, so a power cut can lose a write the
 * app already acknowledged. RxDB's Dexie storage opens one IndexedDB database per collection,
 * so durability can be chosen per collection:
 *
 * - strict: every collection today. The outbox is the only copy of unsent local edits, conflicts
 *   hold the clinician's pending decisions, keys (a lost wrapped key makes a patient unreadable),
 *   meta (checkpoints, quarantine) and RxDB's own bookkeeping. Resources (in the row store,
 *   row-store.ts, which writes strict transactions itself; and in RxDB while an older replica's
 *   rows are moved) are strict too: a pull
 *   commits a page and then its checkpoint; were the page relaxed and the checkpoint strict, a
 *   power cut could keep the checkpoint and lose the page, and that page would never be fetched
 *   again. The spec gives no ordering across the two, so both are strict. A page is one
 *   transaction, so the cost is one flush per page, not per document (tests/bench measures it).
 * - relaxed: available for a collection whose loss is harmless; none is, today.
 *
 * Anything not named here is strict: safe by default.
 */
export type Durability = 'strict' | 'relaxed';

const relaxedCollections: ReadonlySet<string> = new Set<string>();

export const durabilityOf = (collectionName: string): Durability =>
  relaxedCollections.has(collectionName) ? 'relaxed' : 'strict';

/** IndexedDB to use: fake-indexeddb in Node tests; omitted in the page (Dexie takes the globals). */
export type IndexedDbSource = Readonly<{
  indexedDB?: DexieSettings['indexedDB'];
  IDBKeyRange?: DexieSettings['IDBKeyRange'];
}>;

export function dexieSettingsFor(durability: Durability, source: IndexedDbSource): DexieSettings {
  const settings: DexieSettings = { chromeTransactionDurability: durability };
  if (source.indexedDB) settings.indexedDB = source.indexedDB;
  if (source.IDBKeyRange) settings.IDBKeyRange = source.IDBKeyRange;
  return settings;
}

export type DurableStorage = RxStorage<DexieStorageInternals, DexieSettings> &
  Readonly<{ settingsFor(collectionName: string): DexieSettings }>;

/** One storage that hands each collection to a strict or a relaxed Dexie storage by its name. */
export function durableDexieStorage(source: IndexedDbSource): DurableStorage {
  const byDurability = {
    strict: getRxStorageDexie(dexieSettingsFor('strict', source)),
    relaxed: getRxStorageDexie(dexieSettingsFor('relaxed', source)),
  };
  return {
    name: 'relais-durable-dexie',
    rxdbVersion: byDurability.strict.rxdbVersion,
    settingsFor: (collectionName) => byDurability[durabilityOf(collectionName)].settings,
    createStorageInstance<RxDocType>(params: RxStorageInstanceCreationParams<RxDocType, DexieSettings>) {
      return byDurability[durabilityOf(params.collectionName)].createStorageInstance(params);
    },
  };
}
