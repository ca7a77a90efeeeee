import type { RxJsonSchema } from 'rxdb';
import type { FhirResource, SyncedResource } from '../../shared/fhir/resource';
import type { OutboxEntry, SyncState } from '../../shared/sync/ports';

/**
 * The replica's collections (RxDB's free tier opens at most 13): five, plus `resources` while an
 * older replica's rows are moved to the row store (row-store.ts, legacy-rows.ts): from resources
 * v3 on, the rows are not an RxDB collection; their schema below is the v2 one that is read once. Every document has a few
 * clear fields that say nothing without the vault's keys and that IndexedDB can index — opaque
 * HMAC labels (row id, type, patient key under the vault's index key), a random id or sequence
 * number — and one `body` listed in `encrypted`, which sealing-storage.ts seals with AES-256-GCM
 * under the patient's data key. Dexie storage refuses an index on a field that is not `required`
 * (DXE1).
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

/**
 * Everything about a resource row that says something: its reference, the resource, its patient,
 * the server's version and time it stands on, and whether a local edit waits on it.
 */
export type ResourceBody = Readonly<{
  /** `Type/id`: the FHIR relative reference. */
  ref: string;
  resource: FhirResource;
  patient: string | null;
  /** The stored server version ('' before the HIE has seen it): the base of any local edit. */
  versionId: string;
  lastUpdated: string;
  syncState: SyncState;
}>;

export type ResourceDoc = {
  /** The opaque row id: an HMAC of the ref under the index key (shared/crypto/row-id.ts). */
  id: string;
  /** The row's sealed name: its ref under the shared key, bound to the id; opened only when the body does not open. */
  name: string;
  /** HMAC of the resource type under the index key: the Patient list reads by it. */
  typeKey: string;
  patientKey: string;
  /** Sealed. null when it did not open (tampered, or its key was shredded). */
  body: ResourceBody | null;
};

/** The clear fields of a resources row that its sealed body's AAD binds (sealing-storage.ts): altered, the body no longer opens. */
export const resourceBoundFields = ['name', 'typeKey', 'patientKey'] as const;

/**
 * v2 (from v1): nothing readable without the passphrase. Rows are keyed by an opaque row id instead
 * of `Type/id` (the ref itself sealed in `name`), the type is an HMAC label, and the server version
 * and time and the sync state moved into the sealed body; the clear fields left are bound into the
 * body's AAD.
 * v1 (from v0): versionId and lastUpdated were plaintext (v0 kept them only inside the body).
 */
export const resourcesSchema: RxJsonSchema<ResourceDoc> = {
  title: 'relais replica resources',
  version: 2,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id: opaqueKey,
    name: { type: 'string', maxLength: 400 },
    typeKey: opaqueKey,
    patientKey: opaqueKey,
    body: { type: 'object' },
  },
  required: ['id', 'name', 'typeKey', 'patientKey', 'body'],
  // The chart (patientKey), the Patient list for the search index (typeKey).
  indexes: ['patientKey', 'typeKey'],
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
