import type { FhirResource } from '../../shared/fhir/resource';
import type { SyncState } from '../../shared/sync/ports';
import { bodyOfResource } from './bodies';
import type { ReplicaContext } from './context';
import { throwIfWriteErrors } from './errors';
import type { ResourceBody, ResourceDoc } from './schemas';
import { dropTombstones } from './tombstones';

/** One stored resource as the app sees it. */
export type ReplicaEntry = Readonly<{
  ref: string;
  resourceType: string;
  syncState: SyncState;
  /** null: the stored value failed its integrity check; it is quarantined and fetched again at the next sync. */
  resource: FhirResource | null;
}>;

/** One stored row, opened: its ref (from the body, or from its sealed name when the body did not open). */
export type ResourceRow = Readonly<{
  id: string;
  name: string;
  ref: string;
  typeKey: string;
  patientKey: string;
  body: ResourceBody | null;
}>;

type StoredFields = Readonly<{ id: string; name: string; typeKey: string; patientKey: string; body: unknown }>;
/**
 * A row as RxDB returns it. Its fields are read through `toJSON()`: an RxDocument's nested fields
 * are proxies (RxDB's reactive getters), which structured clone refuses, so a resource read
 * through them could not be posted from the data worker to the page.
 */
type StoredDoc = Readonly<{ toJSON(): StoredFields }>;

/** A row as read; its ref comes from the body, or, when the body did not open, from its sealed name (null if that does not open either). */
export async function rowOf(ctx: Pick<ReplicaContext, 'keyRing'>, doc: StoredFields): Promise<ResourceRow | null> {
  const body = bodyOfResource(doc.body);
  const ref = body?.ref ?? (await ctx.keyRing.refOfRow(doc.id, doc.name));
  if (ref === null) return null;
  return { id: doc.id, name: doc.name, ref, typeKey: doc.typeKey, patientKey: doc.patientKey, body };
}

/** Rows as read, in ref order; a row whose body and name both fail names nothing and is left out (counted as damaged). */
export async function rowsOf(ctx: Pick<ReplicaContext, 'keyRing'>, docs: readonly StoredDoc[]): Promise<ResourceRow[]> {
  const rows = (await Promise.all(docs.map((doc) => rowOf(ctx, doc.toJSON())))).filter((row): row is ResourceRow => row !== null);
  return rows.sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
}

/**
 * The sync state the app sees. The outbox has the last word (an entry waiting means pending, or
 * conflict once parked); the row's own state matters only to recovery.ts.
 */
export const entryOf = (ctx: Pick<ReplicaContext, 'outbox'>, row: ResourceRow): ReplicaEntry => {
  const entry = ctx.outbox.forRef(row.ref);
  return {
    ref: row.ref,
    resourceType: row.body?.resource.resourceType ?? row.ref.slice(0, row.ref.indexOf('/')),
    syncState: entry ? (entry.state === 'ready' ? 'pending' : 'conflict') : (row.body?.syncState ?? 'synced'),
    resource: row.body?.resource ?? null,
  };
};

/** The server's version and time a row stands on, as sealed in its body ('' when the HIE has not seen it). */
export function serverStampOf(resource: FhirResource | null): { versionId: string; lastUpdated: string } {
  const versionId = resource?.meta?.['versionId'];
  const lastUpdated = resource?.meta?.['lastUpdated'];
  return {
    versionId: typeof versionId === 'string' ? versionId : '',
    lastUpdated: typeof lastUpdated === 'string' ? lastUpdated : '',
  };
}

