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

export type ResourceRow = Readonly<Omit<ResourceDoc, 'body'> & { body: ResourceBody | null }>;

type StoredFields = Readonly<{
  ref: string;
  type: string;
  patientKey: string;
  versionId: string;
  lastUpdated: string;
  syncState: SyncState;
  body: unknown;
}>;

export const rowOf = (doc: StoredFields): ResourceRow => ({
  ref: doc.ref,
  type: doc.type,
  patientKey: doc.patientKey,
  versionId: doc.versionId,
  lastUpdated: doc.lastUpdated,
  syncState: doc.syncState,
  body: bodyOfResource(doc.body),
});

export const entryOf = (row: ResourceRow): ReplicaEntry => ({
  ref: row.ref,
  resourceType: row.type,
  syncState: row.syncState,
  resource: row.body?.resource ?? null,
});

/** The server's version and time as stored in plaintext ('' when the HIE has not seen it). */
export function serverStampOf(resource: FhirResource | null): { versionId: string; lastUpdated: string } {
  const versionId = resource?.meta?.['versionId'];
  const lastUpdated = resource?.meta?.['lastUpdated'];
  return {
    versionId: typeof versionId === 'string' ? versionId : '',
    lastUpdated: typeof lastUpdated === 'string' ? lastUpdated : '',
  };
}

export async function readRows(ctx: ReplicaContext, refs: readonly string[]): Promise<Map<string, ResourceRow>> {
  const docs = await ctx.collections.resources.findByIds([...refs]).exec();
  const rows = new Map<string, ResourceRow>();
  for (const [ref, doc] of docs) rows.set(ref, rowOf(doc));
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

/** Writes rows (keys must exist) and keeps the search index and the quarantine current. */
export async function writeRows(ctx: ReplicaContext, inputs: readonly RowInput[]): Promise<void> {
  if (inputs.length === 0) return;
  const docs: ResourceDoc[] = [];
  for (const input of inputs) {
    docs.push({
      ref: input.ref,
      type: input.resource.resourceType,
      patientKey: await ctx.keyRing.patientKeyOf(input.patient),
      versionId: input.versionId,
      lastUpdated: input.lastUpdated,
      syncState: input.syncState,
      body: { resource: input.resource, patient: input.patient },
    });
  }
  throwIfWriteErrors('resource write', await ctx.collections.resources.bulkUpsert(docs));
  for (const input of inputs) {
    if (input.resource.resourceType === 'Patient') ctx.search.put(input.ref, input.resource);
  }
  ctx.integrity.release(inputs.map((i) => i.ref));
}

/** Removes rows (and their tombstones): nothing of them is left in IndexedDB but free pages. */
export async function removeRows(ctx: ReplicaContext, refs: readonly string[]): Promise<void> {
  if (refs.length === 0) return;
  throwIfWriteErrors('resource removal', await ctx.collections.resources.bulkRemove([...refs]));
  await dropTombstones(ctx.unsealed.resources, refs);
  for (const ref of refs) ctx.search.remove(ref);
  ctx.integrity.release(refs);
}

/** Changes a row's sync state (and, optionally, the server version it stands on); keeps its body. */
export async function setSyncState(ctx: ReplicaContext, row: ResourceRow, syncState: SyncState, stamp?: Readonly<{ versionId: string; lastUpdated: string }>): Promise<void> {
  await ctx.collections.resources.upsert({
    ref: row.ref,
    type: row.type,
    patientKey: row.patientKey,
    versionId: stamp?.versionId ?? row.versionId,
    lastUpdated: stamp?.lastUpdated ?? row.lastUpdated,
    syncState,
    body: row.body,
  });
}
