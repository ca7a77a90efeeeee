import { create } from 'zustand';
import type { HieSession } from '../host/host';
import type { LockedProgress } from './locked-sync-client';
import type { OtherSources } from './other-sources';
import type { Workspace } from './workspace';

/**
 * Where the clinician is in the day's life cycle. Patient data exists only in `unlocked`; every
 * other state shows a screen that holds none.
 */
export type LockReason = 'start' | 'idle' | 'manual';

export type SessionView =
  | Readonly<{ kind: 'starting' }>
  | Readonly<{ kind: 'sign-in'; errorKey: string | null; busy: boolean }>
  | Readonly<{ kind: 'choose-passphrase'; session: HieSession; errorKey: string | null; busy: boolean }>
  | Readonly<{
      kind: 'locked';
      reason: LockReason;
      errorKey: string | null;
      busy: boolean;
      /** While unlocking: an older replica being moved to this release's store (rows moved, of how many). */
      upgrade?: Readonly<{ moved: number; total: number }>;
    }>
  /** `sources`: the other FHIR sources of this session (read only; other-sources.ts). */
  | Readonly<{ kind: 'unlocked'; workspace: Workspace; sources: OtherSources }>
  /** The platform cannot hold keys here (no OS keychain): nothing can be opened; IT must act. */
  | Readonly<{ kind: 'unavailable'; errorKey: string }>;

export type SessionState = Readonly<{
  view: SessionView;
  idleMinutes: number;
  /** The first complete sync has finished on this device. */
  initialSyncDone: boolean;
  /** While locked: how far the sync got since the lock (a count, never a record); null when it is not running. */
  lockedSync: LockedProgress | null;
  /** While locked: each other source's sync (a count, never a record); `wiped` when that source withdrew this device meanwhile. */
  lockedSources: readonly LockedSourceProgress[];
}>;

export type LockedSourceProgress = Readonly<{ id: string; label: string; received: number; state: LockedProgress['state'] | 'wiped' }>;

export const createSessionStore = (initial: Readonly<{ idleMinutes: number }>) =>
  create<SessionState>()(() => ({ view: { kind: 'starting' }, idleMinutes: initial.idleMinutes, initialSyncDone: false, lockedSync: null, lockedSources: [] }));

export type SessionStore = ReturnType<typeof createSessionStore>;
