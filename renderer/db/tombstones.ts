import type { DexieStorageInternals } from 'rxdb/plugins/core';
import type { UnsealedInstance } from './sealing-storage';

/**
 * RxDB never deletes a row: remove() leaves a tombstone (`_deleted`) carrying the document's
 * last data, until its cleanup plugin sweeps old tombstones — by scanning every row's write
 * time, which at 500k resources costs a full table read per sweep. A purge or a removal must
 * not leave the removed data behind, so the rows just tombstoned are deleted by id, in one
 * transaction, exactly as the Dexie storage's own cleanup() deletes them (where `_deleted` is
 * stored as '1': IndexedDB cannot index booleans).
 */
export async function dropTombstones(instance: UnsealedInstance, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const state = await (instance.internals as DexieStorageInternals);
  await state.dexieDb.transaction('rw', state.dexieTable, async () => {
    const rows: unknown[] = await state.dexieTable.bulkGet([...ids]);
    const dead = ids.filter((_, i) => (rows[i] as { _deleted?: unknown } | undefined)?._deleted === '1');
    await state.dexieTable.bulkDelete(dead);
  });
}
