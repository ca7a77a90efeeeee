import type { AuditSource } from '../../shared/audit/upload';
import type { ReplicaStore } from '../../shared/sync/ports';

/** The workspace was locked while a sync was running: the run stops at its next replica call. */
export class WorkspaceLockedError extends Error {
  constructor() {
    super('The workspace is locked.');
    this.name = 'WorkspaceLockedError';
  }
}

export type ReplicaGate = Readonly<{ store: ReplicaStore; audit: AuditSource | undefined; close(): void }>;

/**
 * The replica as the sync engine sees it, with a gate: once closed, every call fails, so a long
 * initial sync stops at the next page when the screen locks, instead of holding the keys in memory
 * until it ends. What was committed stays committed (the engine commits a page, then its
 * checkpoint), and the next unlock resumes from there.
 */
export function gateReplica(replica: ReplicaStore, audit: AuditSource | undefined): ReplicaGate {
  let open = true;
  const guard = <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => (open ? call(...args) : Promise.reject(new WorkspaceLockedError()));
  const store: ReplicaStore = {
    patientsInReplica: guard(() => replica.patientsInReplica()),
    purgePatient: guard((patient: string) => replica.purgePatient(patient)),
    readCheckpoint: guard((stream: string) => replica.readCheckpoint(stream)),
    writeCheckpoint: guard((stream: string, value: unknown) => replica.writeCheckpoint(stream, value)),
    metaOf: guard((refs: readonly string[]) => replica.metaOf(refs)),
    putServerResources: guard((rows: Parameters<ReplicaStore['putServerResources']>[0]) => replica.putServerResources(rows)),
    prepareServerResources: (rows) => {
      if (open) replica.prepareServerResources?.(rows);
    },
    removeResources: guard((refs: readonly string[]) => replica.removeResources(refs)),
    quarantined: guard(() => replica.quarantined()),
    clearQuarantine: guard((refs: readonly string[]) => replica.clearQuarantine(refs)),
    outbox: guard(() => replica.outbox()),
    acknowledge: guard((entryId: string, server: Parameters<ReplicaStore['acknowledge']>[1]) => replica.acknowledge(entryId, server)),
    replaceOutboxEntry: guard((entry: Parameters<ReplicaStore['replaceOutboxEntry']>[0]) => replica.replaceOutboxEntry(entry)),
    openConflict: guard((conflict: Parameters<ReplicaStore['openConflict']>[0]) => replica.openConflict(conflict)),
  };
  const redact = audit?.redactOutside?.bind(audit);
  return {
    store,
    audit:
      audit === undefined
        ? undefined
        : {
            pending: guard(() => audit.pending()),
            markUploaded: guard((seq: number) => audit.markUploaded(seq)),
            ...(redact === undefined ? {} : { redactOutside: guard(redact) }),
          },
    close() {
      open = false;
    },
  };
}
