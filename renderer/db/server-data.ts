import { referenceOf } from '../../shared/fhir/resource';
import type { ServerRow, StoredMeta } from '../../shared/sync/ports';
import type { ReplicaContext } from './context';
import { prepareRows, readRows, removeRows, serverStampOf, writeRows, type RowInput } from './resource-docs';

/**
 * What the engine writes from the HIE (runs in the data worker). A page is one row-store put
 * transaction (resource-docs.ts seals its rows, or uses those sealed ahead); patient keys are
 * created first, in one bulk write of their own (strict), so no row is ever sealed under a key that
 * is not stored.
 *
 * A ref with a local edit waiting (outbox) is never overwritten or removed here, whatever the
 * engine sends: no acknowledged local edit is lost (the engine meets it as a conflict on push).
 */
/** Server rows as row inputs, one per ref (the last wins), leaving out every ref a local edit waits on. */
function serverInputs(ctx: ReplicaContext, rows: readonly ServerRow[]): RowInput[] {
  const byRef = new Map<string, ServerRow>();
  for (const row of rows) {
    const ref = referenceOf(row.resource);
    if (!ctx.outbox.forRef(ref)) byRef.set(ref, row);
  }
  return [...byRef].map(([ref, row]) => ({ ref, resource: row.resource, patient: row.patient, syncState: 'synced' as const, ...serverStampOf(row.resource) }));
}

export function putServerResources(ctx: ReplicaContext, rows: readonly ServerRow[]): Promise<void> {
  return ctx.queue.run(async () => {
    const inputs = serverInputs(ctx, rows);
    if (inputs.length === 0) return;
    await ctx.keyRing.ensureKeys(inputs.map((input) => input.patient));
    await writeRows(ctx, inputs);
    await ctx.changes.note(inputs);
  });
}

/** Seals server rows ahead of their write (see ReplicaStore.prepareServerResources): a hint, never a write; the write checks the outbox again. */
export function prepareServerResources(ctx: ReplicaContext, rows: readonly ServerRow[]): void {
  prepareRows(ctx, serverInputs(ctx, rows));
}

export function removeResources(ctx: ReplicaContext, refs: readonly string[]): Promise<void> {
  return ctx.queue.run(() => removeRows(ctx, refs.filter((ref) => !ctx.outbox.forRef(ref))));
}

/**
 * The stored server version and time of each ref, from the sealed bodies (nothing of them is in
 * clear: an edited time could otherwise freeze a row against every later HIE update). A first
 * sync finds no rows and decrypts nothing. The outbox has the last word on pending state (a
 * locally deleted resource has no row but is still pending).
 */
export async function metaOf(ctx: ReplicaContext, refs: readonly string[]): Promise<ReadonlyMap<string, StoredMeta>> {
  const found = new Map<string, StoredMeta>();
  for (const [ref, row] of await readRows(ctx, refs, { knownOnly: true })) {
    // A body that did not open is quarantined (integrity-log.ts) and fetched again: no stamp to compare.
    if (row.body === null) continue;
    const { versionId, lastUpdated, syncState } = row.body;
    found.set(ref, { ref, versionId: versionId || null, lastUpdated: lastUpdated || null, syncState });
  }
  for (const ref of refs) {
    const entry = ctx.outbox.forRef(ref);
    if (!entry) continue;
    const syncState = entry.state === 'ready' ? 'pending' : 'conflict';
    const stored = found.get(ref);
    found.set(ref, {
      ref,
      versionId: stored ? stored.versionId : entry.baseVersionId,
      lastUpdated: stored ? stored.lastUpdated : serverStampOf(entry.base).lastUpdated || null,
      syncState,
    });
  }
  return found;
}
