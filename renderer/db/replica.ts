import type { UnlockedVault } from '../../shared/crypto/key-hierarchy';
import { checkReplicaFormat } from './replica-format';
import type { WebCrypto } from '../../shared/crypto/webcrypto';
import type { Clock, ConflictRecord, OutboxEntry, ReplicaStore, ServerRow } from '../../shared/sync/ports';
import { completedAtOf, firstCompletedAt, firstCompletedStream } from '../../shared/sync/priority';
import type { ChainVerdict } from '../../shared/audit/chain';
import { createAuditLog, type AuditLog } from './audit-log';
import { type ConflictChoice, listConflicts, openConflict, resolveConflict } from './conflicts';
import { randomUuid, type ReplicaContext } from './context';
import { openReplicaDatabase } from './database';
import type { IndexedDbSource } from './durable-storage';
import { moveLegacyRows } from './legacy-rows';
import { openRowStore, type RowStore } from './row-store';
import { createIntegrityLog } from './integrity-log';
import { createKeyRing } from './key-ring';
import { acknowledge, type LocalEdit, replaceOutboxEntry, saveLocalCreates, saveLocalEdit } from './local-edits';
import { openChangeLog } from './change-log';
import { checkpointId, emergencyScopeId, readMeta, writeMeta } from './meta-store';
import { createOutboxStore } from './outbox-store';
import { createPatientSearchIndex } from './patient-search';
import { purgePatient } from './purge';
import { recoverAtOpen, type RecoveryReport } from './recovery';
import { entryOf, readRow, readRows, type ReplicaEntry, type ResourceRow, rowsOf } from './resource-docs';
import { createResourceRevisions } from './revisions';
import { metaOf, prepareServerResources, putServerResources, removeResources } from './server-data';
import { openUnsettledSet } from './unsettled';
import { createWriteQueue } from './write-queue';

/**
 * The encrypted replica: the ReplicaStore the sync engine runs over, plus what the app reads and
 * edits. Opened after the vault is unlocked; closing it drops every key and the search index.
 */
export type OpenReplicaOptions = IndexedDbSource &
  Readonly<{
    /** The database name (one per clinician on this device). */
    name: string;
    crypto: WebCrypto;
    vault: UnlockedVault;
    /** One window holds the replica (Electron's single-instance lock); RxDB opens no cross-tab channel. */
    multiInstance?: false;
    clock?: Clock;
    /** An older replica's rows being moved to the current row store (row-store.ts): rows moved, of how many. */
    onMigrationProgress?: (moved: number, total: number) => void;
  }>;

export type ReplicaCounts = Readonly<{
  /** Local edits waiting for the HIE. */
  pending: number;
  /** Conflicts waiting for the clinician. */
  conflicts: number;
  /** Resources that failed their integrity check, to be fetched again. */
  quarantined: number;
  /** Outbox entries, conflicts, keys or bookkeeping that failed their integrity check (cannot be fetched again). */
  damaged: number;
}>;

export type Replica = ReplicaStore &
  Readonly<{
    /** Always present here (optional in the engine's port: the locked inbox has none). */
    prepareServerResources(rows: readonly ServerRow[]): void;
    saveLocalEdit(edit: LocalEdit): Promise<OutboxEntry | null>;
    /** New records saved together (local-edits.ts, saveLocalCreates): all or none. */
    saveLocalCreates(edits: readonly LocalEdit[]): Promise<readonly OutboxEntry[]>;
    getResource(ref: string): Promise<ReplicaEntry | null>;
    /** The chart: every resource of one patient, damaged ones included (resource null). */
    resourcesOfPatient(patient: string): Promise<readonly ReplicaEntry[]>;
    /** Every stored resource of one type (the patient list, the appointment book): one query on the indexed type label (an HMAC). */
    resourcesOfType(type: string): Promise<readonly ReplicaEntry[]>;
    countByState(): Promise<ReplicaCounts>;
    /** When each patient's record last changed on the HIE (any of their resources, to the hour), over the last 8 days of changes (change-log.ts). */
    recentChanges(): ReadonlyMap<string, string>;
    /** Moves whenever recentChanges() would answer differently. */
    recentChangesRevision(): number;
    /** Patients with a change on the HIE after the first complete sync (exact), with its hour: My day's "new results" reads only these. */
    changedAfterFirstSync(): ReadonlyMap<string, string>;
    /**
     * Moves whenever a resource row or the outbox changes (not for an audit event, a checkpoint or a
     * seen mark): what was read of the resources is current as long as it has not moved. With a
     * type: moves only when a row of that type (or the outbox) changes (revisions.ts).
     */
    resourceRevision(type?: string): number;
    /** Patients seen only through an emergency grant, as last known (sealed, so it holds offline and across restarts). */
    emergencyPatients(): Promise<readonly string[]>;
    setEmergencyPatients(patients: readonly string[]): Promise<void>;
    listConflicts(): Promise<readonly ConflictRecord[]>;
    resolveConflict(id: string, choice: ConflictChoice): Promise<void>;
    searchPatients(text: string, limit?: number): Promise<readonly ReplicaEntry[]>;
    /** The same search, refs only, from the in-memory index: nothing decrypted (a key typed in the patient list). */
    searchPatientRefs(text: string, limit?: number): readonly string[];
    /** What opening repaired (see recovery.ts). */
    readonly recovery: RecoveryReport;
    /** The audit trail (append-only, hash-chained, sealed). */
    readonly audit: AuditLog;
    /** The audit chain as verified when the replica opened: a break is reported to the clinician and to the HIE. */
    readonly auditAtOpen: ChainVerdict;
    /** Device wipe only (erase.ts): destroys every wrapped key. */
    shredAllKeys(): Promise<void>;
    close(): Promise<void>;
  }>;

