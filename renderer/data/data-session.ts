import type { UnlockedVault } from '../../shared/crypto/key-hierarchy';
import type { WebCrypto } from '../../shared/crypto/webcrypto';
import type { AuditAction, AuditInput } from '../../shared/audit/audit-event';
import type { ChainVerdict } from '../../shared/audit/chain';
import type { OutboxEntry } from '../../shared/sync/ports';
import type { FhirTransport } from '../../shared/hie/transport';
import { writtenTypes } from '../../shared/sync/client-scope';
import { createDocumentImporter, type ImportOutcome, type ImportPreview, type ImportRequest } from './document-import';
import { readPullCheckpoint, type PullCheckpoint } from '../../shared/sync/checkpoint';
import { historyStream } from '../../shared/sync/history';
import type { LockedHandover } from '../../shared/sync/locked-pull';
import { storedSyncedTypes, typesToSync } from '../../shared/sync/resource-types';
import { openInbox } from '../db/inbox';
import type { ConflictChoice } from '../db/conflicts';
import { eraseReplica } from '../db/erase';
import type { LocalEdit } from '../db/local-edits';
import { openReplica, type Replica } from '../db/replica';
import type { AuditAnchorPort } from '../host/host';
import { startSyncSession, type SyncSession } from '../sync/sync-session';
import { createSyncStatusStore, initialSyncStatus, type SyncStatus } from '../sync/sync-status';
import { startAuditAnchoring } from './audit-anchoring';
import { carryOutWipe, type WipeResult } from './wipe';
import { ensureInboxKeys, foldInInbox } from './inbox-fold';

/**
 * The data side of one unlocked session, as it runs in the data worker: the open replica (its
 * keys, its search index), the sync session, the audit trail and its anchoring. It knows nothing
 * of React or of the page: what the page must know leaves through `events` (one call per fact),
 * and the page's stores are read models of them (app/workspace.ts). Closing it stops the sync
 * and closes the replica, which forgets every key.
 */
export type DataSession = Readonly<{
  replica: Replica;
  /** The access log's verdict at open: its hash chain, and the head anchored outside the page. */
  auditIntegrity: ChainVerdict;
  saveEdit(edit: LocalEdit): Promise<OutboxEntry | null>;
  /** A document file read and planned against one patient's chart (document-import.ts); nothing stored. */
  importPreview(request: ImportRequest): Promise<ImportPreview>;
  /** The previewed import stored through the outbox, audited as one Import. */
  importCommit(id: string, confirmed: boolean): Promise<ImportOutcome>;
  resolveConflict(id: string, choice: ConflictChoice): Promise<void>;
  emergencyGranted(patient: string): Promise<void>;
  record(input: RecordInput): Promise<void>;
  audit(action: Extract<AuditAction, 'chart-open' | 'search'>, patient: string | null, queryKind?: string): Promise<void>;
  syncNow(): void;
  /** After a new sign-in: the runner tries again at once. */
  resume(): void;
  /** The HIE wants a new sign-in and the page could not get one. */
  needsSignIn(): void;
  setOnline(online: boolean): void;
  /**
   * Stops the sync and closes the replica (every key forgotten). Returns what a sync while locked
   * needs to go on (the inbox's public key and each type's checkpoint), or null when it must not
   * (the replica was wiped).
   */
  close(): Promise<LockedHandover | null>;
}>;

export type RecordInput = Readonly<{ action: AuditAction; patient: string | null; resource?: string; queryKind?: string; emergency?: AuditInput['emergency'] }>;

/** What the page hears of the data side: each fact has one event, and each page store one writer. */
export type DataEvents = Readonly<{
  /** The sync state changed (every change, in order): the page's status store is this snapshot. */
  status(status: SyncStatus): void;
  /** The replica's content may have changed: `page` during a pull (the page throttles it), `run` or `edit` otherwise. */
  changed(cause: 'page' | 'run' | 'edit'): void;
  /** Patients in scope only through an emergency access. */
  emergency(patients: readonly string[]): void;
  /** The first complete sync ended (said once per session). */
  initialSyncDone(): void;
  /** The HIE ordered the replica erased; it has been (see `result` for a step that failed). */
  wiped(result: WipeResult): void;
  /** While the replica opens: an older replica's rows being moved to this release's store (rows moved, of how many). */
  upgrading?(moved: number, total: number): void;
}>;

export type DataSessionDeps = Readonly<{
  crypto: WebCrypto;
  vault: UnlockedVault;
  replicaName: string;
  owner: Readonly<{ practitioner: string; fhirBase: string }>;
  initialSyncDone: boolean;
  lastSyncAt: string | null;
  online: boolean;
  transport: FhirTransport;
  /** Where the audit chain's head is anchored, outside the page. */
  auditAnchor: AuditAnchorPort;
  /** The host's two wipe steps (device secret first, leftover storage last). */
  eraseDevice: Readonly<{ secrets(): Promise<void>; localData(): Promise<void> }>;
  newId(): string;
  events: DataEvents;
  pollMs?: number;
  /** Another source than the primary HIE (issue 15): its sync sends nothing there (no outbox, no access log). */
  readOnly?: boolean;
}>;

