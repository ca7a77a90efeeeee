import { synchronize, type SyncProgress, type SyncReport } from '../../shared/sync/engine';
import type { AuditSource } from '../../shared/audit/upload';
import type { ReplicaStore } from '../../shared/sync/ports';
import type { FhirTransport } from '../../shared/hie/transport';
import { createSyncRunner, type SyncRunner } from './sync-runner';
import type { SyncStatusStore } from './sync-status';
import { gateReplica } from './gated-replica';

/**
 * One unlocked session's sync: the engine over the host's transport and the (gated) replica,
 * driven by the runner. Tells the workspace when the replica changed (so open screens re-read),
 * and when the first complete sync has finished.
 */
export type SyncSessionDeps = Readonly<{
  /** The first run waits for it (the fold-in of what arrived while locked). */
  ready?: Promise<void>;
  transport: FhirTransport;
  replica: ReplicaStore;
  /** The replica's audit trail, uploaded by the engine after the outbox (none for a read-only source: nothing is sent there). */
  audit?: AuditSource;
  counts(): Promise<{ pendingEdits: number; openConflicts: number }>;
  practitioner: string;
  /** The HIE's FHIR base (absolute references in its resources are resolved against it). */
  fhirBase: string;
  status: SyncStatusStore;
  network: Readonly<{ online(): boolean; subscribe(listener: (online: boolean) => void): () => void }>;
  newId(): string;
  /** A run brought or sent something (called once per non-idle run). */
  onChanged(): void;
  /** A page of a pull was stored (called often during the initial sync: throttle it). */
  onPage(): void;
  /** A full run reached the end: the replica holds the whole panel. */
  onComplete(): void;
  /**
   * A non-idle run's report (an idle one says nothing of scope, so it is not passed on), with when
   * the run started (Date.now()): what it says of scope was read after that moment.
   */
  onReport?(report: SyncReport, startedAt: number): void;
  /** The HIE revoked this user or device: erase the replica. */
  onWipeOrder(): Promise<void>;
  pollMs?: number;
}>;

export type SyncSession = Readonly<{
  runner: SyncRunner;
  /** Stops the runner and the engine at its next replica call; resolves when the run has ended. */
  stop(): Promise<void>;
}>;

export function startSyncSession(deps: SyncSessionDeps): SyncSession {
  const gate = gateReplica(deps.replica, deps.audit);
  const runner = createSyncRunner({
    async synchronize({ skipIfUnchanged, onProgress }) {
      await deps.ready;
      const startedAt = Date.now();
      const report = await synchronize({
        transport: deps.transport,
        store: gate.store,
        practitioner: deps.practitioner,
        fhirBase: deps.fhirBase,
        newId: deps.newId,
        now: () => new Date().toISOString(),
        skipIfUnchanged,
        ...(gate.audit === undefined ? {} : { audit: gate.audit }),
        onProgress: (progress: SyncProgress) => {
          onProgress(progress);
          if (progress.phase === 'pull') deps.onPage();
          // Each of the day's charts (priority.ts) is usable as soon as it is stored: the screens re-read at once when the last lands.
          if (progress.phase === 'priority' && progress.priority !== undefined && progress.priority.ready > 0) {
            if (progress.priority.ready === progress.priority.total) deps.onChanged();
            else deps.onPage();
          }
        },
      });
      if (!report.idle) {
        deps.onReport?.(report, startedAt);
        deps.onChanged();
        deps.onComplete();
      }
      return report;
    },
    counts: deps.counts,
    status: deps.status,
    network: deps.network,
    onWipeOrder: deps.onWipeOrder,
    ...(deps.pollMs !== undefined ? { pollMs: deps.pollMs } : {}),
  });
  runner.start();
  return {
    runner,
    async stop() {
      runner.stop();
      gate.close();
      await runner.settled();
    },
  };
}
