import { z } from 'zod';
import type { AuditLink } from '../../shared/audit/chain';
import type { KeyHandle } from '../../shared/crypto/webcrypto';
import type { FhirResource } from '../../shared/fhir/resource';
import type { PatientRow } from '../../shared/clinical/patient-directory';
import type { Coordination } from '../../shared/clinical/coordination';
import { auditLinkSchema, replicaNameSchema } from '../../shared/ipc/contract';
import type { PortContract } from '../../shared/ipc/port-rpc';
import type { ConflictRecord, OutboxEntry } from '../../shared/sync/ports';
import { lockedHandoverSchema } from '../../shared/sync/locked-pull';
import { importLimits } from '../../shared/exchange/import-limits';
import type { ImportPreview } from './document-import';
import { syncErrorCodes, type SyncErrorCode } from '../sync/sync-status';

/**
 * The data worker's two contracts (shared/ipc/port-rpc.ts: zod both ways, codes not errors).
 *
 * `dataContract` — the page asks, the data worker answers; the worker pushes events (the sync
 * state, "the replica changed", the emergency list, the first sync done, a wipe carried out).
 * `hostContract` (shared/ipc/host-contract.ts) — the other way: the data worker asks for what
 * only the platform has; main serves it in Electron, the page's host in the web host.
 *
 * Records cross as structured clones; each is checked for the shape of a resource (an object
 * with a resourceType), not parsed field by field: the chart already reads every element as
 * unknown (shared/fhir), and the bodies were authenticated when the replica opened them.
 */

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const resource = z.custom<FhirResource>((value) => isRecord(value) && typeof value['resourceType'] === 'string');
/** A CryptoKey crosses by structured clone, non-extractable as it was made (WebCrypto §14.5): never as bytes. */
const cryptoKey = z.custom<KeyHandle>((value) => typeof CryptoKey !== 'undefined' && value instanceof CryptoKey);
const ref = z.string().regex(/^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/);
const patientRef = z.string().regex(/^Patient\/[A-Za-z0-9\-.]{1,64}$/);
const iso = z.string().max(40);
const none = z.object({}).strict();

const entrySchema = z
  .object({ ref, resourceType: z.string().max(64), syncState: z.enum(['synced', 'pending', 'conflict']), resource: resource.nullable() })
  .strict();

const outboxEntrySchema = z.custom<OutboxEntry>(
  (value) =>
    isRecord(value) &&
    typeof value['id'] === 'string' &&
    typeof value['ref'] === 'string' &&
    (value['op'] === 'create' || value['op'] === 'update' || value['op'] === 'delete') &&
    isRecord(value['resource']) &&
    (value['state'] === 'ready' || value['state'] === 'conflict'),
);
const conflictSchema = z.custom<ConflictRecord>(
  (value) => isRecord(value) && typeof value['id'] === 'string' && typeof value['ref'] === 'string' && isRecord(value['local']) && (value['state'] === 'open' || value['state'] === 'resolved'),
);
/** An identifier rule as the page holds it (IT's policy, or the built-in order with each rule's kind). */
const identifierRuleSchema = z
  .object({
    system: z.string().min(1).max(256).optional(),
    type: z.string().regex(/^[A-Za-z0-9-]{1,20}$/).optional(),
    label: z.string().min(1).max(24),
    kind: z.enum(['ins', 'nhs', 'ihi', 'mrn', 'ipp', 'other', 'technical']).optional(),
  })
  .strict();
const patientRowSchema = z.custom<PatientRow>((value) => isRecord(value) && typeof value['ref'] === 'string' && typeof value['pending'] === 'boolean');
const coordinationSchema = z.custom<Coordination>(
  (value) => isRecord(value) && ['schedule', 'threads', 'referrals', 'todos', 'notifications'].every((key) => Array.isArray(value[key])) && isRecord(value['people']),
);
const linkSchema = auditLinkSchema.transform((link) => link as unknown as AuditLink);

export const syncStatusSchema = z
  .object({
    network: z.enum(['online', 'offline']),
    phase: z.enum(['idle', 'inbox', 'push', 'scope', 'purge', 'quarantine', 'backfill', 'priority', 'pull', 'deletions']),
    progress: z
      .object({
        received: z.number().int().min(0),
        total: z.number().int().min(0).nullable(),
        resumedFrom: z.number().int().min(0),
        patients: z.number().int().min(0),
        type: z.string().max(64).nullable(),
        priority: z.object({ ready: z.number().int().min(0), total: z.number().int().min(0) }).strict().nullable(),
      })
      .strict()
      .nullable(),
    lastSuccessAt: iso.nullable(),
    pendingEdits: z.number().int().min(0),
    openConflicts: z.number().int().min(0),
    // Every code the status store knows (sync/sync-status.ts): a new code is carried without a second list to keep.
    error: z.enum(syncErrorCodes as [SyncErrorCode, ...SyncErrorCode[]]).nullable(),
    needsSignIn: z.boolean(),
    wipeOrdered: z.boolean(),
    nextAttemptAt: iso.nullable(),
    lastReportIdle: z.boolean(),
    refusedRecords: z.number().int().min(0),
  })
  .strict();

