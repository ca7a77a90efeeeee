import type { WebCrypto } from '../../shared/crypto/webcrypto';
import type { ChangeLog } from './change-log';
import type { ReplicaDatabase } from './database';
import type { IntegrityLog } from './integrity-log';
import type { KeyRing } from './key-ring';
import type { OutboxStore } from './outbox-store';
import type { PatientSearchIndex } from './patient-search';
import type { PreparedRow } from './resource-docs';
import type { ResourceRevisions } from './revisions';
import type { RowStore } from './row-store';
import type { UnsettledSet } from './unsettled';
import type { WriteQueue } from './write-queue';

/** What the replica's operations share once it is open. */
export type ReplicaContext = ReplicaDatabase &
  Readonly<{
    crypto: WebCrypto;
    keyRing: KeyRing;
    /** The resource rows (row-store.ts): sealed by resource-docs.ts, which is the only reader and writer. */
    rows: RowStore;
    outbox: OutboxStore;
    search: PatientSearchIndex;
    integrity: IntegrityLog;
    /** When each patient's record last changed on the HIE (the "recently changed" filter). */
    changes: ChangeLog;
    queue: WriteQueue;
    /**
     * The audit trail's own queue (audit-log.ts): its links are ordered among themselves only, so
     * recording an access (which a chart waits for before it shows) never waits behind a page a sync
     * is writing.
     */
    auditQueue: WriteQueue;
    /** Refs whose row may say pending or conflict (recovery reads them at open). */
    unsettled: UnsettledSet;
    /** Counts every change to a resource row or the outbox (what a ReplicaEntry shows), in all and per type: readers keep what they read until it moves. */
    revision: ResourceRevisions;
    /** Server rows sealed ahead of their write, by resource (resource-docs.ts prepareRows). */
    prepared: WeakMap<object, Promise<PreparedRow | null>>;
    /** ISO instant, for createdAt. */
    now(): string;
    newId(): string;
  }>;

/** A random (v4) UUID from the injected WebCrypto: ids of creates, outbox entries, conflicts. */
export function randomUuid(crypto: WebCrypto): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
