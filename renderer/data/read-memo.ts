import type { Replica } from '../db/replica';
import type { ReplicaEntry } from '../db/resource-docs';

/**
 * What the worker read of the replica's resources for its read models (the patient list, the
 * coordination model), kept until a resource row or the outbox changes (`resourceRevision`).
 * Opening a chart writes an audit event and may write seen marks, neither of which moves it: so
 * the read models asked again then do not decrypt every appointment, message and task, and the
 * charts of recently changed patients, again — work a chart opened just after had to wait behind.
 * Kept per open replica, in the worker's memory only (gone with the worker at lock).
 */
export type ReadMemo = Readonly<{
  ofType(type: string): Promise<readonly ReplicaEntry[]>;
  ofPatient(patient: string): Promise<readonly ReplicaEntry[]>;
}>;

export function createReadMemo(replica: Pick<Replica, 'resourceRevision' | 'resourcesOfType' | 'resourcesOfPatient'>): ReadMemo {
  let revision = Number.NaN;
  const reads = new Map<string, Promise<readonly ReplicaEntry[]>>();
  const memo = (key: string, read: () => Promise<readonly ReplicaEntry[]>): Promise<readonly ReplicaEntry[]> => {
    const now = replica.resourceRevision();
    if (now !== revision) {
      reads.clear();
      revision = now;
    }
    let held = reads.get(key);
    if (held === undefined) {
      held = read();
      reads.set(key, held);
      // A failed read is not kept: the next asks again.
      held.catch(() => {
        if (reads.get(key) === held) reads.delete(key);
      });
    }
    return held;
  };
  return {
    ofType: (type) => memo(`type:${type}`, () => replica.resourcesOfType(type)),
    ofPatient: (patient) => memo(`patient:${patient}`, () => replica.resourcesOfPatient(patient)),
  };
}