/** Every row of one type (a row whose label was moved from another type does not open: the label is in its AAD; its id still names its real type). */
async function rowsOfType(ctx: ReplicaContext, type: string): Promise<ResourceRow[]> {
  const stored = await ctx.rows.byTypeKey(await ctx.keyRing.typeKeyOf(type));
  return (await rowsOf(ctx, stored)).filter((row) => row.ref.startsWith(`${type}/`));
}

/** Indexes every Patient for the search; returns the rows read, which the patient list asks for next. */
async function indexPatients(ctx: ReplicaContext): Promise<ResourceRow[]> {
  const rows = await rowsOfType(ctx, 'Patient');
  for (const row of rows) {
    if (row.body?.resource.resourceType === 'Patient') ctx.search.put(row.ref, row.body.resource);
  }
  return rows;
}

export async function openReplica(options: OpenReplicaOptions): Promise<Replica> {
  const { crypto, vault } = options;
  const clock = options.clock ?? { now: () => Date.now() };
  const idb = (options.indexedDB as IDBFactory | undefined) ?? indexedDB;
  // First: a replica a newer Relais wrote is refused before anything of it is opened or changed.
  const format = await checkReplicaFormat(options.name, idb);
  const keyRing = createKeyRing(crypto, vault);
  // A damaged row is named by its sealed name (its body is what failed): in the row store, or, while an earlier release's rows are moved, in theirs.
  let rowStore: RowStore | null = null;
  let database: Awaited<ReturnType<typeof openReplicaDatabase>> | null = null;
  const integrity = createIntegrityLog(async (id) => {
    const stored = rowStore === null ? undefined : (await rowStore.get([id])).get(id);
    if (stored !== undefined) return keyRing.refOfRow(id, stored.name);
    const [doc] = database?.legacyResources ? await database.legacyResources.unsealed.findDocumentsById([id], true) : [];
    return doc === undefined ? null : keyRing.refOfRow(id, (doc as { name?: unknown }).name);
  });
  database = await openReplicaDatabase({ ...options, keyRing, onUnreadable: integrity.onUnreadable });
  const opened = database;
  try {
    rowStore = await openRowStore(options.name, options);
  } catch (error: unknown) {
    await opened.db.close();
    keyRing.forget();
    throw error;
  }
  const rows = rowStore;
  const queue = createWriteQueue();
  const [changes, unsettled] = await Promise.all([firstCompletedAt({ readCheckpoint: (stream) => readMeta(opened.collections.meta, checkpointId(stream)) }).then((first) => openChangeLog(opened.collections.meta, first)), openUnsettledSet(opened.collections.meta)]).catch(async (error: unknown) => {
    rows.close();
    await opened.db.close();
    keyRing.forget();
    throw error;
  });
  const revision = createResourceRevisions();
  const ctx: ReplicaContext = {
    ...opened,
    revision,
    prepared: new WeakMap(),
    crypto,
    keyRing,
    rows,
    integrity,
    changes,
    queue,
    auditQueue: createWriteQueue(),
    unsettled,
    outbox: createOutboxStore(opened.collections.outbox, opened.unsealed.outbox, keyRing, () => revision.changed('all')),
    search: createPatientSearchIndex(),
    now: () => new Date(clock.now()).toISOString(),
    newId: () => randomUuid(crypto),
  };
  // The Patient rows read to index them, until the patient list (the next to read them all) takes them, unless a Patient or the outbox changed since: the reopen decrypts them once.
  let patientsAtOpen: Readonly<{ revision: number; rows: readonly ResourceRow[] }> | null = null;
  let recovery: RecoveryReport;
  const audit = createAuditLog(ctx);
  let auditAtOpen: ChainVerdict;
  try {
    await integrity.attach(opened.collections.meta, queue);
    await unsettled.add(opened.migratedUnsettled);
    if (opened.legacyResources !== null) await moveLegacyRows(ctx, opened.legacyResources, options.name, idb);
    await ctx.outbox.load();
    patientsAtOpen = { revision: revision.of('Patient'), rows: await indexPatients(ctx) };
    recovery = await queue.run(() => recoverAtOpen(ctx));
    auditAtOpen = await audit.verify();
    // Open and migrated: the replica is in this release's format from now on.
    await format.record();
  } catch (error: unknown) {
    rows.close();
    await opened.db.close();
    keyRing.forget();
    throw error;
  }

  return {
    recovery,
    audit,
    auditAtOpen,
    // scope
    patientsInReplica: () => Promise.resolve(keyRing.patients()),
    purgePatient: (patient) => purgePatient(ctx, patient),
    // checkpoints
    readCheckpoint: (stream) => readMeta(opened.collections.meta, checkpointId(stream)),
    writeCheckpoint: (stream, value) =>
      queue.run(async () => {
        await writeMeta(opened.collections.meta, checkpointId(stream), value);
        // The change log tells changes after the first complete sync apart from then on.
        const first = stream === firstCompletedStream ? completedAtOf(value) : null;
        if (first !== null) changes.firstSyncCompleted(first);
      }),
    // server data
    metaOf: (refs) => metaOf(ctx, refs),
    putServerResources: (rows) => putServerResources(ctx, rows),
    prepareServerResources: (rows) => prepareServerResources(ctx, rows),
    removeResources: (refs) => removeResources(ctx, refs),
    quarantined: () => integrity.quarantined(),
    clearQuarantine: (refs) => {
      integrity.release(refs);
      return queue.run(integrity.persist);
    },
    // local edits
    outbox: () => Promise.resolve(ctx.outbox.entries()),
    acknowledge: (entryId, server) => acknowledge(ctx, entryId, server),
    replaceOutboxEntry: (entry) => replaceOutboxEntry(ctx, entry),
    openConflict: (conflict) => openConflict(ctx, conflict),
    // the app
    saveLocalEdit: (edit) => saveLocalEdit(ctx, edit),
    saveLocalCreates: (edits) => saveLocalCreates(ctx, edits),
    async getResource(ref) {
      const row = await readRow(ctx, ref);
      return row ? entryOf(ctx, row) : null;
    },
    async resourcesOfType(type) {
      const atOpen = type === 'Patient' ? patientsAtOpen : null;
      patientsAtOpen = type === 'Patient' ? null : patientsAtOpen;
      const read = atOpen !== null && atOpen.revision === revision.of('Patient') ? atOpen.rows : await rowsOfType(ctx, type);
      return read.map((row) => entryOf(ctx, row));
    },
    async resourcesOfPatient(patient) {
      const stored = await rows.byPatientKey(await keyRing.patientKeyOf(patient));
      return (await rowsOf(ctx, stored)).map((row) => entryOf(ctx, row));
    },
    async countByState() {
      const conflicts = await opened.collections.conflicts.count({ selector: { state: 'open' } }).exec();
      return {
        pending: ctx.outbox.entries().filter((e) => e.state === 'ready').length,
        conflicts,
        quarantined: (await integrity.quarantined()).length,
        damaged: integrity.damagedCount(),
      };
    },
    recentChanges: () => new Map(changes.latest()),
    recentChangesRevision: () => changes.revision(),
    changedAfterFirstSync: () => new Map(changes.afterFirstSync()),
    resourceRevision: (type) => (type === undefined ? revision.value() : revision.of(type)),
    async emergencyPatients() {
      const value = await readMeta(opened.collections.meta, emergencyScopeId);
      return Array.isArray(value) ? value.filter((p): p is string => typeof p === 'string' && p.startsWith('Patient/')) : [];
    },
    setEmergencyPatients: (patients) => queue.run(() => writeMeta(opened.collections.meta, emergencyScopeId, [...new Set(patients)].sort())),
    listConflicts: () => listConflicts(ctx),
    resolveConflict: (id, choice) => resolveConflict(ctx, id, choice),
    searchPatientRefs(text, limit = 20) {
      return ctx.search.search(text, limit);
    },
    async searchPatients(text, limit = 20) {
      const refs = ctx.search.search(text, limit);
      const rows = await readRows(ctx, refs);
      return refs.flatMap((ref) => {
        const row = rows.get(ref);
        return row?.body ? [entryOf(ctx, row)] : [];
      });
    },
    shredAllKeys: () => queue.run(() => keyRing.shredAll()),
    async close() {
      try {
        await Promise.all([queue.idle(), ctx.auditQueue.idle()]);
        // Best effort: on a full disk this write fails, and the quarantine list is rebuilt anyway
        // (a damaged row fails its check again when next read). Closing must not stop here.
        await queue.run(integrity.persist).catch(() => undefined);
        await opened.db.close();
      } finally {
        // Whatever failed above, the row store's connection closes, and the keys and the search index leave memory.
        rows.close();
        keyRing.forget();
        ctx.search.clear();
      }
    },
  };
}
