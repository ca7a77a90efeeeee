import type { FhirResource } from '../../shared/fhir/resource';
import type { SyncState } from '../../shared/sync/ports';
import { fromUtf8, utf8 } from '../../shared/crypto/bytes';
import { IntegrityError, MissingKeyError } from '../../shared/crypto/errors';
import { openValueBytes, sealValueBytes, type ValueContext } from '../../shared/crypto/sealed-value';
import type { Bytes, KeyHandle } from '../../shared/crypto/webcrypto';
import { bodyOfResource, compactResourceBody } from './bodies';
import type { ReplicaContext } from './context';
import type { StoredRow } from './row-store';
import { typeOfRef } from './revisions';
import { collectionNames, type ResourceBody } from './schemas';

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

let writes = 0;
/** A fresh stamp per write call: rows written together share it (their ids differ, and the id is bound too). */
const newStamp = (): string => `${Date.now().toString(36)}.${(writes += 1).toString(36)}`;

/**
 * The AAD of a row's body: the store and its version, the row id, and every clear field (altered,
 * moved from another row, or from an older write of this row, the body no longer opens).
 */
export function rowContext(row: Pick<StoredRow, 'id' | 'name' | 'typeKey' | 'patientKey' | 'stamp'>): ValueContext {
  return { docId: `${collectionNames.resources}@3:${row.id}#${JSON.stringify([row.name, row.typeKey, row.patientKey])}`, field: 'body', version: row.stamp };
}

async function sealRow(ctx: Pick<ReplicaContext, 'crypto' | 'keyRing'>, row: Omit<StoredRow, 'body'>, body: ResourceBody): Promise<StoredRow> {
  const key = await ctx.keyRing.keyFor(collectionNames.resources, { patientKey: row.patientKey });
  if (key === null) throw new MissingKeyError();
  return sealRowWith(ctx, key, row, body);
}

async function sealRowWith(ctx: Pick<ReplicaContext, 'crypto'>, key: KeyHandle, row: Omit<StoredRow, 'body'>, body: ResourceBody): Promise<StoredRow> {
  return { ...row, body: await sealValueBytes(ctx.crypto, key, utf8(JSON.stringify(compactResourceBody(body))), rowContext(row)) };
}

/** Rows sealed for the row store, all under one fresh stamp. */
export function sealRows(
  ctx: Pick<ReplicaContext, 'crypto' | 'keyRing'>,
  rows: readonly Readonly<{ id: string; name: string; typeKey: string; patientKey: string; body: ResourceBody }>[],
): Promise<StoredRow[]> {
  const stamp = newStamp();
  return Promise.all(rows.map(({ body, ...row }) => sealRow(ctx, { ...row, stamp }, body)));
}

/** A stored row's body, or null when it does not open (a flipped bit, a body moved from another row or write, a shredded key) or is not a body. */
async function openBody(ctx: Pick<ReplicaContext, 'crypto' | 'keyRing'>, stored: StoredRow): Promise<ResourceBody | null> {
  const key = await ctx.keyRing.keyFor(collectionNames.resources, stored);
  if (key === null) return null;
  try {
    return bodyOfResource(JSON.parse(fromUtf8(await openValueBytes(ctx.crypto, key, stored.body as Bytes, rowContext(stored)))) as unknown);
  } catch (error: unknown) {
    if (error instanceof IntegrityError || error instanceof SyntaxError) return null;
    throw error;
  }
}

/** A row as read; its ref comes from the body, or, when the body did not open, from its sealed name (null if that does not open either). */
async function rowOf(ctx: Pick<ReplicaContext, 'crypto' | 'keyRing' | 'integrity'>, stored: StoredRow): Promise<ResourceRow | null> {
  const body = await openBody(ctx, stored);
  // The integrity log names the row by its sealed name and quarantines it (or counts it as damaged when the name fails too).
  if (body === null) ctx.integrity.onUnreadable(collectionNames.resources, stored.id);
  const ref = body?.ref ?? (await ctx.keyRing.refOfRow(stored.id, stored.name));
  if (ref === null) return null;
  return { id: stored.id, name: stored.name, ref, typeKey: stored.typeKey, patientKey: stored.patientKey, body };
}

