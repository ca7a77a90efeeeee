import { canonicalJson } from '../../shared/audit/canonical-json';
import type { OutboxEntry } from '../../shared/sync/ports';
import { bodyOfConflict } from './bodies';
import { markResolved, resolutionFromEntry, storeRemote } from './conflicts';
import type { ReplicaContext } from './context';
import { applyEntry } from './local-edits';
import { readRows, type ResourceRow, setSyncState } from './resource-docs';

/**
 * At open, make the replica agree with the outbox, which is written with strict durability and
 * is the source of truth for unsent work. A power cut can lose a relaxed resource write that
 * the app had already acknowledged, or stop an operation between two of its writes:
 *
 * 1. an open conflict whose entry is gone or 'ready' was being resolved: finish it;
 * 2. an entry parked in 'conflict' with no open conflict was being parked: set it back to 'ready'
 *    (the engine meets the conflict again on push);
 * 3. an entry whose row is missing, unreadable, or says something else: write the row again;
 * 4. a row still 'pending'/'conflict' with no entry lost the write that settled it (the HIE took
 *    the edit, or the clinician chose the HIE's version): mark it synced and quarantine it, so
 *    the engine fetches the HIE's version instead of trusting what is here.
 */
export type RecoveryReport = Readonly<{ conflictsCompleted: number; entriesReset: number; rowsRebuilt: number; rowsRefetched: number }>;

function rowShowsEntry(row: ResourceRow | undefined, entry: OutboxEntry): boolean {
  if (entry.op === 'delete') return row === undefined;
  return (
    row !== undefined &&
    row.body !== null &&
    row.body.syncState === (entry.state === 'ready' ? 'pending' : 'conflict') &&
    row.body.versionId === (entry.baseVersionId ?? '') &&
    // As JSON (what is stored): a key holding undefined on one side only is no difference.
    canonicalJson(row.body.resource) === canonicalJson(entry.resource)
  );
}

export async function recoverAtOpen(ctx: ReplicaContext): Promise<RecoveryReport> {
  let conflictsCompleted = 0;
  let entriesReset = 0;
  let rowsRebuilt = 0;

  const parkedWithRecord = new Set<string>();
  for (const doc of await ctx.collections.conflicts.find({ selector: { state: 'open' } }).exec()) {
    const body = bodyOfConflict(doc.toJSON().body);
    if (!body) continue;
    const entry = ctx.outbox.get(body.outboxId);
    if (entry?.state === 'conflict') {
      parkedWithRecord.add(entry.id);
      continue;
    }
    await markResolved(ctx, doc.id, doc.patientKey, body, entry ? resolutionFromEntry(entry, body) : 'remote');
    if (!entry) await storeRemote(ctx, body);
    conflictsCompleted += 1;
  }

  for (const entry of ctx.outbox.entries()) {
    if (entry.state === 'conflict' && !parkedWithRecord.has(entry.id)) {
      await ctx.outbox.put({ ...entry, state: 'ready' });
      entriesReset += 1;
    }
  }

  const entries = ctx.outbox.entries();
  const rows = await readRows(ctx, entries.map((e) => e.ref));
  for (const entry of entries) {
    if (rowShowsEntry(rows.get(entry.ref), entry)) continue;
    await applyEntry(ctx, entry);
    rowsRebuilt += 1;
  }

  // The sync state is sealed: the unsettled set names every row that may say pending or conflict.
  const candidates = ctx.unsettled.refs().filter((ref) => !ctx.outbox.forRef(ref));
  const orphans: string[] = [];
  for (const row of (await readRows(ctx, candidates)).values()) {
    if (row.body === null || row.body.syncState === 'synced') continue;
    // Synced, or the engine would never write the HIE's version over it.
    await setSyncState(ctx, row, 'synced');
    orphans.push(row.ref);
  }
  ctx.integrity.quarantine(orphans);
  await ctx.unsettled.replace(ctx.outbox.entries().map((e) => e.ref));

  return { conflictsCompleted, entriesReset, rowsRebuilt, rowsRefetched: orphans.length };
}
