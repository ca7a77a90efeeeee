import type { Coordination } from '../../shared/clinical/coordination';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AuditAction } from '../../shared/audit/audit-event';
import type { AuditLink, ChainVerdict } from '../../shared/audit/chain';
import type { UnlockedVault } from '../../shared/crypto/key-hierarchy';
import type { FhirResource } from '../../shared/fhir/resource';
import type { FhirTransport } from '../../shared/hie/transport';
import { createPortClient, PortError, type PortLike } from '../../shared/ipc/port-rpc';
import type { LockedHandover } from '../../shared/sync/locked-pull';
import type { PatientRow } from '../../shared/clinical/patient-directory';
import type { IdentifierRule } from '../../shared/clinical/patient-identity';
import type { ConflictRecord, OutboxEntry } from '../../shared/sync/ports';
import type { ConflictChoice } from '../db/conflicts';
import { ConflictNotOpenError, LocalEditRefusedError, ReplicaTooNewError, VaultMismatchError, type EditRefusal } from '../db/errors';
import type { LocalEdit } from '../db/local-edits';
import type { ReplicaEntry } from '../db/resource-docs';
import { StorageFullError } from '../db/storage-full';
import { dataContract } from '../data/contract';
import type { RecordInput } from '../data/data-session';
import type { ImportOutcome, ImportPreview, ImportRequest } from '../data/document-import';
import type { WipeResult } from '../data/wipe';
import { serveHost, type HostServices } from './serve-host';
import { browserNetwork } from '../features/sync-status/network-source';
import type { VaultEntry } from '../features/unlock/vault-store';
import { initialSyncStatus, type SyncStatusStore } from '../sync/sync-status';
import { createReplicaRevision, throttledBump, type ReplicaRevisionStore } from './replica-revision';

export type { RecordInput } from '../data/data-session';

/**
 * The page's side of an unlocked session: a thin client of the data worker (data/), which holds
 * the replica, its keys, the search index, the sync and the audit trail. Reads and edits are
 * calls over the data contract; what the worker tells (sync state, replica changed, emergency
 * list) lands in read-model stores whose only writer is this client.
 */
export type RecordReader = Readonly<{
  getResource(ref: string): Promise<ReplicaEntry | null>;
  /** The chart: every resource of one patient, damaged ones included (resource null). */
  resourcesOfPatient(patient: string): Promise<readonly ReplicaEntry[]>;
  resourcesOfType(type: string): Promise<readonly ReplicaEntry[]>;
  /** The Patients carrying any of these `system|value` keys among the policy's systems (data/contract.ts). */
  patientsByIdentifier(systems: readonly string[], keys: readonly string[]): Promise<readonly ReplicaEntry[]>;
  outbox(): Promise<readonly OutboxEntry[]>;
  /** The patient list's rows, built by the data side (IT's identifier order, or the built-in one when null). */
  patientRows(now: Date, identifierPriority: readonly IdentifierRule[] | null): Promise<readonly PatientRow[]>;
  /** Patient → their latest change on the HIE (db/change-log.ts). */
  recentChanges(): Promise<ReadonlyMap<string, string>>;
  /** Schedule, threads, referrals, to-dos and what is new, built by the data side (shared/clinical/coordination.ts). */
  coordination(now: Date): Promise<Coordination>;
  /** Patient refs matching `text`, from the worker's in-memory index (nothing decrypted). */
  searchPatientRefs(text: string, limit?: number): Promise<readonly string[]>;
  listConflicts(): Promise<readonly ConflictRecord[]>;
  /** What the clinician has seen of messages and notifications on this device (contract.ts, seenMarks). */
  seenMarks(): Promise<readonly string[]>;
  markSeen(keys: readonly string[], keep?: readonly string[]): Promise<void>;
  audit: Readonly<{ trail(): Promise<readonly AuditLink[]>; pending(): Promise<readonly AuditLink[]> }>;
}>;

export type Workspace = Readonly<{
  replica: RecordReader;
  /** The access log's verdict at open: its hash chain, and the head anchored outside the page. */
  auditIntegrity: ChainVerdict;
  owner: VaultEntry['owner'];
  runner: Readonly<{ syncNow(): void; resume(): void }>;
  revision: ReplicaRevisionStore;
  /** Saves a clinician's edit (visible at once, pending), then asks sync to send it. */
  saveEdit(edit: LocalEdit): Promise<OutboxEntry | null>;
  /** Reads a document file against one patient's chart in the data worker: the preview, or why it was refused. Nothing stored. */
  importPreview(request: ImportRequest): Promise<ImportPreview>;
  /** Stores the last preview through the outbox (IMPORT_* PortError codes when it may not be). */
  importCommit(id: string, confirmed: boolean): Promise<ImportOutcome>;
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
  audit(action: Extract<AuditAction, 'chart-open' | 'search' | 'export'>, patient: string | null, queryKind?: string): Promise<void>;
  /** The HIE asked for a new sign-in and none came: the sync bar says so. */
  needsSignIn(): void;
  /** Ends the session; answers what a sync while locked needs to go on, or null when it must not. */
  close(): Promise<LockedHandover | null>;
}>;

