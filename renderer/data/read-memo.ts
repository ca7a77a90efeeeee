import type { Replica } from '../db/replica';
import type { ReplicaEntry } from '../db/resource-docs';

/**
 * What the worker read of the replica's resources for its read models (the patient list, the
 * coordination model), kept until what it read changes: a type's rows are kept until a row of that
 * type or the outbox changes (`resourceRevision(type)`), so a sync writing Observations does not
 * make the patient list decrypt every Patient again; a patient's rows until any row or the outbox
 * changes. Opening a chart writes an audit event and may write seen marks, neither of which moves
 * them: so the read models asked again then do not decrypt every appointment, message and task,
 * and the charts of recently changed patients, again — work a chart opened just after had to wait
 * behind. Kept per open replica, in the worker's memory only (gone with the worker at lock).
 */
export type ReadMemo = Readonly<{
  ofType(type: string): Promise<readonly ReplicaEntry[]>;
  ofPatient(patient: string): Promise<readonly ReplicaEntry[]>;
}>;

type Held = Readonly<{ revision: number; read: Promise<readonly ReplicaEntry[]> }>;

export function createReadMemo(replica: Pick<Replica, 'resourceRevision' | 'resourcesOfType' | 'resourcesOfPatient'>): ReadMemo {
  const reads = new Map<string, Held>();
  let patientsAt = Number.NaN;
  const memo = (key: string, revision: number, read: () => Promise<readonly ReplicaEntry[]>): Promise<readonly ReplicaEntry[]> => {
    const held = reads.get(key);
    if (held !== undefined && held.revision === revision) return held.read;
    const fresh = read();
    reads.set(key, { revision, read: fresh });
    // A failed read is not kept: the next asks again.
    fresh.catch(() => {
      if (reads.get(key)?.read === fresh) reads.delete(key);
    });
    return fresh;
  };
  return {
    ofType: (type) => memo(`type:${type}`, replica.resourceRevision(type), () => replica.resourcesOfType(type)),
    ofPatient(patient) {
      const revision = replica.resourceRevision();
      // Charts read at an older revision are dropped all at once (they are many and small).
      if (revision !== patientsAt) {
        for (const key of [...reads.keys()]) if (key.startsWith('patient:')) reads.delete(key);
        patientsAt = revision;
      }
      return memo(`patient:${patient}`, revision, () => replica.resourcesOfPatient(patient));
    },
  };
}
