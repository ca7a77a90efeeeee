import type { FhirResource, SyncedResource } from '../fhir/resource';

/**
 * The ports the sync engine runs over. The engine (pull.ts, push.ts, scope.ts, engine.ts) is pure:
 * it knows neither HTTP clients, nor RxDB, nor the page. renderer/db implements ReplicaStore over
 * RxDB + our encryption; the host implements FhirTransport (main's origin-pinned transport in
 * Electron, fetch in the web host and in tests).
 */

// ── transport ────────────────────────────────────────────────────────────────────────────────────

export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE';

export type TransportResponse = Readonly<{
  status: number;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string>>;
  /** Parsed JSON body, or null when there is none. Unknown until a schema parses it. */
  body: unknown;
}>;

export type TransportRequest = Readonly<{
  method: HttpMethod;
  /** Relative to the FHIR base (`Observation?_count=100`), or an absolute URL the server returned (a `next` link). */
  target: string;
  headers?: Readonly<Record<string, string>>;
  body?: unknown;
}>;

/**
 * Throws TransportError when no HTTP answer came back (offline, connection dropped, timeout);
 * every HTTP answer, 4xx and 5xx included, is returned as a TransportResponse.
 */
export type FhirTransport = Readonly<{ send(request: TransportRequest): Promise<TransportResponse> }>;

/**
 * A request that got no HIE answer: `offline`/`timeout`/`aborted` (the network, retried), `refused`
 * (this computer would not send it: the address or operation is not the configured HIE's, or the
 * answer broke a size limit), `not-configured` (no HIE is set on this computer).
 */
export class TransportError extends Error {
  readonly kind: 'offline' | 'timeout' | 'aborted' | 'refused' | 'not-configured';
  constructor(kind: TransportError['kind']) {
    super(`transport: ${kind}`);
    this.name = 'TransportError';
    this.kind = kind;
  }
}

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