export async function openDataSession(deps: DataSessionDeps): Promise<DataSession> {
  const upgrading = deps.events.upgrading;
  const replica = await openReplica({
    name: deps.replicaName,
    crypto: deps.crypto,
    vault: deps.vault,
    multiInstance: false,
    ...(upgrading === undefined ? {} : { onMigrationProgress: (moved: number, total: number) => upgrading(moved, total) }),
  });
  const inbox = await openInbox(deps.replicaName);
  const inboxKeys = await ensureInboxKeys(deps.crypto, deps.vault, replica);
  const anchoring = await startAuditAnchoring(deps.auditAnchor, deps.replicaName, await replica.audit.trail(), replica.auditAtOpen);
  const status = createSyncStatusStore();
  status.setState({ ...initialSyncStatus, lastSuccessAt: deps.lastSyncAt, network: deps.online ? 'online' : 'offline' });
  const stopStatus = status.subscribe((state) => deps.events.status(state));
  deps.events.status(status.getState());
  let online = deps.online;
  const networkListeners = new Set<(online: boolean) => void>();
  const counts = async (): Promise<{ pendingEdits: number; openConflicts: number }> => {
    const c = await replica.countByState();
    return { pendingEdits: c.pending, openConflicts: c.conflicts };
  };
  // Known at once, offline too: the last list a sync (or a grant) left, sealed in the replica.
  let emergency: readonly string[] = await replica.emergencyPatients().catch(() => []);
  deps.events.emergency(emergency);
  const setEmergency = async (patients: readonly string[]): Promise<void> => {
    // Every non-idle run reports the list; it is written only when it changed.
    if (patients.join('\n') === emergency.join('\n')) return;
    emergency = patients;
    deps.events.emergency(patients);
    await replica.setEmergencyPatients(patients).catch(() => undefined);
  };
  // Grants made here that no sync started after them has seen yet: a run already under way when
  // the grant came read the scope before it, and must not unflag the patient.
  const unconfirmedGrants = new Map<string, number>();
  let initialDone = deps.initialSyncDone;
  let closing = false;
  // What the sync received while the screen was locked is folded in first (offline too); the
  // first run waits for it, so checkpoints only move forward.
  const folding = foldInInbox({
    crypto: deps.crypto,
    vault: deps.vault,
    keys: inboxKeys,
    store: replica,
    inbox,
    context: deps.replicaName,
    stopped: () => closing,
    // The panel counts the resources added (how many the boxes hold is known only once opened).
    onProgress: ({ stored }) => status.setState({ phase: 'inbox', progress: { received: stored, total: null, resumedFrom: 0, patients: 0, type: null, priority: null } }),
  })
    .then((result) => {
      if (result.applied > 0 || result.unreadable > 0) {
        status.setState({ phase: 'idle', progress: null });
        deps.events.changed('run');
      }
    })
    // A fold-in that failed leaves the boxes for the next unlock; the sync fetches anew what they held.
    .catch(() => status.setState({ phase: 'idle', progress: null }));
  const sync: SyncSession = startSyncSession({
    ready: folding,
    transport: deps.transport,
    replica,
    ...(deps.readOnly === true ? {} : { audit: replica.audit }),
    counts,
    practitioner: deps.owner.practitioner,
    fhirBase: deps.owner.fhirBase,
    status,
    network: {
      online: () => online,
      subscribe(listener) {
        networkListeners.add(listener);
        return () => networkListeners.delete(listener);
      },
    },
    newId: deps.newId,
    onChanged: () => deps.events.changed('run'),
    onPage: () => deps.events.changed('page'),
    onReport: (report, startedAt) => {
      if (report.refused > 0) status.setState({ refusedRecords: status.getState().refusedRecords + report.refused });
      for (const [patient, grantedAt] of unconfirmedGrants) if (grantedAt <= startedAt) unconfirmedGrants.delete(patient);
      void setEmergency([...new Set([...report.emergencyPatients, ...unconfirmedGrants.keys()])].sort());
    },
    onComplete: () => {
      if (initialDone) return;
      initialDone = true;
      deps.events.initialSyncDone();
    },
    onWipeOrder: async () => {
      // The device secret first (nothing on disk opens after it), then the wrapped keys and the
      // replica's files (erase.ts), the vault entry (the page, on `wiped`), and last whatever storage is left.
      const result = await carryOutWipe({
        'device-secret': () => deps.eraseDevice.secrets(),
        replica: async () => {
          await eraseReplica(replica, deps.replicaName);
        },
        'local-data': () => deps.eraseDevice.localData(),
      });
      // A step that failed is said on screen, not hidden.
      deps.events.wiped(result);
    },
    ...(deps.pollMs !== undefined ? { pollMs: deps.pollMs } : {}),
  });
  const record = async (input: RecordInput): Promise<void> => {
    // Whatever is done on a patient seen only through an emergency grant carries purpose BTG.
    const underEmergencyAccess = input.action !== 'break-the-glass' && input.patient !== null && emergency.includes(input.patient);
    const link = await replica.audit.record({
      ...input,
      ...(underEmergencyAccess ? { underEmergencyAccess } : {}),
      practitioner: deps.owner.practitioner,
      // The replica's random name stands for this device in the trail (it names nobody).
      deviceId: deps.replicaName,
      outcome: 'success',
      offline: !online,
    });
    // Anchored outside the page in the background: the local commit is what the chart waits for.
    void anchoring.appended(link);
  };
  const refreshCounts = async (): Promise<void> => {
    status.setState(await counts());
  };
  const importer = createDocumentImporter({
    practitioner: deps.owner.practitioner,
    resourcesOfPatient: (patient) => replica.resourcesOfPatient(patient),
    getResource: (ref) => replica.getResource(ref),
    save: async (edits) => void (await replica.saveLocalCreates(edits)),
    discard: async (edit) => void (await replica.saveLocalEdit({ ...edit, op: 'delete' })),
    digest: (bytes) => deps.crypto.subtle.digest('SHA-256', bytes),
    newId: deps.newId,
    now: () => new Date(),
  });
  // Offline, the runner makes no run (and reads no counts): what is waiting must show at once anyway.
  await refreshCounts().catch(() => undefined);
  return {
    replica,
    auditIntegrity: anchoring.verdict,
    async emergencyGranted(patient) {
      unconfirmedGrants.set(patient, Date.now());
      if (!emergency.includes(patient)) await setEmergency([...emergency, patient].sort());
    },
    record,
    async saveEdit(edit) {
      // Only what the HIE token allows (shared/sync/client-scope.ts): anything else would wait in
      // the outbox for a 403. A form that writes a new type adds it to writtenTypes.
      if (!writtenTypes.includes(edit.resource.resourceType) || edit.op === 'delete') throw new Error(`Relais does not write ${edit.op} ${edit.resource.resourceType}`);
      const entry = await replica.saveLocalEdit(edit);
      await record({ action: edit.op, patient: edit.patient, resource: edit.ref }).catch(() => undefined);
      deps.events.changed('edit');
      await refreshCounts();
      sync.runner.syncNow();
      return entry;
    },
    importPreview: (request) => importer.preview(request),
    async importCommit(id, confirmed) {
      const { patient, ...outcome } = await importer.commit(id, confirmed);
      await record({ action: 'import', patient, resource: outcome.provenance }).catch(() => undefined);
      deps.events.changed('edit');
      await refreshCounts();
      sync.runner.syncNow();
      return outcome;
    },
    async resolveConflict(id, choice) {
      await replica.resolveConflict(id, choice);
      deps.events.changed('edit');
      await refreshCounts();
      sync.runner.syncNow();
    },
    audit(action, patient, queryKind) {
      return record({ action, patient, ...(patient !== null ? { resource: patient } : {}), ...(queryKind !== undefined ? { queryKind } : {}) });
    },
    syncNow: () => sync.runner.syncNow(),
    resume: () => sync.runner.resume(),
    needsSignIn: () => status.setState({ needsSignIn: true }),
    setOnline(next) {
      if (next === online) return;
      online = next;
      for (const listener of networkListeners) listener(next);
    },
    async close() {
      closing = true;
      try {
        await folding;
        await sync.stop();
        const handover = status.getState().wipeOrdered ? null : await handoverOf(replica, inboxKeys.publicKey).catch(() => null);
        await replica.close();
        return handover;
      } finally {
        inbox.close();
        stopStatus();
      }
    },
  };
}

/** The checkpoints a locked sync starts from, and whether the HIE's history has a start yet (else the locked sync starts it). */
async function handoverOf(replica: Replica, inboxPublicKey: string): Promise<LockedHandover> {
  const types = new Set([...typesToSync(null), ...((await storedSyncedTypes(replica)) ?? [])]);
  const checkpoints: Array<[string, PullCheckpoint]> = [];
  for (const type of types) {
    const checkpoint = readPullCheckpoint(await replica.readCheckpoint(type));
    if (checkpoint !== null) checkpoints.push([type, checkpoint]);
  }
  return { inboxPublicKey, checkpoints, historyStarted: (await replica.readCheckpoint(historyStream)) !== null };
}