/** Rows as read, in ref order; a row whose body and name both fail names nothing and is left out (counted as damaged). */
export async function rowsOf(ctx: Pick<ReplicaContext, 'crypto' | 'keyRing' | 'integrity'>, stored: readonly StoredRow[]): Promise<ResourceRow[]> {
  const rows = (await Promise.all(stored.map((row) => rowOf(ctx, row)))).filter((row): row is ResourceRow => row !== null);
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


export async function readRows(ctx: ReplicaContext, refs: readonly string[], options: Readonly<{ knownOnly?: boolean }> = {}): Promise<Map<string, ResourceRow>> {
  const ids = await Promise.all(refs.map((ref) => ctx.keyRing.rowIdOf(ref)));
  // knownOnly: ask which ids have a row first (keys only); a first sync's page has none, and reads no value.
  const wanted = options.knownOnly === true ? [...(await ctx.rows.existing(await Promise.all(ids.map(async (id, i) => ({ id, typeKey: await ctx.keyRing.typeKeyOf(typeOfRef(refs[i] as string)) })))))] : ids;
  const stored = wanted.length === 0 ? new Map<string, StoredRow>() : await ctx.rows.get(wanted);
  const opened = await Promise.all(ids.map(async (id) => {
    const row = stored.get(id);
    return row === undefined ? undefined : { row, body: await openBody(ctx, row) };
  }));
  const rows = new Map<string, ResourceRow>();
  const damaged: string[] = [];
  for (const [i, ref] of refs.entries()) {
    const found = opened[i];
    if (found === undefined) continue;
    const { row } = found;
    // The id is the ref's: a body naming another ref was not written for this row.
    const body = found.body?.ref === ref ? found.body : null;
    // Read by its ref, a row that does not open is named even if its sealed name was damaged too.
    if (body === null) damaged.push(ref);
    rows.set(ref, { id: row.id, name: row.name, ref, typeKey: row.typeKey, patientKey: row.patientKey, body });
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

/** A row sealed ahead of its write, with what it was sealed from and under. */
export type PreparedRow = Readonly<{ row: StoredRow; key: KeyHandle; body: ResourceBody }>;

type NamedRow = Readonly<{ id: string; name: string; typeKey: string; patientKey: string; body: ResourceBody }>;

async function nameRow(ctx: Pick<ReplicaContext, 'keyRing'>, input: RowInput): Promise<NamedRow> {
  const id = await ctx.keyRing.rowIdOf(input.ref);
  const { ref, resource, patient, versionId, lastUpdated, syncState } = input;
  const [name, typeKey, patientKey] = await Promise.all([ctx.keyRing.rowNameOf(id, ref), ctx.keyRing.typeKeyOf(resource.resourceType), ctx.keyRing.patientKeyOf(patient)]);
  return { id, name, typeKey, patientKey, body: { ref, resource, patient, versionId, lastUpdated, syncState } };
}

/**
 * Seals rows ahead of their write, off the write queue (a pull seals its next page while this one
 * is on disk): nothing is written here, and a row whose patient key is not stored yet is left to
 * the write. Kept by resource object, so only a write of that very object can use it.
 */
export function prepareRows(ctx: ReplicaContext, inputs: readonly RowInput[]): void {
  const stamp = newStamp();
  for (const input of inputs) {
    if (ctx.prepared.has(input.resource)) continue;
    const prepared = (async (): Promise<PreparedRow | null> => {
      const { body, ...row } = await nameRow(ctx, input);
      const key = ctx.keyRing.storedKeyOf(row.patientKey);
      if (key === null) return null;
      return { row: await sealRowWith(ctx, key, { ...row, stamp }, body), key, body };
    })().catch(() => null);
    ctx.prepared.set(input.resource, prepared);
  }
}

const sameBody = (a: ResourceBody, b: ResourceBody): boolean =>
  a.ref === b.ref && a.resource === b.resource && a.patient === b.patient && a.versionId === b.versionId && a.lastUpdated === b.lastUpdated && a.syncState === b.syncState;

/**
 * The row prepared for this input, if it is exactly what would be sealed now: the same body (same
 * resource object, patient, server stamp and state) under the key the patient has now (a key
 * shredded or replaced since does not seal it). Taken once: a later write of the object seals again.
 */
async function preparedFor(ctx: ReplicaContext, input: RowInput): Promise<StoredRow | null> {
  const pending = ctx.prepared.get(input.resource);
  if (pending === undefined) return null;
  ctx.prepared.delete(input.resource);
  const prepared = await pending;
  if (prepared === null) return null;
  const { ref, resource, patient, versionId, lastUpdated, syncState } = input;
  if (!sameBody(prepared.body, { ref, resource, patient, versionId, lastUpdated, syncState })) return null;
  if (ctx.keyRing.storedKeyOf(prepared.row.patientKey) !== prepared.key) return null;
  return prepared.row;
}

/** Writes rows (keys must exist) and keeps the search index, the unsettled set and the quarantine current. */
export async function writeRows(ctx: ReplicaContext, inputs: readonly RowInput[]): Promise<void> {
  if (inputs.length === 0) return;
  // Before any row says pending or conflict, its ref is in the sealed unsettled set (recovery.ts).
  await ctx.unsettled.add(inputs.filter((i) => i.syncState !== 'synced').map((i) => i.ref));
  const ready = await Promise.all(inputs.map((input) => preparedFor(ctx, input)));
  const sealed = await sealRows(ctx, await Promise.all(inputs.filter((_, i) => ready[i] === null).map((input) => nameRow(ctx, input))));
  // In the order given: of two writes of one row in a call, the later one stays.
  let next = 0;
  await ctx.rows.put(ready.map((row) => row ?? (sealed[next++] as StoredRow)));
  ctx.revision.changed(new Set(inputs.map((input) => input.resource.resourceType)));
  for (const input of inputs) {
    if (input.resource.resourceType === 'Patient') ctx.search.put(input.ref, input.resource);
  }
  ctx.integrity.release(inputs.map((i) => i.ref));
}

/** Removes rows: deleted outright, nothing of them is left in IndexedDB but free pages. */
export async function removeRows(ctx: ReplicaContext, refs: readonly string[]): Promise<void> {
  await removeRowIds(ctx, await Promise.all(refs.map((ref) => ctx.keyRing.rowIdOf(ref))), refs);
}

/** Removes rows by id (a purge removes even a row that no longer opens at all); `refs` are those the ids name. */
export async function removeRowIds(ctx: ReplicaContext, ids: readonly string[], refs: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await ctx.rows.remove(ids);
  // A row whose name did not open is of no known type.
  ctx.revision.changed(refs.length === ids.length ? new Set(refs.map(typeOfRef)) : 'all');
  for (const ref of refs) ctx.search.remove(ref);
  ctx.integrity.release(refs);
}

/** Changes a row's sync state (and, optionally, the server version it stands on); keeps its resource. */
export async function setSyncState(ctx: ReplicaContext, row: ResourceRow, syncState: SyncState, stamp?: Readonly<{ versionId: string; lastUpdated: string }>): Promise<void> {
  if (row.body === null) return;
  if (syncState !== 'synced') await ctx.unsettled.add([row.ref]);
  const body = { ...row.body, syncState, versionId: stamp?.versionId ?? row.body.versionId, lastUpdated: stamp?.lastUpdated ?? row.body.lastUpdated };
  await ctx.rows.put(await sealRows(ctx, [{ id: row.id, name: row.name, typeKey: row.typeKey, patientKey: row.patientKey, body }]));
  ctx.revision.changed([typeOfRef(row.ref)]);
}