export async function readRows(ctx: ReplicaContext, refs: readonly string[]): Promise<Map<string, ResourceRow>> {
  const ids = await Promise.all(refs.map((ref) => ctx.keyRing.rowIdOf(ref)));
  const docs = await ctx.collections.resources.findByIds(ids).exec();
  const rows = new Map<string, ResourceRow>();
  const damaged: string[] = [];
  for (const [i, ref] of refs.entries()) {
    const doc = docs.get(ids[i]!)?.toJSON();
    if (!doc) continue;
    const opened = bodyOfResource(doc.body);
    // The id is the ref's: a body naming another ref was not written for this row.
    const body = opened?.ref === ref ? opened : null;
    // Read by its ref, a row that does not open is named even if its sealed name was damaged too.
    if (body === null) damaged.push(ref);
    rows.set(ref, { id: doc.id, name: doc.name, ref, typeKey: doc.typeKey, patientKey: doc.patientKey, body });
  }
  if (damaged.length > 0) ctx.integrity.quarantine(damaged);
  return rows;
}

export async function readRow(ctx: ReplicaContext, ref: string): Promise<ResourceRow | null> {
  return (await readRows(ctx, [ref])).get(ref) ?? null;
}

export type RowInput = Readonly<{
  ref: string;
  resource: FhirResource;
  patient: string | null;
  syncState: SyncState;
  /** The server version this row stands on (for a pending edit: its base). */
  versionId: string;
  lastUpdated: string;
}>;

/** Writes rows (keys must exist) and keeps the search index, the unsettled set and the quarantine current. */
export async function writeRows(ctx: ReplicaContext, inputs: readonly RowInput[]): Promise<void> {
  if (inputs.length === 0) return;
  // Before any row says pending or conflict, its ref is in the sealed unsettled set (recovery.ts).
  await ctx.unsettled.add(inputs.filter((i) => i.syncState !== 'synced').map((i) => i.ref));
  const docs: ResourceDoc[] = await Promise.all(
    inputs.map(async (input) => {
      const id = await ctx.keyRing.rowIdOf(input.ref);
      const { ref, resource, patient, versionId, lastUpdated, syncState } = input;
      return {
        id,
        name: await ctx.keyRing.rowNameOf(id, ref),
        typeKey: await ctx.keyRing.typeKeyOf(resource.resourceType),
        patientKey: await ctx.keyRing.patientKeyOf(patient),
        body: { ref, resource, patient, versionId, lastUpdated, syncState },
      };
    }),
  );
  throwIfWriteErrors('resource write', await ctx.collections.resources.bulkUpsert(docs));
  for (const input of inputs) {
    if (input.resource.resourceType === 'Patient') ctx.search.put(input.ref, input.resource);
  }
  ctx.integrity.release(inputs.map((i) => i.ref));
}

/** Removes rows (and their tombstones): nothing of them is left in IndexedDB but free pages. */
export async function removeRows(ctx: ReplicaContext, refs: readonly string[]): Promise<void> {
  await removeRowIds(ctx, await Promise.all(refs.map((ref) => ctx.keyRing.rowIdOf(ref))), refs);
}

/** Removes rows by id (a purge removes even a row that no longer opens at all); `refs` are those the ids name. */
export async function removeRowIds(ctx: ReplicaContext, ids: readonly string[], refs: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  throwIfWriteErrors('resource removal', await ctx.collections.resources.bulkRemove([...ids]));
  await dropTombstones(ctx.unsealed.resources, ids);
  for (const ref of refs) ctx.search.remove(ref);
  ctx.integrity.release(refs);
}

/** Changes a row's sync state (and, optionally, the server version it stands on); keeps its resource. */
export async function setSyncState(ctx: ReplicaContext, row: ResourceRow, syncState: SyncState, stamp?: Readonly<{ versionId: string; lastUpdated: string }>): Promise<void> {
  if (row.body === null) return;
  if (syncState !== 'synced') await ctx.unsettled.add([row.ref]);
  await ctx.collections.resources.upsert({
    id: row.id,
    name: row.name,
    typeKey: row.typeKey,
    patientKey: row.patientKey,
    body: { ...row.body, syncState, versionId: stamp?.versionId ?? row.body.versionId, lastUpdated: stamp?.lastUpdated ?? row.body.lastUpdated },
  });
}
