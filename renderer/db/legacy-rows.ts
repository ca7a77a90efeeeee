import { bodyOfResource } from './bodies';
import type { ReplicaContext } from './context';
import { legacyResourceDatabases, type LegacyResources } from './database';
import { deleteDatabase } from './idb';
import { sealRows } from './resource-docs';

/**
 * Resources v2 → v3: the rows an earlier release kept in RxDB's resources collection move to the
 * row store (row-store.ts), sealed again as bytes under the same patient keys, keeping their ids
 * and sealed names. Runs at open, before anything else reads or writes a row.
 *
 * Nothing is lost if it stops half-way (a crash, a full disk): the old rows are only removed once
 * every one of them is in the row store, and copying again writes the same content, so the next
 * open simply starts over. A row whose body did not open is not copied: the sealing wrapper has
 * already told the integrity log, which quarantines it by its sealed name (the engine fetches it
 * again) or counts it as damaged.
 */
const pageSize = 1_000;

export async function moveLegacyRows(
  ctx: ReplicaContext,
  legacy: LegacyResources,
  name: string,
  idb: Pick<IDBFactory, 'databases' | 'deleteDatabase'>,
): Promise<number> {
  let moved = 0;
  let after = '';
  for (;;) {
    const docs = await legacy.collection.find({ selector: { id: { $gt: after } }, sort: [{ id: 'asc' }], limit: pageSize }).exec();
    if (docs.length === 0) break;
    const rows = docs.flatMap((doc) => {
      const { id, name: sealedName, typeKey, patientKey, body } = doc.toJSON();
      const opened = bodyOfResource(body);
      return opened === null ? [] : [{ id, name: sealedName, typeKey, patientKey, body: opened }];
    });
    await ctx.rows.put(await sealRows(ctx, rows));
    moved += rows.length;
    after = docs.at(-1)?.id ?? after;
  }
  // A row that did not open was not copied: its quarantine (which names it for the engine to fetch
  // again) must be on disk before the old rows go, or a crash now would forget it for good. A
  // failure here stops the open, and the next one copies again.
  await ctx.integrity.quarantined();
  await ctx.queue.run(ctx.integrity.persist);
  await legacy.collection.remove();
  // RxDB's Dexie storage empties a removed collection's database but leaves it: delete it, so the next open finds no old rows.
  for (const dbName of await legacyResourceDatabases(name, idb)) await deleteDatabase(idb, dbName);
  return moved;
}
