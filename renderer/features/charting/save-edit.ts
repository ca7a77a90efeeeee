import { useState } from 'react';
import type { FhirResource } from '../../../shared/fhir/resource';
import { LocalEditRefusedError, type EditRefusal } from '../../db/errors';
import { isStorageFull } from '../../db/storage-full';
import { useWorkspace } from '../../app/workspace-context';

/** Why an edit was refused, as a sentence key (literal keys, checked by the catalogue test). */
export const refusalKey: Readonly<Record<EditRefusal, string>> = {
  malformed: 'charting.refused.malformed',
  exists: 'charting.refused.exists',
  missing: 'charting.refused.missing',
  deleted: 'charting.refused.deleted',
  'conflict-open': 'charting.refused.conflict-open',
  unreadable: 'charting.refused.unreadable',
};

/** The sentence for a failed save: why it was refused, a full disk, or a failure to report. */
export function saveFailureKey(error: unknown): string {
  if (error instanceof LocalEditRefusedError) return refusalKey[error.reason];
  return isStorageFull(error) ? 'charting.diskFull' : 'charting.saveFailed';
}

export type SaveOutcome = Readonly<{ kind: 'idle' }> | Readonly<{ kind: 'saving' }> | Readonly<{ kind: 'saved'; count: number }> | Readonly<{ kind: 'failed'; key: string }>;

export type Write = Readonly<{ op: 'create' | 'update'; resource: FhirResource }>;

/**
 * Writes in order. `retryable`: the writes keep their ids from one attempt to the next (an order and
 * its DetectedIssues), so a create the replica refuses as already there was stored by a failed
 * attempt: it is skipped and the rest is written; any other refusal stops the save.
 */
export async function saveWrites(writes: readonly Write[], saveOne: (write: Write) => Promise<unknown>, retryable: boolean): Promise<void> {
  for (const write of writes) {
    try {
      await saveOne(write);
    } catch (error: unknown) {
      const stored = retryable && write.op === 'create' && error instanceof LocalEditRefusedError && error.reason === 'exists';
      if (!stored) throw error;
    }
  }
}

/**
 * Saves a form's writes to the replica: each is in the chart at once, marked pending, and sync is
 * asked to send them (together, in one transaction, when they share a group).
 */
export function useSaveEdits(
  patient: string,
): Readonly<{ outcome: SaveOutcome; save(writes: readonly Write[], options?: Readonly<{ retryable?: boolean }>): Promise<boolean>; reset(): void }> {
  const workspace = useWorkspace();
  const [outcome, setOutcome] = useState<SaveOutcome>({ kind: 'idle' });
  return {
    outcome,
    reset: () => setOutcome({ kind: 'idle' }),
    async save(writes, options = {}) {
      setOutcome({ kind: 'saving' });
      const group = writes.length > 1 ? window.crypto.randomUUID() : undefined;
      try {
        await saveWrites(writes, (write) => {
          const id = write.resource.id ?? '';
          return workspace.saveEdit({ ref: `${write.resource.resourceType}/${id}`, op: write.op, resource: write.resource, patient, ...(group ? { group } : {}) });
        }, options.retryable === true);
        setOutcome({ kind: 'saved', count: writes.length });
        return true;
      } catch (error: unknown) {
        setOutcome({ kind: 'failed', key: saveFailureKey(error) });
        return false;
      }
    },
  };
}
