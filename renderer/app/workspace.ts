import type { UnlockedVault } from '../../shared/crypto/key-hierarchy';
import type { WebCrypto } from '../../shared/crypto/webcrypto';
import type { FhirResource } from '../../shared/fhir/resource';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AuditAction, AuditInput } from '../../shared/audit/audit-event';
import type { ConflictChoice } from '../db/conflicts';
import { eraseReplica } from '../db/erase';
import type { LocalEdit } from '../db/local-edits';
import { openReplica, type Replica } from '../db/replica';
import type { OutboxEntry } from '../../shared/sync/ports';
import type { FhirTransport } from '../../shared/hie/transport';
import { writtenTypes } from '../../shared/sync/client-scope';
import { browserNetwork } from '../features/sync-status/network-source';
import { startSyncSession, type SyncSession } from '../features/sync-status/sync-session';
import type { VaultEntry } from '../features/unlock/vault-store';
import type { SyncRunner } from '../sync/sync-runner';
import type { SyncStatusStore } from '../sync/sync-status';
import { createReplicaRevision, throttledBump, type ReplicaRevisionStore } from './replica-revision';
import { carryOutWipe, type WipeResult } from './wipe';
import { startAuditAnchoring } from './audit-anchoring';
import type { AuditAnchorPort } from '../host/host';
import type { ChainVerdict } from '../../shared/audit/chain';

/**
 * Everything an unlocked session holds: the open replica (its keys), the sync session, and the
 * revision counter screens follow. Dropped whole at lock: closing it closes the replica (which
 * forgets every key and the search index) after the running sync has stopped.
 */
export type Workspace = Readonly<{
  replica: Replica;
  /** The access log's verdict at open: its hash chain, and the head anchored outside the page. */
  auditIntegrity: ChainVerdict;
  owner: VaultEntry['owner'];
  runner: SyncRunner;
  revision: ReplicaRevisionStore;
  /** Saves a clinician's edit (visible at once, pending), then asks sync to send it. */
  saveEdit(edit: LocalEdit): Promise<OutboxEntry | null>;
  resolveConflict(id: string, choice: ConflictChoice): Promise<void>;
  /** The HIE, for the calls made outside sync (emergency access). */
  transport: FhirTransport;
  /** Patients in scope only through an emergency access, as the last complete sync saw them (or the grant just made). */
  emergency: EmergencyScopeStore;
  /** The HIE granted an emergency access to this patient: flag their chart and acts now, before the next sync confirms it. */
  emergencyGranted(patient: string): Promise<void>;
  /** Records an event in the audit trail and waits for it to be stored (emergency access). */
  record(input: RecordInput): Promise<void>;
  /**
   * Records an access in the audit trail (BALP); it reaches the HIE with the next sync. Resolves
   * once the entry is committed: a chart opens only after its access is in the trail.
   */
  audit(action: Extract<AuditAction, 'chart-open' | 'search'>, patient: string | null, queryKind?: string): Promise<void>;
  close(): Promise<void>;
}>;

export type RecordInput = Readonly<{ action: AuditAction; patient: string | null; resource?: string; queryKind?: string; emergency?: AuditInput['emergency'] }>;
export type EmergencyScope = Readonly<{ patients: readonly string[] }>;
export type EmergencyScopeStore = StoreApi<EmergencyScope>;

export type WorkspaceDeps = Readonly<{
  crypto: WebCrypto;
  vault: UnlockedVault;
  entry: VaultEntry;
  transport: FhirTransport;
  status: SyncStatusStore;
  window: Window;
  /** The first complete sync ended: persist it (and the progress panel goes). */
  onInitialSyncDone(): void;
  /** The HIE ordered the replica erased; it has been. */
  onWiped(result: WipeResult): void;
  /** The host's two wipe steps (device secret first, leftover storage last). */
  eraseDevice: Readonly<{ secrets(): Promise<void>; localData(): Promise<void> }>;
  /** Where the audit chain's head is anchored, outside the page. */
  auditAnchor: AuditAnchorPort;
  pollMs?: number;
}>;