export type EmergencyScope = Readonly<{ patients: readonly string[] }>;
export type EmergencyScopeStore = StoreApi<EmergencyScope>;

/** A started data side: the port its contract is served on, the port it reaches the host through. */
export type DataSide = Readonly<{
  port: PortLike;
  /** The port the page serves the platform's services on; null when the platform serves the worker itself (Electron: main). */
  host: PortLike | null;
  /** Told once if the data side dies (a crashed or killed worker). */
  onDied(listener: () => void): void;
  /** Ends it (terminates the worker): whatever it held in memory, keys included, is gone. */
  end(): void;
}>;

export type WorkspaceDeps = Readonly<{
  dataSide: DataSide;
  host: HostServices;
  vault: UnlockedVault;
  /** The replica to open: the primary's vault entry, or another source's entry in it (vault-store.ts SourceReplica). */
  entry: Pick<VaultEntry, 'replicaName' | 'owner' | 'initialSyncDone' | 'lastSyncAt'>;
  /** Another source than the primary HIE: synced and read only (the data side refuses edits; nothing is sent there). */
  readOnly?: boolean;
  status: SyncStatusStore;
  window: Window;
  /** The first complete sync ended: persist it (and the progress panel goes). */
  onInitialSyncDone(): void;
  /** The HIE ordered the replica erased; it has been. */
  onWiped(result: WipeResult): void;
  /** The data side died under an open session. */
  onStopped(): void;
  /** While the replica opens: an older replica's rows being moved (rows moved, of how many). */
  onUpgrading?(moved: number, total: number): void;
  pollMs?: number;
}>;

const refusals: Readonly<Record<string, EditRefusal>> = {
  REFUSED_MALFORMED: 'malformed',
  REFUSED_EXISTS: 'exists',
  REFUSED_MISSING: 'missing',
  REFUSED_DELETED: 'deleted',
  REFUSED_CONFLICT_OPEN: 'conflict-open',
  REFUSED_UNREADABLE: 'unreadable',
};

/** A data-side failure as the page's own error, so screens keep one way to tell it. */
function pageError(error: unknown): unknown {
  if (!(error instanceof PortError)) return error;
  const refusal = refusals[error.code];
  if (refusal !== undefined) return new LocalEditRefusedError(refusal);
  if (error.code === 'STORAGE_FULL') return new StorageFullError();
  if (error.code === 'VAULT_MISMATCH') return new VaultMismatchError();
  if (error.code === 'REPLICA_TOO_NEW') return new ReplicaTooNewError(null);
  if (error.code === 'CONFLICT_NOT_OPEN') return new ConflictNotOpenError();
  return error;
}

