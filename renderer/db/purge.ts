import type { ReplicaContext } from './context';
import { throwIfWriteErrors } from './errors';
import { removeRowIds, rowsOf } from './resource-docs';
import { dropTombstones } from './tombstones';

/**
 * A patient leaves the clinician's scope (or the device is wiped): every document of theirs, their
 * outbox entries and conflicts go, then their data key is destroyed (crypto-shred), so whatever
 * IndexedDB still holds of them on disk (freed pages, a copy taken earlier) no longer opens.
 * Data first, key last: if the purge is interrupted, the patient is still listed (it has a key)
 * and the engine's next scope check purges it again.
 */
export function purgePatient(ctx: ReplicaContext, patient: string): Promise<void> {
  return ctx.queue.run(async () => {
    const patientKey = await ctx.keyRing.patientKeyOf(patient);
    const ofPatient = { selector: { patientKey } };

    const conflicts = (await ctx.collections.conflicts.find(ofPatient).exec()).map((d) => d.id);
    throwIfWriteErrors('conflict purge', await ctx.collections.conflicts.bulkRemove(conflicts));
    await dropTombstones(ctx.unsealed.conflicts, conflicts);

    // By the stored key, not the in-memory mirror: an entry that no longer opens goes too.
    await ctx.outbox.remove((await ctx.collections.outbox.find(ofPatient).exec()).map((d) => d.id));

    const rows = await ctx.rows.byPatientKey(patientKey);
    await removeRowIds(ctx, rows.map((r) => r.id), (await rowsOf(ctx, rows)).map((row) => row.ref));

    await ctx.changes.forget(patient);
    await ctx.keyRing.shred(patient);
    await dropTombstones(ctx.unsealed.keys, [patientKey]);
  });
}
