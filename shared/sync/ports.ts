import type { FhirResource, SyncedResource } from '../fhir/resource';

/**
 * The ports the sync engine runs over. The engine (pull.ts, push.ts, scope.ts, engine.ts) is pure:
 * it knows neither HTTP clients, nor RxDB, nor the page. renderer/db implements ReplicaStore over
 * RxDB + our encryption; the HIE is reached through shared/hie's FhirTransport port.
 */

export type Clock = Readonly<{ now(): number }>;

// ── replica ──────────────────────────────────────────────────────────────────────────────────────

export type SyncState = 'synced' | 'pending' | 'conflict';

/** What the engine needs to know of a stored resource without decrypting it. */
export type StoredMeta = Readonly<{
  ref: string;
  versionId: string | null;
  lastUpdated: string | null;
  syncState: SyncState;
}>;

export type ServerRow = Readonly<{ resource: SyncedResource; patient: string | null }>;

/** A local edit waiting for the HIE. Written with strict durability: the source of truth for unsent work. */
export type OutboxEntry = Readonly<{
  id: string;
  ref: string;
  op: 'create' | 'update' | 'delete';
  /** The resource as the clinician saved it (for delete: the last known version). */
  resource: FhirResource;
  /** The server version the edit was made on; null for a create. */
  baseVersionId: string | null;
  /** The resource as it was when the edit started (for a three-way merge); null for a create. */
  base: FhirResource | null;
  patient: string | null;
  /** Edits sharing a group go to the HIE in one transaction Bundle. */
  group: string;
  createdAt: string;
  state: 'ready' | 'conflict';
}>;

export type ConflictRecord = Readonly<{
  id: string;
  ref: string;
  patient: string | null;
  outboxId: string;
  base: FhirResource | null;
  local: FhirResource;
  /** null: the HIE deleted it. */
  remote: SyncedResource | null;
  fields: readonly string[];
  state: 'open' | 'resolved';
  createdAt: string;
}>;

export type ReplicaStore = Readonly<{
  // scope
  patientsInReplica(): Promise<readonly string[]>;
  /** Removes every document of the patient, its outbox and conflicts, then destroys its data key. */
  purgePatient(patient: string): Promise<void>;

  // checkpoints (one per stream: a resource type, or `history`)
  readCheckpoint(stream: string): Promise<unknown>;
  writeCheckpoint(stream: string, value: unknown): Promise<void>;

  // server data
  metaOf(refs: readonly string[]): Promise<ReadonlyMap<string, StoredMeta>>;
  /** Writes server versions, creating patient keys as needed. Never called for a pending or conflicted ref. */
  putServerResources(rows: readonly ServerRow[]): Promise<void>;
  /**
   * A hint, never a write: these rows will probably be written soon; a store may seal them now,
   * while an earlier write is still on disk (shared/sync/pull.ts). putServerResources decides, as
   * ever, what is written; what was prepared is used only if it is still exactly what it would
   * write. Never throws, never waits.
   */
  prepareServerResources?(rows: readonly ServerRow[]): void;
  removeResources(refs: readonly string[]): Promise<void>;
  /** Refs whose stored ciphertext failed its integrity check: the next sync re-fetches them. */
  quarantined(): Promise<readonly string[]>;
  clearQuarantine(refs: readonly string[]): Promise<void>;

  // local edits
  outbox(): Promise<readonly OutboxEntry[]>;
  /** The HIE has the edit: drop the entry, store the server's version as synced. */
  acknowledge(entryId: string, server: SyncedResource | null): Promise<void>;
  /** Replace an entry (after a safe merge onto a newer server version). */
  replaceOutboxEntry(entry: OutboxEntry): Promise<void>;
  /** Park the entry and record both versions for the clinician. The local edit stays in the replica. */
  openConflict(conflict: ConflictRecord): Promise<void>;
}>;
