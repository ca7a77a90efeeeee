import { deepEqual } from 'rxdb/plugins/core';
import { type FhirResource, parseReference } from '../../shared/fhir/resource';
import type { ConflictRecord, OutboxEntry } from '../../shared/sync/ports';
import { bodyOfConflict } from './bodies';
import type { ReplicaContext } from './context';
import { ConflictNotOpenError, LocalEditRefusedError } from './errors';
import { applyEntry } from './local-edits';
import { removeRows, serverStampOf, writeRows } from './resource-docs';
import type { ConflictBody, ConflictDoc } from './schemas';

/**
 * Conflicts the engine could not merge safely, kept until the clinician decides. Order of writes
 * (each a strict write), so that recovery.ts can finish whatever a crash interrupted:
 *   open:    entry → 'conflict', then the conflict record (an entry in 'conflict' with no open
 *            record is set back to 'ready' at open: the engine meets the conflict again);
 *   resolve: entry → 'ready' or removed, then the record → 'resolved' (an open record whose entry
 *            is 'ready' or gone is completed at open).
 */
export type ConflictChoice = Readonly<{ keep: 'local' }> | Readonly<{ keep: 'remote' }> | Readonly<{ merged: FhirResource }>;

const recordOf = (doc: Readonly<{ id: string; state: ConflictDoc['state'] }>, body: ConflictBody): ConflictRecord => ({
  id: doc.id,
  ref: body.ref,
  patient: body.patient,
  outboxId: body.outboxId,
  base: body.base,
  local: body.local,
  remote: body.remote,
  fields: body.fields,
  state: doc.state,
  createdAt: body.createdAt,
});

export function openConflict(ctx: ReplicaContext, conflict: ConflictRecord): Promise<void> {
  return ctx.queue.run(async () => {
    // The entry may have been superseded by a newer edit while the engine pushed it: the conflict is the newer one's.
    const entry = ctx.outbox.get(conflict.outboxId) ?? ctx.outbox.forRef(conflict.ref);
    if (!entry) return; // acknowledged or dropped meanwhile: nothing left to conflict
    const parked: OutboxEntry = { ...entry, state: 'conflict' };
    await ctx.outbox.put(parked);
    const body: ConflictBody = {
      ref: conflict.ref,
      patient: conflict.patient,
      outboxId: entry.id,
      base: conflict.base,
      local: entry.resource,
      remote: conflict.remote,
      fields: conflict.fields,
      createdAt: conflict.createdAt,
    };
    await ctx.collections.conflicts.upsert({ id: conflict.id, patientKey: await ctx.keyRing.patientKeyOf(conflict.patient), state: 'open', body });
    await applyEntry(ctx, parked);
  });
}

export async function listConflicts(ctx: ReplicaContext): Promise<readonly ConflictRecord[]> {
  const docs = await ctx.collections.conflicts.find({ selector: { state: 'open' } }).exec();
  const records: ConflictRecord[] = [];
  for (const doc of docs) {
    const body = bodyOfConflict(doc.toJSON().body);
    if (body) records.push(recordOf(doc, body));
  }
  return records.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

/** The outbox entry that carries the clinician's choice, or null when nothing is left to send. */
function entryAfter(entry: OutboxEntry, body: ConflictBody, choice: ConflictChoice): OutboxEntry | null {
  if ('keep' in choice && choice.keep === 'remote') return null;
  const remote = body.remote;
  const onRemote = { baseVersionId: remote?.meta.versionId ?? null, base: remote, state: 'ready' } as const;
  if ('merged' in choice) return { ...entry, ...onRemote, op: remote ? 'update' : 'create', resource: choice.merged };
  if (entry.op === 'delete') return remote ? { ...entry, ...onRemote, op: 'delete', resource: remote } : null;
  // Kept local over a remote deletion: put it back under the same id.
  return { ...entry, ...onRemote, op: remote ? 'update' : 'create', resource: body.local };
}

export const resolutionOf = (choice: ConflictChoice): NonNullable<ConflictBody['resolution']> =>
  'merged' in choice ? 'merged' : choice.keep;

export function resolveConflict(ctx: ReplicaContext, id: string, choice: ConflictChoice): Promise<void> {
  return ctx.queue.run(async () => {
    const doc = await ctx.collections.conflicts.findOne(id).exec();
    const body = doc ? bodyOfConflict(doc.toJSON().body) : null;
    if (!doc || !body || doc.state !== 'open') throw new ConflictNotOpenError();
    if ('merged' in choice) {
      const ref = parseReference(body.ref);
      if (!ref || choice.merged.resourceType !== ref.type || choice.merged.id !== ref.id) throw new LocalEditRefusedError('malformed');
    }
    const entry = ctx.outbox.get(body.outboxId);
    const next = entry ? entryAfter(entry, body, choice) : null;
    if (next) await ctx.outbox.put(next);
    else if (entry) await ctx.outbox.remove([entry.id]);
    await markResolved(ctx, doc.id, doc.patientKey, body, resolutionOf(choice));
    if (next) await applyEntry(ctx, next);
    else await storeRemote(ctx, body);
  });
}

export async function markResolved(ctx: ReplicaContext, id: string, patientKey: string, body: ConflictBody, resolution: NonNullable<ConflictBody['resolution']>): Promise<void> {
  await ctx.collections.conflicts.upsert({ id, patientKey, state: 'resolved', body: { ...body, resolution } });
}

/** The clinician kept the HIE's version (or both sides deleted it): the row becomes the remote one. */
export async function storeRemote(ctx: ReplicaContext, body: ConflictBody): Promise<void> {
  if (body.remote) {
    await writeRows(ctx, [{ ref: body.ref, resource: body.remote, patient: body.patient, syncState: 'synced', ...serverStampOf(body.remote) }]);
  } else {
    await removeRows(ctx, [body.ref]);
  }
}

/** For recovery: was this resolution "keep local" or a merge? */
export const resolutionFromEntry = (entry: OutboxEntry, body: ConflictBody): 'local' | 'merged' =>
  deepEqual(entry.resource, body.local) ? 'local' : 'merged';
