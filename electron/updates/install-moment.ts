/**
 * When a downloaded, verified update may be installed (issue 16, point 1): only at a moment that
 * cannot lose work. Never while the outbox holds entries not yet on the HIE (they are the only copy
 * of what the clinician recorded offline), never while a sync is writing to the replica, never while
 * a form holds input not yet saved. Until then it waits, and the clinician is told why (the reasons,
 * as i18n keys the page turns into sentences).
 */
export type WorkInProgress = Readonly<{
  /** Outbox entries not yet acknowledged by the HIE (the primary's outbox; other sources have none). */
  unsentEntries: number;
  /** A sync is writing to a replica (pull, push, fold-in of what was received while locked). */
  syncWriting: boolean;
  /** An open form has input not saved yet. */
  unsavedInput: boolean;
}>;

export type WaitReason = 'unsent-entries' | 'sync-writing' | 'unsaved-input';

export type InstallMoment = Readonly<{ install: true }> | Readonly<{ install: false; waitingFor: readonly WaitReason[] }>;

/** Install now, or wait for what it lists. A state that cannot be read counts as work in progress. */
export function installMoment(work: WorkInProgress | null): InstallMoment {
  if (work === null) return { install: false, waitingFor: ['unsent-entries', 'sync-writing', 'unsaved-input'] };
  const waitingFor: WaitReason[] = [];
  if (!Number.isInteger(work.unsentEntries) || work.unsentEntries !== 0) waitingFor.push('unsent-entries');
  if (work.syncWriting) waitingFor.push('sync-writing');
  if (work.unsavedInput) waitingFor.push('unsaved-input');
  return waitingFor.length === 0 ? { install: true } : { install: false, waitingFor };
}
