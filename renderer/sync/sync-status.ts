import { createStore } from 'zustand/vanilla';
import type { SyncPhase } from '../../shared/sync/engine';
import type { SyncStopCode } from '../../shared/hie/errors';

/**
 * What the clinician sees of sync, always: network, what is happening, how far, when it last
 * worked, what is waiting, and what went wrong as a code the UI turns into a sentence
 * (i18n `sync.error.<code>`). Offline is a state, not an error.
 */
export type SyncErrorCode = Exclude<SyncStopCode, 'OFFLINE'> | 'LOCAL_STORAGE' | 'INTERNAL';

export type SyncStatus = Readonly<{
  network: 'online' | 'offline';
  /** `inbox`: folding in what the sync received while the screen was locked. */
  phase: SyncPhase | 'idle' | 'inbox';
  /**
   * `resumedFrom`: of `received`, what earlier interrupted runs of the initial sync brought;
   * `priority`: the day's patients fetched first (shared/sync/priority.ts), once known in this run.
   */
  progress: Readonly<{
    received: number; total: number | null; resumedFrom: number; patients: number; type: string | null;
    priority: Readonly<{ ready: number; total: number }> | null;
  }> | null;
  lastSuccessAt: string | null;
  pendingEdits: number;
  openConflicts: number;
  error: SyncErrorCode | null;
  needsSignIn: boolean;
  /** The HIE revoked this user or device: the replica is being (or has been) erased. */
  wipeOrdered: boolean;
  nextAttemptAt: string | null;
  lastReportIdle: boolean;
  /** Since unlock: records the HIE sent that name no resolvable patient (or several), refused and never stored. */
  refusedRecords: number;
}>;

export const initialSyncStatus: SyncStatus = {
  network: 'online',
  phase: 'idle',
  progress: null,
  lastSuccessAt: null,
  pendingEdits: 0,
  openConflicts: 0,
  error: null,
  needsSignIn: false,
  wipeOrdered: false,
  nextAttemptAt: null,
  lastReportIdle: false,
  refusedRecords: 0,
};

export const createSyncStatusStore = () => createStore<SyncStatus>()(() => initialSyncStatus);
export type SyncStatusStore = ReturnType<typeof createSyncStatusStore>;

/** The i18n key of the sentence for an error code (every code has one: tests/unit/renderer/i18n). */
export const syncErrorSentence = (code: SyncErrorCode): `sync.error.${SyncErrorCode}` => `sync.error.${code}`;

// A record, so the compiler refuses a new code without an entry here.
const everyCode: Readonly<Record<SyncErrorCode, true>> = {
  AUTH_REQUIRED: true,
  SERVER_BUSY: true,
  SERVER_ERROR: true,
  MALFORMED_RESPONSE: true,
  UNEXPECTED_STATUS: true,
  LOCAL_STORAGE: true,
  INTERNAL: true,
  WIPE_REQUIRED: true,
  HIE_REFUSED: true,
  HIE_NOT_CONFIGURED: true,
};
export const syncErrorCodes = Object.keys(everyCode) as SyncErrorCode[];
