import type { SyncStatus } from '../../sync/sync-status';

/** i18n keys of the sync phases (literal, so the catalogue test checks them). */
export const phaseKey: Readonly<Record<SyncStatus['phase'], string>> = {
  idle: 'sync.phase.idle',
  inbox: 'sync.phase.inbox',
  push: 'sync.phase.push',
  scope: 'sync.phase.scope',
  purge: 'sync.phase.purge',
  quarantine: 'sync.phase.quarantine',
  backfill: 'sync.phase.backfill',
  priority: 'sync.phase.priority',
  pull: 'sync.phase.pull',
  deletions: 'sync.phase.deletions',
};
