import { patientOf } from '../../shared/fhir/compartment';
import { type FhirResource, parseReference, referenceOf, type SyncedResource } from '../../shared/fhir/resource';
import type { OutboxEntry } from '../../shared/sync/ports';
import type { ReplicaContext } from './context';
import { LocalEditRefusedError } from './errors';
import { readRow, readRows, removeRows, serverStampOf, setSyncState, writeRows } from './resource-docs';

/**
 * Local edits. Order is what makes them crash-proof: the outbox entry (strict durability) is
 * written first and is the source of truth; the resource row (relaxed) follows, so the edit is
 * visible at once, and is rebuilt from the entry at open if a power cut lost it (recovery.ts).
 */
export type LocalEdit = Readonly<{
  ref: string;
  op: OutboxEntry['op'];
  /** For a create, with its client-generated UUID as id; for a delete, the last known version. */
  resource: FhirResource;
  patient: string | null;
  /** Edits sharing a group go to the HIE in one transaction Bundle; default: the edit alone. */
  group?: string;
}>;

/** A second edit before the first was sent: one entry per ref, on the first edit's base. */
function combinedOp(first: OutboxEntry['op'], next: OutboxEntry['op']): OutboxEntry['op'] | 'nothing' {
  if (first === 'delete') throw new LocalEditRefusedError('deleted');
  if (next === 'create') throw new LocalEditRefusedError('exists');
  if (first === 'create') return next === 'delete' ? 'nothing' : 'create';
  return next;
}

/** The row stands on this entry: pending with its resource, or gone for a delete. */
export async function applyEntry(ctx: ReplicaContext, entry: OutboxEntry): Promise<void> {
  if (entry.op === 'delete') {
    await removeRows(ctx, [entry.ref]);
    return;
  }
  await writeRows(ctx, [
    {
      ref: entry.ref,
      resource: entry.resource,
      patient: entry.patient,
      syncState: entry.state === 'ready' ? 'pending' : 'conflict',
      versionId: entry.baseVersionId ?? '',
      lastUpdated: serverStampOf(entry.base).lastUpdated,
    },
  ]);
}

/**
 * Saves a clinician's edit: the returned entry waits in the outbox for the HIE (null: a create
 * deleted before it was sent, so nothing is left to send).
 */
export function saveLocalEdit(ctx: ReplicaContext, edit: LocalEdit): Promise<OutboxEntry | null> {
  return ctx.queue.run(async () => {
    const parsed = parseReference(edit.ref);
    if (!parsed || parsed.type !== edit.resource.resourceType || parsed.id !== edit.resource.id) {
      throw new LocalEditRefusedError('malformed');
    }
    // The patient decides the key: a wrong one would file the data where a purge of the real patient misses it.
    if (patientOf(edit.resource) !== edit.patient) throw new LocalEditRefusedError('malformed');
    const prior = ctx.outbox.forRef(edit.ref);
    if (prior?.state === 'conflict') throw new LocalEditRefusedError('conflict-open');
    let entry: OutboxEntry;
    const common = { id: ctx.newId(), ref: edit.ref, resource: edit.resource, patient: edit.patient, createdAt: ctx.now(), state: 'ready' } as const;
    if (prior) {
      const op = combinedOp(prior.op, edit.op);
      if (op === 'nothing') {
        await ctx.outbox.remove([prior.id]);
        await removeRows(ctx, [edit.ref]);
        return null;
      }
      entry = { ...common, op, baseVersionId: prior.baseVersionId, base: prior.base, group: edit.group ?? prior.group };
    } else {
      const stored = await readRow(ctx, edit.ref);
      if (stored && stored.body === null) throw new LocalEditRefusedError('unreadable');
      if (edit.op === 'create' && stored) throw new LocalEditRefusedError('exists');
      if (edit.op !== 'create' && !stored) throw new LocalEditRefusedError('missing');
      entry = {
        ...common,
        op: edit.op,
        baseVersionId: stored?.body && stored.body.versionId !== '' ? stored.body.versionId : null,
        base: stored?.body?.resource ?? null,
        group: edit.group ?? common.id,
      };
    }
    await ctx.outbox.put(entry);
    // The superseded entry goes after its successor is safe: a crash in between leaves two, and load() keeps the newer.
    if (prior) await ctx.outbox.remove([prior.id]);
    await applyEntry(ctx, entry);
    return entry;
  });
}

