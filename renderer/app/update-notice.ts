import type { UpdateStatus } from '../../shared/ipc/contract';
import type { SyncStatus } from '../sync/sync-status';

/** The work an install would cut short, as the page knows it (electron/updates/install-moment.ts decides); `otherSourcesWriting`: another source's sync is in a phase other than idle. */
export const workInProgress = (sync: Pick<SyncStatus, 'pendingEdits' | 'phase'>, unsavedInput: boolean, otherSourcesWriting = false) => ({
  unsentEntries: sync.pendingEdits,
  // Any phase but idle writes to a replica (a pull, a push, the fold-in of what came while locked), the HIE's or another source's.
  syncWriting: sync.phase !== 'idle' || otherSourcesWriting,
  unsavedInput,
});

/** What the update notice says: nothing until an update is ready; then what it waits for, or the install button. */
export type UpdateNotice =
  | null
  | Readonly<{ version: string; waits: 'locked' }>
  | Readonly<{ version: string; waits: readonly ('unsent-entries' | 'sync-writing' | 'unsaved-input')[] }>;

export function updateNotice(status: UpdateStatus, unlocked: boolean): UpdateNotice {
  if (status.state !== 'ready') return null;
  // Locked, the page cannot read the outbox: the update waits, and says to unlock.
  if (!unlocked) return { version: status.version, waits: 'locked' };
  return { version: status.version, waits: status.waitingFor };
}

/** How often the page repeats its report, so that main never acts on an old one (it treats a report over 3 minutes old as unknown). */
export const workReportIntervalMs = 60_000;
