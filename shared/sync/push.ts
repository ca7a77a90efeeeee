import { patientOf } from '../fhir/compartment';
import { referenceOf, syncedResourceSchema, type FhirResource, type SyncedResource } from '../fhir/resource';
import { parseBundle } from './bundle';
import { SyncStop, stopForStatus } from '../hie/errors';
import { differingFields, sameValue, threeWayMerge } from './merge';
import type { ConflictRecord, OutboxEntry, ReplicaStore } from './ports';
import type { FhirTransport } from '../hie/transport';
import { exchange } from '../hie/exchange';

/**
 * Sends the outbox to the HIE. Updates are `PUT` with `If-Match` on the version the edit was made
 * on; creates are `PUT` to the client-generated id, so a retry after a lost answer updates the
 * same resource instead of creating a second one; edits sharing a group go in one transaction
 * Bundle. A 412 fetches the server's version and merges (merge.ts): a safe merge is sent again, a
 * clash becomes a conflict record with both versions kept. No edit leaves the outbox until the
 * HIE has acknowledged it.
 */
export type PushCounts = { sent: number; merged: number; conflicts: number; refused: number; transactions: number };

export type PushDeps = Readonly<{
  transport: FhirTransport;
  store: ReplicaStore;
  newId: () => string;
  now: () => string;
  /** The HIE's FHIR base, for absolute references in its replies. */
  fhirBase?: string;
}>;

const etag = (versionId: string): string => `W/"${versionId}"`;

/** The body we send: the clinician's resource without server-owned metadata. */
function outgoing(entry: OutboxEntry): FhirResource {
  const { meta: _meta, ...rest } = entry.resource;
  const [type, id] = entry.ref.split('/');
  return { ...rest, resourceType: type as string, id };
}

function parseServerResource(body: unknown): SyncedResource | null {
  const parsed = syncedResourceSchema.safeParse(body);
  return parsed.success ? parsed.data : null;
}

/**
 * The HIE's reply is what gets stored under the entry's reference, with the entry's patient key:
 * it must be that resource (type and id) of that patient. Another resource, or the same one moved
 * to another patient, is not stored as this one.
 */
function isReplyFor(deps: PushDeps, entry: Pick<OutboxEntry, 'ref' | 'patient'>, resource: SyncedResource): boolean {
  return referenceOf(resource) === entry.ref && patientOf(resource, deps.fhirBase === undefined ? {} : { fhirBase: deps.fhirBase }) === entry.patient;
}

/** The server's current version of `ref`, or null when it is deleted or gone. */
async function fetchCurrent(deps: PushDeps, ref: string, entry?: Pick<OutboxEntry, 'ref' | 'patient'>): Promise<SyncedResource | null> {
  const response = await exchange(deps.transport, { method: 'GET', target: ref }, [200, 404, 410]);
  if (response.status !== 200) return null;
  const resource = parseServerResource(response.body);
  if (resource === null || (entry !== undefined && !isReplyFor(deps, entry, resource))) throw new SyncStop('MALFORMED_RESPONSE');
  return resource;
}

/** The acknowledged version: the reply when it is this entry's resource, else the HIE's current one, checked the same way. */
async function acknowledgedVersion(deps: PushDeps, entry: OutboxEntry, reply: unknown): Promise<SyncedResource> {
  const parsed = parseServerResource(reply);
  if (parsed !== null && isReplyFor(deps, entry, parsed)) return parsed;
  const current = await fetchCurrent(deps, entry.ref, entry);
  if (current === null) throw new SyncStop('MALFORMED_RESPONSE');
  return current;
}

async function conflict(deps: PushDeps, entry: OutboxEntry, remote: SyncedResource | null, fields: readonly string[], counts: PushCounts): Promise<void> {
  const record: ConflictRecord = {
    id: deps.newId(),
    ref: entry.ref,
    patient: entry.patient,
    outboxId: entry.id,
    base: entry.base,
    local: entry.resource,
    remote,
    fields,
    state: 'open',
    createdAt: deps.now(),
  };
  await deps.store.openConflict(record);
  counts.conflicts += 1;
}