export async function openWorkspace(deps: WorkspaceDeps): Promise<Workspace> {
  const replica = await openReplica({ name: deps.entry.replicaName, crypto: deps.crypto, vault: deps.vault, multiInstance: false });
  const anchoring = await startAuditAnchoring(deps.auditAnchor, deps.entry.replicaName, await replica.audit.trail(), replica.auditAtOpen);
  const revision = createReplicaRevision();
  const bumpSoon = throttledBump(revision, 1_500);
  const counts = async (): Promise<{ pendingEdits: number; openConflicts: number }> => {
    const c = await replica.countByState();
    return { pendingEdits: c.pending, openConflicts: c.conflicts };
  };
  // Known at once, offline too: the last list a sync (or a grant) left, sealed in the replica.
  const emergency = createStore<EmergencyScope>()(() => ({ patients: [] }));
  emergency.setState({ patients: await replica.emergencyPatients().catch(() => []) });
  const setEmergency = async (patients: readonly string[]): Promise<void> => {
    // Every non-idle run reports the list; it is written only when it changed.
    if (patients.join('\n') === emergency.getState().patients.join('\n')) return;
    emergency.setState({ patients });
    await replica.setEmergencyPatients(patients).catch(() => undefined);
  };
  // Grants made here that no sync started after them has seen yet: a run already under way when
  // the grant came read the scope before it, and must not unflag the patient.
  const unconfirmedGrants = new Map<string, number>();
  let initialDone = deps.entry.initialSyncDone;
  const sync: SyncSession = startSyncSession({
    transport: deps.transport,
    replica,
    audit: replica.audit,
    counts,
    practitioner: deps.entry.owner.practitioner,
    fhirBase: deps.entry.owner.fhirBase,
    status: deps.status,
    network: browserNetwork(deps.window),
    newId: () => deps.window.crypto.randomUUID(),
    onChanged: () => revision.getState().bump(),
    onPage: bumpSoon,
    onReport: (report, startedAt) => {
      if (report.refused > 0) deps.status.setState({ refusedRecords: deps.status.getState().refusedRecords + report.refused });
      for (const [patient, grantedAt] of unconfirmedGrants) if (grantedAt <= startedAt) unconfirmedGrants.delete(patient);
      void setEmergency([...new Set([...report.emergencyPatients, ...unconfirmedGrants.keys()])].sort());
    },
    onComplete: () => {
      if (initialDone) return;
      initialDone = true;
      deps.onInitialSyncDone();
    },
    onWipeOrder: async () => {
      // The device secret first (nothing on disk opens after it), then the wrapped keys and the
      // replica's files (erase.ts), the vault entry (onWiped), and last whatever storage is left.
      const result = await carryOutWipe({
        'device-secret': () => deps.eraseDevice.secrets(),
        replica: async () => {
          await eraseReplica(replica, deps.entry.replicaName);
        },
        'local-data': () => deps.eraseDevice.localData(),
      });
      // A step that failed is said on screen, not hidden.
      deps.onWiped(result);
    },
    ...(deps.pollMs !== undefined ? { pollMs: deps.pollMs } : {}),
  });
  const record = async (input: RecordInput): Promise<void> => {
    // Whatever is done on a patient seen only through an emergency grant carries purpose BTG.
    const underEmergencyAccess = input.action !== 'break-the-glass' && input.patient !== null && emergency.getState().patients.includes(input.patient);
    const link = await replica.audit.record({
      ...input,
      ...(underEmergencyAccess ? { underEmergencyAccess } : {}),
      practitioner: deps.entry.owner.practitioner,
      // The replica's random name stands for this device in the trail (it names nobody).
      deviceId: deps.entry.replicaName,
      outcome: 'success',
      offline: !deps.window.navigator.onLine,
    });
    // Anchored outside the page in the background: the local commit is what the chart waits for.
    void anchoring.appended(link);
  };
  const refreshCounts = async (): Promise<void> => {
    deps.status.setState(await counts());
  };
  // Offline, the runner makes no run (and reads no counts): what is waiting must show at once anyway.
  await refreshCounts().catch(() => undefined);
  return {
    replica,
    auditIntegrity: anchoring.verdict,
    owner: deps.entry.owner,
    runner: sync.runner,
    revision,
    transport: deps.transport,
    emergency,
    async emergencyGranted(patient) {
      unconfirmedGrants.set(patient, Date.now());
      const { patients } = emergency.getState();
      if (!patients.includes(patient)) await setEmergency([...patients, patient].sort());
    },
    record,
    async saveEdit(edit) {
      // Only what the HIE token allows (shared/sync/client-scope.ts): anything else would wait in
      // the outbox for a 403. A form that writes a new type adds it to writtenTypes.
      if (!writtenTypes.includes(edit.resource.resourceType) || edit.op === 'delete') throw new Error(`Relais does not write ${edit.op} ${edit.resource.resourceType}`);
      const entry = await replica.saveLocalEdit(edit);
      await record({ action: edit.op, patient: edit.patient, resource: edit.ref }).catch(() => undefined);
      revision.getState().bump();
      await refreshCounts();
      sync.runner.syncNow();
      return entry;
    },
    async resolveConflict(id, choice) {
      await replica.resolveConflict(id, choice);
      revision.getState().bump();
      await refreshCounts();
      sync.runner.syncNow();
    },
    audit(action, patient, queryKind) {
      return record({ action, patient, ...(patient !== null ? { resource: patient } : {}), ...(queryKind !== undefined ? { queryKind } : {}) });
    },
    async close() {
      await sync.stop();
      await replica.close();
    },
  };
}

/** A patient's reference as the replica files it (`Patient/<id>`), from any resource of theirs. */
export const patientRefOf = (patient: FhirResource): string | null => (typeof patient.id === 'string' ? `Patient/${patient.id}` : null);