export const chainVerdictSchema = z.union([
  z.object({ intact: z.literal(true), length: z.number().int().min(0) }).strict(),
  z.object({ intact: z.literal(false), brokenAt: z.number().int().min(0), length: z.number().int().min(0) }).strict(),
]);

const auditAction = z.enum(['chart-open', 'search', 'create', 'update', 'delete', 'export', 'import', 'break-the-glass']);

/** Why a save was refused (db/errors.ts, EditRefusal), and a full disk: codes the page turns back into its errors. */
export const editRefusalCodes = ['REFUSED_MALFORMED', 'REFUSED_EXISTS', 'REFUSED_MISSING', 'REFUSED_DELETED', 'REFUSED_CONFLICT_OPEN', 'REFUSED_UNREADABLE'] as const;

/** Why a previewed import was not stored (document-import.ts, ImportRefusedError). */
export const importRefusalCodes = ['IMPORT_STALE', 'IMPORT_MISMATCH', 'IMPORT_UNCONFIRMED', 'IMPORT_NOTHING'] as const;

const importPreviewSchema = z.custom<ImportPreview>(
  (value) =>
    isRecord(value) &&
    ((value['ok'] === false && typeof value['code'] === 'string') ||
      (value['ok'] === true && typeof value['id'] === 'string' && typeof value['verdict'] === 'string' && Array.isArray(value['identity']) && Array.isArray(value['sections']) && Array.isArray(value['leftOut']))),
);

