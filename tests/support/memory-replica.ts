import { referenceOf, type FhirResource, type SyncedResource } from '../../shared/fhir/resource';
import type { ConflictRecord, OutboxEntry, ReplicaStore, ServerRow, StoredMeta } from '../../shared/sync/ports';

/**
 * An in-memory ReplicaStore: a test double for unit tests of the sync engine only. The replica the
 * app uses is renderer/db (RxDB + encryption), which the integration tests exercise.
 */
export type MemoryReplica = ReplicaStore & {
  docs: Map<string, { resource: FhirResource; patient: string | null; meta: StoredMeta }>;
  outboxEntries: Map<string, OutboxEntry>;
  conflicts: Map<string, ConflictRecord>;
  checkpoints: Map<string, unknown>;
  quarantine: Set<string>;
  purged: string[];
  writes: number;
  edit(entry: OutboxEntry): void;
};

export function memoryReplica(): MemoryReplica {
  const docs: MemoryReplica['docs'] = new Map();
  const outboxEntries = new Map<string, OutboxEntry>();
  const conflicts = new Map<string, ConflictRecord>();
  const checkpoints = new Map<string, unknown>();
  const quarantine = new Set<string>();
  const purged: string[] = [];
  const putServer = (resource: SyncedResource, patient: string | null): void => {
    docs.set(referenceOf(resource), {
      resource,
      patient,
      meta: { ref: referenceOf(resource), versionId: resource.meta.versionId, lastUpdated: resource.meta.lastUpdated, syncState: 'synced' },
    });
  };
  const store: MemoryReplica = {
    docs, outboxEntries, conflicts, checkpoints, quarantine, purged, writes: 0,
    async patientsInReplica() {
      return [...new Set([...docs.values()].map((d) => d.patient).filter((p): p is string => p !== null))];
    },
    async purgePatient(patient) {
      for (const [ref, d] of docs) if (d.patient === patient) docs.delete(ref);
      for (const [id, e] of outboxEntries) if (e.patient === patient) outboxEntries.delete(id);
      for (const [id, c] of conflicts) if (c.patient === patient) conflicts.delete(id);
      purged.push(patient);
    },
    async readCheckpoint(stream) { return checkpoints.get(stream) ?? null; },
    async writeCheckpoint(stream, value) { checkpoints.set(stream, structuredClone(value)); },
    async metaOf(refs) {
      const out = new Map<string, StoredMeta>();
      for (const ref of refs) { const d = docs.get(ref); if (d) out.set(ref, d.meta); }
      return out;
    },
    async putServerResources(rows: readonly ServerRow[]) {
      store.writes += 1;
      for (const row of rows) {
        const existing = docs.get(referenceOf(row.resource));
        if (existing && existing.meta.syncState !== 'synced') throw new Error('engine overwrote a local edit');
        putServer(row.resource, row.patient);
      }
    },
    async removeResources(refs) { for (const ref of refs) docs.delete(ref); },
    async quarantined() { return [...quarantine]; },
    async clearQuarantine(refs) { for (const ref of refs) quarantine.delete(ref); },
    async outbox() { return [...outboxEntries.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt)); },
    async acknowledge(entryId, server) {
      const entry = outboxEntries.get(entryId);
      outboxEntries.delete(entryId);
      if (entry === undefined) return;
      if (server === null) docs.delete(entry.ref);
      else putServer(server, entry.patient);
    },
    async replaceOutboxEntry(entry) { outboxEntries.set(entry.id, entry); },
    async openConflict(conflict) {
      conflicts.set(conflict.id, conflict);
      const entry = outboxEntries.get(conflict.outboxId);
      if (entry) outboxEntries.set(entry.id, { ...entry, state: 'conflict' });
      const doc = docs.get(conflict.ref);
      if (doc) docs.set(conflict.ref, { ...doc, meta: { ...doc.meta, syncState: 'conflict' } });
    },
    edit(entry) {
      outboxEntries.set(entry.id, entry);
      const existing = docs.get(entry.ref);
      docs.set(entry.ref, {
        resource: entry.resource,
        patient: entry.patient,
        meta: { ref: entry.ref, versionId: existing?.meta.versionId ?? null, lastUpdated: existing?.meta.lastUpdated ?? null, syncState: 'pending' },
      });
    },
  };
  return store;
}
