import type { RxJsonSchema } from 'rxdb';
import type { FhirResource, SyncedResource } from '../../shared/fhir/resource';
import type { OutboxEntry, SyncState } from '../../shared/sync/ports';

/**
 * The replica's five collections (RxDB's free tier opens at most 13). Every document has a few
 * plaintext fields that identify nobody and that IndexedDB can index — resource type, an opaque
 * patient key (HMAC under the vault's index key), server version and time, sync state — and one
 * `body` listed in `encrypted`, which sealing-storage.ts seals with AES-256-GCM under the patient's
 * data key. Dexie storage refuses an index on a field that is not `required` (DXE1).
 *
 * The key used for a document is found from its plaintext `patientKey` (see key-ring.ts);
 * `sharedKeyId` marks data that belongs to no patient (Practitioner, Organization, checkpoints).
 */
export const sharedKeyId = 'shared';

export const collectionNames = {
  resources: 'resources',
  outbox: 'outbox',
  conflicts: 'conflicts',
  keys: 'keys',
  meta: 'meta',
  audit: 'audit',
} as const;

const opaqueKey = { type: 'string', maxLength: 32 } as const;

// ── resources ───────────────────────────────────────────────────────────────────────────────────

export type ResourceBody = Readonly<{ resource: FhirResource; patient: string | null }>;

export type ResourceDoc = {
  /** `Type/id`: the FHIR relative reference. */
  ref: string;
  type: string;
  patientKey: string;
  /** The stored server version ('' before the HIE has seen it): the base of any local edit. */
  versionId: string;
  lastUpdated: string;
  syncState: SyncState;
  /** Sealed. null when it did not open (tampered, or its key was shredded). */
  body: ResourceBody | null;
};

/**
 * v1 (from v0): versionId and lastUpdated became plaintext, so the engine's metaOf() reads no
 * ciphertext (they are server bookkeeping, like the type). v0 kept them only inside the body.
 */
export const resourcesSchema: RxJsonSchema<ResourceDoc> = {
  title: 'relais replica resources',
  version: 1,
  primaryKey: 'ref',
  type: 'object',
  additionalProperties: false,
  properties: {
    ref: { type: 'string', maxLength: 140 },
    type: { type: 'string', maxLength: 64 },
    patientKey: opaqueKey,
    versionId: { type: 'string', maxLength: 128 },
    lastUpdated: { type: 'string', maxLength: 40 },
    syncState: { type: 'string', enum: ['synced', 'pending', 'conflict'], maxLength: 8 },
    body: { type: 'object' },
  },
  required: ['ref', 'type', 'patientKey', 'versionId', 'lastUpdated', 'syncState', 'body'],
  // The chart (patientKey), the Patient list for the search index (type), the pending count (syncState).
  indexes: ['patientKey', 'type', 'syncState'],
  encrypted: ['body'],
};

// ── outbox ──────────────────────────────────────────────────────────────────────────────────────

export type OutboxBody = Omit<OutboxEntry, 'id'>;

export type OutboxDoc = {
  id: string;
  patientKey: string;
  body: OutboxBody | null;
};

export const outboxSchema: RxJsonSchema<OutboxDoc> = {
  title: 'relais local edits waiting for the HIE',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string', maxLength: 40 },
    patientKey: opaqueKey,
    body: { type: 'object' },
  },
  required: ['id', 'patientKey', 'body'],
  indexes: ['patientKey'],
  encrypted: ['body'],
};

// ── conflicts ───────────────────────────────────────────────────────────────────────────────────

export type ConflictBody = Readonly<{
  ref: string;
  patient: string | null;
  outboxId: string;
  base: FhirResource | null;
  local: FhirResource;
  remote: SyncedResource | null;
  fields: readonly string[];
  createdAt: string;
  /** How the clinician resolved it (absent while open). */
  resolution?: 'local' | 'remote' | 'merged';
}>;

export type ConflictDoc = {
  id: string;
  patientKey: string;
  state: 'open' | 'resolved';
  body: ConflictBody | null;
};

export const conflictsSchema: RxJsonSchema<ConflictDoc> = {
  title: 'relais conflicts waiting for the clinician',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string', maxLength: 40 },
    patientKey: opaqueKey,
    state: { type: 'string', enum: ['open', 'resolved'], maxLength: 8 },
    body: { type: 'object' },
  },
  required: ['id', 'patientKey', 'state', 'body'],
  indexes: ['patientKey', 'state'],
  encrypted: ['body'],
};

// ── keys ────────────────────────────────────────────────────────────────────────────────────────

export type KeyBody = Readonly<{ patient: string | null }>;

export type KeyDoc = {
  patientKey: string;
  /** The data key wrapped by the replica key (AES-GCM, AAD `data-key|<patientKey>`); '' once shredded. */
  wrapped: string;
  /** Sealed under the very key this document wraps: deleting the key makes it unreadable too. */
  body: KeyBody | null;
};

export const keysSchema: RxJsonSchema<KeyDoc> = {
  title: 'relais wrapped data keys',
  version: 0,
  primaryKey: 'patientKey',
  type: 'object',
  additionalProperties: false,
  properties: {
    patientKey: opaqueKey,
    wrapped: { type: 'string' },
    body: { type: 'object' },
  },
  required: ['patientKey', 'wrapped', 'body'],
  encrypted: ['body'],
};

// ── meta ────────────────────────────────────────────────────────────────────────────────────────

export type MetaBody = Readonly<{ value: unknown }>;

export type MetaDoc = {
  /** `checkpoint|<stream>`, `quarantine`. */
  id: string;
  body: MetaBody | null;
};

export const metaSchema: RxJsonSchema<MetaDoc> = {
  title: 'relais replica bookkeeping',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string', maxLength: 200 },
    body: { type: 'object' },
  },
  required: ['id', 'body'],
  encrypted: ['body'],
};

// ── audit ───────────────────────────────────────────────────────────────────────────────────────

export type AuditBody = Readonly<{ previous: string; hash: string; event: FhirResource; form?: 2; eventDigest?: string; redacted?: true }>;

export type AuditDoc = {
  /** The link's sequence number, zero-padded so that string order is numeric order. */
  seq: string;
  /**
   * Sealed under the shared key: the audit trail outlives a patient's purge, as it must; once the
   * HIE holds an event about a patient who left the scope, what names the patient is withheld
   * (shared/audit/chain.ts, redactedLink).
   */
  body: AuditBody | null;
};

export const auditSeqId = (seq: number): string => String(seq).padStart(12, '0');

export const auditSchema: RxJsonSchema<AuditDoc> = {
  title: 'relais audit trail (append-only hash chain)',
  version: 0,
  primaryKey: 'seq',
  type: 'object',
  additionalProperties: false,
  properties: {
    seq: { type: 'string', maxLength: 12 },
    body: { type: 'object' },
  },
  required: ['seq', 'body'],
  encrypted: ['body'],
};