/**
 * Saves new records in one write each for the outbox and the rows (a document import: hundreds at
 * once, where one saveLocalEdit each would cost three transactions apiece). Every edit must be a
 * create of a ref the replica and the outbox do not hold, of the patient it names; otherwise
 * nothing is saved. The outbox is written first, as for one edit.
 */
export function saveLocalCreates(ctx: ReplicaContext, edits: readonly LocalEdit[]): Promise<readonly OutboxEntry[]> {
  return ctx.queue.run(async () => {
    const refs = new Set<string>();
    for (const edit of edits) {
      const parsed = parseReference(edit.ref);
      if (edit.op !== 'create' || !parsed || parsed.type !== edit.resource.resourceType || parsed.id !== edit.resource.id || refs.has(edit.ref)) throw new LocalEditRefusedError('malformed');
      if (patientOf(edit.resource) !== edit.patient) throw new LocalEditRefusedError('malformed');
      if (ctx.outbox.forRef(edit.ref) !== undefined) throw new LocalEditRefusedError('exists');
      refs.add(edit.ref);
    }
    if ((await readRows(ctx, [...refs])).size > 0) throw new LocalEditRefusedError('exists');
    const entries: OutboxEntry[] = edits.map((edit) => {
      const id = ctx.newId();
      return { id, ref: edit.ref, op: 'create', resource: edit.resource, patient: edit.patient, createdAt: ctx.now(), state: 'ready', baseVersionId: null, base: null, group: edit.group ?? id };
    });
    try {
      await ctx.outbox.putMany(entries);
      await writeRows(
        ctx,
        entries.map((entry) => ({ ref: entry.ref, resource: entry.resource, patient: entry.patient, syncState: 'pending' as const, versionId: '', lastUpdated: serverStampOf(null).lastUpdated })),
      );
    } catch (error: unknown) {
      // All or none: what a full disk let through is taken back before the failure is told.
      await ctx.outbox.remove(entries.filter((e) => ctx.outbox.get(e.id) !== undefined).map((e) => e.id)).catch(() => undefined);
      await removeRows(ctx, [...refs]).catch(() => undefined);
      throw error;
    }
    return entries;
  });
}

/** The HIE has the edit: drop the entry, store the server's version as synced. */
export function acknowledge(ctx: ReplicaContext, entryId: string, server: SyncedResource | null): Promise<void> {
  return ctx.queue.run(async () => {
    const entry = ctx.outbox.get(entryId);
    if (!entry) {
      await rebaseSuccessor(ctx, server);
      return;
    }
    if (entry.op === 'delete') {
      await removeRows(ctx, [entry.ref]);
    } else if (server) {
      await writeRows(ctx, [{ ref: entry.ref, resource: server, patient: entry.patient, syncState: 'synced', ...serverStampOf(server) }]);
    } else {
      // Sent, but the HIE returned no body: keep ours as synced; the next pull brings the new version.
      const row = await readRow(ctx, entry.ref);
      if (row?.body) await setSyncState(ctx, row, 'synced');
    }
    await ctx.outbox.remove([entry.id]);
  });
}

/**
 * The acknowledged entry was superseded by a newer edit while it was in flight: the HIE now has
 * the first edit, so the newer one is rebased on the version the HIE returned.
 */
async function rebaseSuccessor(ctx: ReplicaContext, server: SyncedResource | null): Promise<void> {
  if (!server) return;
  const successor = ctx.outbox.forRef(referenceOf(server));
  if (!successor || successor.state !== 'ready') return;
  const rebased: OutboxEntry = {
    ...successor,
    op: successor.op === 'create' ? 'update' : successor.op,
    baseVersionId: server.meta.versionId,
    base: server,
  };
  await ctx.outbox.put(rebased);
  await applyEntry(ctx, rebased);
}

/** Replace an entry (after a safe merge onto a newer server version). A superseded or sent entry is left alone. */
export function replaceOutboxEntry(ctx: ReplicaContext, entry: OutboxEntry): Promise<void> {
  return ctx.queue.run(async () => {
    if (!ctx.outbox.get(entry.id)) return;
    await ctx.outbox.put(entry);
    await applyEntry(ctx, entry);
  });
}