export const dataContract = {
  methods: {
    /**
     * Opens the replica with the unlocked vault's keys (moved here, the page keeps none) and starts
     * the sync. Once per worker: a worker serves one session and is ended at lock.
     */
    open: {
      request: z
        .object({
          vault: z.object({ replicaKey: cryptoKey, indexKey: cryptoKey }).strict(),
          replicaName: replicaNameSchema,
          owner: z.object({ practitioner: z.string().regex(/^Practitioner\/[A-Za-z0-9\-.]{1,64}$/), fhirBase: z.string().url() }).strict(),
          initialSyncDone: z.boolean(),
          lastSyncAt: iso.nullable(),
          online: z.boolean(),
          pollMs: z.number().int().min(10).max(3_600_000).optional(),
          /** Another source than the primary HIE: synced and read only (no edit, no access log sent there). */
          readOnly: z.boolean().optional(),
        })
        .strict(),
      response: z.object({ auditIntegrity: chainVerdictSchema }).strict(),
    },
    /** Closes the session; answers what a sync while locked needs to go on (or null: it must not). */
    close: { request: none, response: lockedHandoverSchema.nullable() },
    getResource: { request: z.object({ ref }).strict(), response: entrySchema.nullable() },
    resourcesOfPatient: { request: z.object({ patient: patientRef }).strict(), response: z.array(entrySchema) },
    resourcesOfType: { request: z.object({ type: z.string().regex(/^[A-Z][A-Za-z]{1,63}$/) }).strict(), response: z.array(entrySchema) },
    /**
     * The Patients carrying any of `keys` (`system|value`, shared/exchange/sources.ts
     * identifierKeys, among the policy's `systems`): how a chart finds its patient in another
     * source's replica without the whole Patient list crossing the port on every open.
     */
    patientsByIdentifier: {
      request: z.object({ systems: z.array(z.string().min(1).max(256)).min(1).max(20), keys: z.array(z.string().min(3).max(600)).min(1).max(200) }).strict(),
      response: z.array(entrySchema),
    },
    outbox: { request: none, response: z.array(outboxEntrySchema) },
    /**
     * The patient list's rows, built here from the Patients, Appointments, outbox and change log
     * (shared/clinical/patient-directory.ts): the page receives rows, not every Patient and
     * Appointment of the panel, each time the list is read. `known`: the token of the rows the page
     * holds; when they are still what would be built, `rows` is null (a sync writing other types
     * sends nothing: 10,000 rows crossing the port every few seconds made the page's long tasks).
     */
    patientRows: {
      request: z.object({ now: iso, identifierPriority: z.array(identifierRuleSchema).max(40).nullable(), known: z.number().int().min(0).nullable() }).strict(),
      response: z.object({ token: z.number().int().min(0), rows: z.array(patientRowSchema).nullable() }).strict(),
    },
    recentChanges: { request: none, response: z.array(z.tuple([patientRef, iso])) },
    /**
     * Care coordination (shared/clinical/coordination.ts), built here from the Appointments,
     * Communications, Tasks, ServiceRequests and Practitioners, with what is new since the seen marks.
     */
    coordination: {
      request: z.object({ now: iso, known: z.number().int().min(0).nullable() }).strict(),
      // `known` as for the patient rows: the model is null when the page holds it already.
      response: z.object({ token: z.number().int().min(0), model: coordinationSchema.nullable() }).strict(),
    },
    // The limit is the panel's size (the list shows every match): the design point's 2,500 and far beyond.
    searchPatientRefs: { request: z.object({ text: z.string().max(200), limit: z.number().int().min(1).max(1_000_000) }).strict(), response: z.array(patientRef) },
    listConflicts: { request: none, response: z.array(conflictSchema) },
    /**
     * What the clinician has already seen of their messages and notifications on this device: keys
     * `<ref>@<versionId>` (a message read, a referral's answer seen, a result looked at), sealed in
     * the replica's meta like a checkpoint. `markSeen` adds keys and keeps the set to `keep` (the
     * keys still in use) when given.
     */
    seenMarks: { request: none, response: z.array(z.string().max(200)) },
    markSeen: { request: z.object({ keys: z.array(z.string().max(200)).max(10_000), keep: z.array(z.string().max(200)).max(200_000).optional() }).strict(), response: z.null() },
    auditTrail: { request: none, response: z.array(linkSchema) },
    auditPending: { request: none, response: z.array(linkSchema) },
    saveEdit: {
      request: z
        .object({ ref, op: z.enum(['create', 'update', 'delete']), resource, patient: patientRef.nullable(), group: z.string().max(64).optional() })
        .strict(),
      response: outboxEntrySchema.nullable(),
    },
    /**
     * A document file (a FHIR Bundle or a C-CDA, as text) read and planned against one patient's
     * chart in the worker; the answer is the preview the clinician confirms, or why the file was
     * refused. Nothing is stored. `importCommit` stores the last preview (IMPORT_* codes otherwise).
     */
    importPreview: {
      request: z
        .object({
          patient: patientRef,
          fileName: z.string().max(255),
          // Larger is refused as a sentence (parseDocument) rather than as a broken call.
          data: z.custom<ArrayBuffer>((v) => v instanceof ArrayBuffer && v.byteLength <= importLimits.maxBytes + 1),
          language: z.enum(['fr', 'en']),
          dateOrder: z.enum(['dmy', 'mdy']).optional(),
        })
        .strict(),
      response: importPreviewSchema,
    },
    importCommit: {
      request: z.object({ id: z.string().max(64), confirmed: z.boolean() }).strict(),
      response: z.object({ added: z.number().int().min(0), provenance: ref }).strict(),
    },
    resolveConflict: {
      request: z
        .object({
          id: z.string().max(64),
          choice: z.union([z.object({ keep: z.enum(['local', 'remote']) }).strict(), z.object({ merged: resource }).strict()]),
        })
        .strict(),
      response: z.null(),
    },
    record: {
      request: z
        .object({
          action: auditAction,
          patient: patientRef.nullable(),
          resource: ref.optional(),
          queryKind: z.string().max(32).optional(),
          emergency: z.object({ reason: z.string().max(2000) }).strict().nullable().optional(),
        })
        .strict(),
      response: z.null(),
    },
    emergencyGranted: { request: z.object({ patient: patientRef }).strict(), response: z.null() },
    syncNow: { request: none, response: z.null() },
    resume: { request: none, response: z.null() },
    needsSignIn: { request: none, response: z.null() },
    network: { request: z.object({ online: z.boolean() }).strict(), response: z.null() },
  },
  events: {
    status: syncStatusSchema,
    changed: z.object({ cause: z.enum(['page', 'run', 'edit']) }).strict(),
    emergency: z.object({ patients: z.array(patientRef) }).strict(),
    initialSyncDone: none,
    wiped: z.object({ complete: z.boolean(), failed: z.array(z.enum(['device-secret', 'replica', 'local-data'])) }).strict(),
    /** While `open` runs: an older replica's rows being moved to this release's store. */
    upgrading: z.object({ moved: z.number().int().min(0), total: z.number().int().min(0) }).strict(),
  },
  codes: ['NOT_OPEN', 'ALREADY_OPEN', 'READ_ONLY_SOURCE', 'VAULT_MISMATCH', 'REPLICA_TOO_NEW', 'STORAGE_FULL', 'CONFLICT_NOT_OPEN', 'NOT_WRITTEN', ...editRefusalCodes, ...importRefusalCodes],
} as const satisfies PortContract;

/** The data worker's first message: it carries the port to the page's host services (hostContract). */
export const hostPortMessage = 'relais/host-port';

export type DataContract = typeof dataContract;