/** The server moved on since the edit was made: merge or record the conflict. Returns the entry to retry, if any. */
async function settleStale(deps: PushDeps, entry: OutboxEntry, counts: PushCounts): Promise<OutboxEntry | null> {
  const remote = await fetchCurrent(deps, entry.ref);
  if (entry.op === 'delete') {
    if (remote === null) {
      await deps.store.acknowledge(entry.id, null);
      counts.sent += 1;
    } else {
      await conflict(deps, entry, remote, differingFields(entry.resource, remote), counts);
    }
    return null;
  }
  if (remote === null) {
    await conflict(deps, entry, null, ['(deleted on the HIE)'], counts);
    return null;
  }
  if (entry.base === null) {
    await conflict(deps, entry, remote, differingFields(entry.resource, remote), counts);
    return null;
  }
  const result = threeWayMerge(entry.base, entry.resource, remote);
  if (result.kind === 'conflict') {
    await conflict(deps, entry, remote, result.fields, counts);
    return null;
  }
  const { meta: _a, ...mergedBody } = result.resource;
  const { meta: _b, ...remoteBody } = remote;
  if (sameValue(mergedBody, remoteBody)) {
    // The HIE already holds exactly this (typically our own write whose answer was lost).
    await deps.store.acknowledge(entry.id, remote);
    counts.sent += 1;
    return null;
  }
  const next: OutboxEntry = { ...entry, resource: result.resource, base: remote, baseVersionId: remote.meta.versionId };
  await deps.store.replaceOutboxEntry(next);
  counts.merged += 1;
  return next;
}

/** Sends one entry on its own; returns a merged entry to send again, or null when settled. */
async function sendOne(deps: PushDeps, entry: OutboxEntry, counts: PushCounts): Promise<OutboxEntry | null> {
  const headers: Record<string, string> = {};
  if (entry.op !== 'create' && entry.baseVersionId !== null) headers['if-match'] = etag(entry.baseVersionId);
  if (entry.op === 'delete') {
    const response = await exchange(deps.transport, { method: 'DELETE', target: entry.ref, headers }, [200, 204, 403, 404, 410, 412]);
    if (response.status === 412) return settleStale(deps, entry, counts);
    if (response.status === 403) {
      counts.refused += 1;
      return null;
    }
    await deps.store.acknowledge(entry.id, null);
    counts.sent += 1;
    return null;
  }
  const response = await exchange(
    deps.transport,
    { method: 'PUT', target: entry.ref, headers: { ...headers, 'content-type': 'application/fhir+json' }, body: outgoing(entry) },
    [200, 201, 403, 404, 409, 410, 412],
  );
  if (response.status === 412 || response.status === 409) return settleStale(deps, entry, counts);
  if (response.status === 404 || response.status === 410) return settleStale(deps, entry, counts);
  if (response.status === 403) {
    counts.refused += 1;
    return null;
  }
  await deps.store.acknowledge(entry.id, await acknowledgedVersion(deps, entry, response.body));
  counts.sent += 1;
  return null;
}

async function sendAlone(deps: PushDeps, entry: OutboxEntry, counts: PushCounts): Promise<void> {
  let next: OutboxEntry | null = entry;
  // A merged edit is sent again; if the HIE keeps moving, stop after a few rounds and leave it for the next sync.
  for (let round = 0; next !== null && round < 3; round += 1) next = await sendOne(deps, next, counts);
}

/** Related edits in one atomic transaction; if the HIE refuses the bundle, each edit is settled on its own. */
async function sendTransaction(deps: PushDeps, entries: readonly OutboxEntry[], counts: PushCounts): Promise<void> {
  const bundle = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: entries.map((e) => ({
      fullUrl: e.ref,
      ...(e.op === 'delete' ? {} : { resource: outgoing(e) }),
      request: {
        method: e.op === 'delete' ? 'DELETE' : 'PUT',
        url: e.ref,
        ...(e.op !== 'create' && e.baseVersionId !== null ? { ifMatch: etag(e.baseVersionId) } : {}),
      },
    })),
  };
  const response = await exchange(
    deps.transport,
    { method: 'POST', target: '', headers: { 'content-type': 'application/fhir+json' }, body: bundle },
    [200, 400, 403, 404, 409, 410, 412, 422],
  );
  if (response.status !== 200) {
    if (response.status === 401 || response.status >= 500) throw stopForStatus(response.status, response.headers);
    for (const entry of entries) await sendAlone(deps, entry, counts);
    return;
  }
  counts.transactions += 1;
  const result = parseBundle(response.body, 'transaction-response');
  for (const [index, entry] of entries.entries()) {
    if (entry.op === 'delete') {
      await deps.store.acknowledge(entry.id, null);
    } else {
      await deps.store.acknowledge(entry.id, await acknowledgedVersion(deps, entry, result.entries[index]?.resource));
    }
    counts.sent += 1;
  }
}

export async function pushOutbox(deps: PushDeps): Promise<PushCounts> {
  const counts: PushCounts = { sent: 0, merged: 0, conflicts: 0, refused: 0, transactions: 0 };
  const ready = (await deps.store.outbox()).filter((e) => e.state === 'ready');
  const groups = new Map<string, OutboxEntry[]>();
  for (const entry of ready) groups.set(entry.group, [...(groups.get(entry.group) ?? []), entry]);
  for (const entries of groups.values()) {
    if (entries.length === 1) await sendAlone(deps, entries[0] as OutboxEntry, counts);
    else await sendTransaction(deps, entries, counts);
  }
  return counts;
}
