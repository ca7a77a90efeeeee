import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { UnlockedVault } from '../../../../shared/crypto/key-hierarchy';
import { durabilityOf, durableDexieStorage } from '../../../../renderer/db/durable-storage';
import { makeVault, observation, openTestReplica, uniqueName } from './fixtures';

let vault: UnlockedVault;
beforeAll(async () => {
  vault = await makeVault();
});

describe('durability per collection', () => {
  it('is strict for every collection, resources included (a page and its checkpoint must survive together)', () => {
    for (const name of ['resources', 'outbox', 'conflicts', 'keys', 'meta', '_rxdb_internal', 'rx-migration-state-meta-resources-0', 'anything-new']) {
      expect([name, durabilityOf(name)]).toEqual([name, 'strict']);
    }
  });

  it('passes chromeTransactionDurability to the Dexie storage each collection gets', () => {
    const storage = durableDexieStorage({ indexedDB: globalThis.indexedDB, IDBKeyRange: globalThis.IDBKeyRange });
    for (const name of ['resources', 'outbox', 'conflicts', 'keys', 'meta', 'audit']) expect(storage.settingsFor(name)).toMatchObject({ chromeTransactionDurability: 'strict', indexedDB: globalThis.indexedDB });
  });

  describe('as IndexedDB sees it', () => {
    const original = IDBDatabase.prototype.transaction;
    afterEach(() => {
      IDBDatabase.prototype.transaction = original;
    });

    it('every write transaction of a collection carries its durability', async () => {
      const seen = new Map<string, Set<string>>();
      IDBDatabase.prototype.transaction = function (this: IDBDatabase, stores, mode, options) {
        if (mode === 'readwrite') {
          // RxDB's collections are `rxdb-dexie-<name>--<version>--<collection>`; the resource rows are the row store's database.
          const collection = this.name.startsWith('relais-rows-') ? 'resources' : this.name.startsWith('relais-format-') ? 'format' : (this.name.split('--')[2] ?? this.name);
          const set = seen.get(collection) ?? new Set<string>();
          set.add(options?.durability ?? 'default');
          seen.set(collection, set);
        }
        return original.call(this, stores, mode, options);
      } as typeof original;

      const replica = await openTestReplica(uniqueName('durability'), vault);
      await replica.putServerResources([{ resource: observation('o1', 'p1', 'x'), patient: 'Patient/p1' }]);
      const entry = await replica.saveLocalEdit({ ref: 'Observation/o1', op: 'update', resource: observation('o1', 'p1', 'y'), patient: 'Patient/p1' });
      await replica.openConflict({
        id: 'c1', ref: 'Observation/o1', patient: 'Patient/p1', outboxId: entry!.id, base: entry!.base, local: entry!.resource,
        remote: observation('o1', 'p1', 'z', 'v2'), fields: [], state: 'open', createdAt: '2025-03-05T09:00:00.000Z',
      });
      await replica.writeCheckpoint('Observation', { at: '2025-03-01T10:00:00.000Z' });
      await replica.close();

      expect(Object.fromEntries([...seen].map(([c, d]) => [c, [...d]]))).toEqual({
        _rxdb_internal: ['strict'],
        keys: ['strict'],
        meta: ['strict'],
        outbox: ['strict'],
        conflicts: ['strict'],
        resources: ['strict'],
        // The replica's format mark (replica-format.ts), written once at the first open.
        format: ['strict'],
      });
    });
  });
});