export async function openWorkspace(deps: WorkspaceDeps): Promise<Workspace> {
  const { dataSide, entry } = deps;
  const stopHost = dataSide.host === null ? () => undefined : serveHost(deps.host, dataSide.host);
  const client = createPortClient(dataContract, dataSide.port);
  const revision = createReplicaRevision();
  const bumpSoon = throttledBump(revision, 1_500);
  const emergency = createStore<EmergencyScope>()(() => ({ patients: [] }));
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    client.close();
    stopHost();
    dataSide.end();
    // Locked (or stopped): the bar keeps only when the last sync worked.
    deps.status.setState({ ...initialSyncStatus, lastSuccessAt: deps.status.getState().lastSuccessAt }, true);
  };
  client.on('status', (status) => deps.status.setState(status, true));
  client.on('changed', ({ cause }) => (cause === 'page' ? bumpSoon() : revision.getState().bump()));
  client.on('emergency', ({ patients }) => emergency.setState({ patients }));
  client.on('initialSyncDone', () => deps.onInitialSyncDone());
  client.on('wiped', (result) => deps.onWiped(result));
  client.on('upgrading', ({ moved, total }) => deps.onUpgrading?.(moved, total));
  dataSide.onDied(() => {
    if (ended) return;
    client.fail('PORT_CLOSED');
    end();
    deps.onStopped();
  });
  const call: typeof client.call = async (method, request) => {
    try {
      return await client.call(method, request);
    } catch (error: unknown) {
      throw pageError(error);
    }
  };
  const network = browserNetwork(deps.window);
  let auditIntegrity: ChainVerdict;
  try {
    ({ auditIntegrity } = await call('open', {
      vault: { replicaKey: deps.vault.replicaKey, indexKey: deps.vault.indexKey },
      replicaName: entry.replicaName,
      owner: entry.owner,
      initialSyncDone: entry.initialSyncDone,
      lastSyncAt: entry.lastSyncAt,
      online: network.online(),
      ...(deps.readOnly === true ? { readOnly: true } : {}),
      ...(deps.pollMs !== undefined ? { pollMs: deps.pollMs } : {}),
    }));
  } catch (error: unknown) {
    end();
    throw error;
  }
  // The patient list's rows and the coordination model as last received: the data side sends them again only when they changed.
  const heldRows = heldByToken<readonly PatientRow[]>('patient rows');
  const heldModel = heldByToken<Coordination>('coordination');
  const stopNetwork = network.subscribe((online) => void call('network', { online }).catch(() => undefined));
  const fire = (method: 'syncNow' | 'resume' | 'needsSignIn'): void => void call(method, {}).catch(() => undefined);
  const record = async (input: RecordInput): Promise<void> => {
    await call('record', { ...input });
  };
  return {
    replica: {
      getResource: (ref) => call('getResource', { ref }),
      resourcesOfPatient: (patient) => call('resourcesOfPatient', { patient }),
      resourcesOfType: (type) => call('resourcesOfType', { type }),
      patientsByIdentifier: (systems, keys) => call('patientsByIdentifier', { systems: [...systems], keys: [...keys] }),
      outbox: () => call('outbox', {}),
      patientRows: (now, identifierPriority) =>
        heldRows.read(async (known) => {
          const answer = await call('patientRows', { now: now.toISOString(), identifierPriority: identifierPriority === null ? null : [...identifierPriority], known });
          return { token: answer.token, value: answer.rows };
        }),
      recentChanges: async () => new Map(await call('recentChanges', {})),
      coordination: (now) =>
        heldModel.read(async (known) => {
          const answer = await call('coordination', { now: now.toISOString(), known });
          return { token: answer.token, value: answer.model };
        }),
      searchPatientRefs: (text, limit = 20) => call('searchPatientRefs', { text, limit }),
      listConflicts: () => call('listConflicts', {}),
      seenMarks: () => call('seenMarks', {}),
      async markSeen(keys, keep) {
        await call('markSeen', { keys: [...keys], ...(keep === undefined ? {} : { keep: [...keep] }) });
      },
      audit: { trail: () => call('auditTrail', {}), pending: () => call('auditPending', {}) },
    },
    auditIntegrity,
    owner: entry.owner,
    runner: { syncNow: () => fire('syncNow'), resume: () => fire('resume') },
    revision,
    transport: deps.host.fhirTransport(),
    emergency,
    async emergencyGranted(patient) {
      await call('emergencyGranted', { patient });
    },
    record,
    saveEdit: (edit) => call('saveEdit', { ref: edit.ref, op: edit.op, resource: edit.resource as FhirResource, patient: edit.patient, ...(edit.group !== undefined ? { group: edit.group } : {}) }),
    importPreview: (request) => call('importPreview', { ...request }),
    importCommit: (id, confirmed) => call('importCommit', { id, confirmed }),
    async resolveConflict(id, choice) {
      await call('resolveConflict', { id, choice });
    },
    audit(action, patient, queryKind) {
      return record({ action, patient, ...(patient !== null ? { resource: patient } : {}), ...(queryKind !== undefined ? { queryKind } : {}) });
    },
    needsSignIn: () => fire('needsSignIn'),
    async close() {
      stopNetwork();
      // The worker stops its sync and closes the replica (every key forgotten), then it is ended.
      const handover = await call('close', {}).catch(() => null);
      end();
      return handover;
    },
  };
}

/** A patient's reference as the replica files it (`Patient/<id>`), from any resource of theirs. */
export const patientRefOf = (patient: FhirResource): string | null => (typeof patient.id === 'string' ? `Patient/${patient.id}` : null);

/**
 * A read the data side answers by token (renderer/data/held-reads.ts): the page sends the token of
 * what it holds, and gets nothing back when that is unchanged; it then returns the very value it
 * holds, so the stores see the same object and draw nothing again.
 */
function heldByToken<T>(what: string) {
  let held: Readonly<{ token: number; value: T }> | null = null;
  return {
    async read(ask: (known: number | null) => Promise<Readonly<{ token: number; value: T | null }>>): Promise<T> {
      const before = held;
      const answer = await ask(before?.token ?? null);
      if (answer.value === null) {
        if (before === null || before.token !== answer.token) throw new Error(`${what}: the data side kept a value this page does not hold`);
        // A newer value may have landed while this call was out: the newest held is the answer.
        return held !== null && held.token > before.token ? held.value : before.value;
      }
      if (held === null || answer.token >= held.token) held = { token: answer.token, value: answer.value };
      return answer.value;
    },
  };
}
