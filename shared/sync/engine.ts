import { z } from 'zod';
import { syncedResourceSchema, parseReference } from '../fhir/resource';
import { isPatientRef, patientOf, type ReferenceContext } from '../fhir/compartment';
import { refreshSyncedTypes, storedSyncedTypes } from './resource-types';
import { emptyCheckpoint, readPullCheckpoint } from './checkpoint';
import { uploadAudit, type AuditSource } from '../audit/upload';
import { changedSince, pullDeletions, startHistoryIfNeeded, type DeletionCounts } from './history';
import type { ReplicaStore } from './ports';
import type { FhirTransport } from '../hie/transport';
import { emptyPullCounts, pullType, type PullCounts } from './pull';
import { pushOutbox, type PushCounts } from './push';
import { exchange } from '../hie/exchange';
import { SyncStop } from '../hie/errors';
import { backfillPatient, readScopeAtLastSync, scopeStream } from './backfill';
import { readScope } from './scope';
import { dayPatients, fetchDayPatients, markCompleted, needsPriority, type PriorityProgress } from './priority';

/**
 * One synchronization, in the order that protects the clinician's work and the patients' privacy:
 *   1. push the outbox (local edits are the one thing the HIE cannot give back), then the audit trail;
 *   2. read the scope and purge (crypto-shred) every patient who left it;
 *   3. re-fetch what failed its integrity check (quarantine);
 *   4. pull each resource type from its checkpoint (scope-filtered);
 *   5. apply deletions from the HIE's history.
 * Any SyncStop (401, 429/503, offline, malformed answer) ends the run where it is: what was
 * committed stays committed, nothing after it is advanced.
 */
export type SyncPhase = 'push' | 'scope' | 'purge' | 'quarantine' | 'backfill' | 'priority' | 'pull' | 'deletions';

export type SyncProgress = Readonly<{
  phase: SyncPhase;
  type?: string;
  /** Resources received so far (pull phase): this run's, plus `resumedFrom`. */
  received: number;
  /** Expected total when known (initial sync: from `_summary=count`). */
  total: number | null;
  /** Of `received`, what earlier interrupted runs of the initial sync already brought (0 otherwise). */
  resumedFrom?: number;
  patients: number;
  /** The day's patients (priority.ts): how many charts are ready of how many, once known in this run. */
  priority?: PriorityProgress;
}>;

export type SyncReport = Readonly<{
  /** True when a live poll found nothing to do and made no other request. */
  idle: boolean;
  auditUploaded: number;
  /** Uploaded audit events about patients now outside the scope whose patient was withheld locally. */
  auditRedacted: number;
  patients: number;
  purged: number;
  push: PushCounts;
  pull: Readonly<Record<string, PullCounts>>;
  deletions: DeletionCounts;
  refetched: number;
  /** Patients who joined the scope since the last sync, fetched whole with $everything. */
  backfilled: number;
  /** The day's patients fetched whole before the pull (0 when the sync did not need it). */
  dayPatients: number;
  /** Patients in scope through emergency access only (their chart opens are flagged BTG). */
  emergencyPatients: readonly string[];
  /** Patient data the HIE sent that names no resolvable patient, or several: refused, never stored. */
  refused: number;
}>;

export type SyncOptions = Readonly<{
  transport: FhirTransport;
  store: ReplicaStore;
  /** `Practitioner/<id>`: whose panel this replica holds. */
  practitioner: string;
  /** The types to pull; by default, what the HIE's CapabilityStatement offers (resource-types.ts). */
  types?: readonly string[];
  /** The HIE's FHIR base, against which absolute references are resolved. */
  fhirBase?: string;
  pageSize?: number;
  newId: () => string;
  now: () => string;
  onProgress?: (progress: SyncProgress) => void;
  /** Live polling: when nothing is waiting locally, ask the HIE's history first and stop if nothing changed. */
  skipIfUnchanged?: boolean;
  /** The audit trail to upload (after the outbox, before anything else). */
  audit?: AuditSource;
}>;

const baseOf = (options: Readonly<{ fhirBase?: string }>): ReferenceContext => (options.fhirBase === undefined ? {} : { fhirBase: options.fhirBase });

const countSchema = z.object({ resourceType: z.literal('Bundle'), total: z.number().int().nonnegative() }).loose();

/** `_summary=count` of one search, or null when the HIE does not answer with a count. */
async function countOf(options: SyncOptions, search: string): Promise<number | null> {
  const response = await exchange(options.transport, { method: 'GET', target: `${search}${search.includes('?') ? '&' : '?'}_summary=count` });
  const parsed = countSchema.safeParse(response.body);
  return parsed.success ? parsed.data.total : null;
}

export type InitialTotals = Readonly<{
  total: number;
  resumedFrom: number;
  /** Each counted type's count on the HIE. */
  counts: ReadonlyMap<string, number>;
}>;

/**
 * The initial sync's size, for an honest progress bar: every type's count. Resumed after an
 * interruption (some types already have a checkpoint, no complete sync yet), what earlier runs
 * already brought is counted too (each such type's count minus what is left past its
 * checkpoint), so the bar resumes where it stopped instead of starting over on a smaller total.
 * After a complete sync only a type never pulled (one added by an update) is counted; null when
 * there is nothing to count, or the HIE gives no counts.
 */
export async function initialTotals(options: SyncOptions, types: readonly string[], firstSyncDone: boolean): Promise<InitialTotals | null> {
  let total = 0;
  let resumedFrom = 0;
  let any = false;
  const counts = new Map<string, number>();
  for (const type of types) {
    const checkpoint = readPullCheckpoint(await options.store.readCheckpoint(type));
    if (checkpoint !== null && firstSyncDone) continue;
    const all = await countOf(options, type);
    if (all === null) return null;
    any = true;
    total += all;
    counts.set(type, all);
    if (checkpoint === null || checkpoint.lastUpdated === '') continue;
    const left = await countOf(options, `${type}?_lastUpdated=ge${encodeURIComponent(checkpoint.lastUpdated)}`);
    if (left === null) return null;
    resumedFrom += Math.max(0, all - left);
  }
  return any ? { total, resumedFrom, counts } : null;
}

async function refetchQuarantined(options: SyncOptions, scope: ReadonlySet<string>): Promise<number> {
  const refs = await options.store.quarantined();
  const settled: string[] = [];
  for (const ref of refs) {
    if (parseReference(ref) === null) {
      settled.push(ref);
      continue;
    }
    const response = await exchange(options.transport, { method: 'GET', target: ref }, [200, 403, 404, 410]);
    const resource = syncedResourceSchema.safeParse(response.body);
    const patient = resource.success ? patientOf(resource.data, baseOf(options)) : null;
    if (response.status === 200 && resource.success && (patient === null || (isPatientRef(patient) && scope.has(patient)))) {
      await options.store.putServerResources([{ resource: resource.data, patient }]);
    } else {
      await options.store.removeResources([ref]);
    }
    settled.push(ref);
  }
  await options.store.clearQuarantine(settled);
  return settled.length;
}

const emptyPush: PushCounts = { sent: 0, merged: 0, conflicts: 0, refused: 0, transactions: 0 };

/** No local edit to send, nothing quarantined, every stream already started. */
/** Set when a run's history showed the scope changing after that run had read it (history.ts `scopeChanged`): the next run is a whole one. */
export const scopeStaleStream = '_scope-stale';

async function nothingWaiting(options: SyncOptions): Promise<boolean> {
  if ((await options.store.outbox()).some((e) => e.state === 'ready')) return false;
  if ((await options.store.readCheckpoint(scopeStaleStream)) === true) return false;
  if ((await options.store.quarantined()).length > 0) return false;
  if (options.audit !== undefined && (await options.audit.pending()).length > 0) return false;
  const types = options.types ?? (await storedSyncedTypes(options.store));
  if (types === null) return false;
  for (const type of types) {
    if (readPullCheckpoint(await options.store.readCheckpoint(type)) === null) return false;
  }
  return true;
}

export async function synchronize(options: SyncOptions): Promise<SyncReport> {
  const pageSize = options.pageSize ?? 500;
  const report = (phase: SyncPhase, extra: Partial<SyncProgress> = {}): void =>
    options.onProgress?.({ phase, received: 0, total: null, patients: 0, ...extra });

  if (options.skipIfUnchanged === true && (await nothingWaiting(options)) && !(await changedSince(options.transport, options.store))) {
    return { idle: true, auditUploaded: 0, auditRedacted: 0, patients: 0, purged: 0, push: emptyPush, pull: {}, deletions: { deleted: 0, pages: 0, keptForConflict: 0, scopeChanged: false }, refetched: 0, backfilled: 0, dayPatients: 0, emergencyPatients: [], refused: 0 };
  }

  report('push');
  const push = await pushOutbox({ transport: options.transport, store: options.store, newId: options.newId, now: options.now, ...baseOf(options) });

  const auditUploaded = options.audit === undefined ? 0 : await uploadAudit(options.transport, options.audit);

  report('scope');
  const scope = await readScope(options.transport, options.practitioner, baseOf(options));
  if ((await options.store.readCheckpoint(scopeStaleStream)) === true) await options.store.writeCheckpoint(scopeStaleStream, false);
  const patients = scope.patients.size;

  report('purge', { patients });
  let purged = 0;
  for (const patient of await options.store.patientsInReplica()) {
    if (scope.patients.has(patient)) continue;
    await options.store.purgePatient(patient);
    purged += 1;
  }

  report('quarantine', { patients });
  const refetched = await refetchQuarantined(options, scope.patients);

  // A patient who joined the scope (panel change, emergency access) has records older than every
  // checkpoint: the type pulls would never see them. Fetch those patients whole, once.
  const previous = await readScopeAtLastSync(options.store);
  const joined = previous === null ? [] : [...scope.patients].filter((p) => !previous.has(p));
  report('backfill', { patients });
  for (const patient of joined) await backfillPatient(options.transport, options.store, scope.patients, patient, pageSize, options.fhirBase);
  const types = options.types ?? (await refreshSyncedTypes(options.transport, options.store));

  // History starts before the first pull, so a deletion made during a long initial sync is not missed.
  await startHistoryIfNeeded(options.store, scope.serverDate, options.transport);
  // The day's patients first, on a first sync or after a long absence (priority.ts).
  const serverMs = scope.serverDate === null ? Number.NaN : Date.parse(scope.serverDate);
  const serverNow = Number.isNaN(serverMs) ? options.now() : new Date(serverMs).toISOString();
  let priority: PriorityProgress | undefined;
  let dayCount = 0;
  if (types.includes('Appointment') && (await needsPriority(options.store, serverNow))) {
    try {
      const day = await dayPatients(options.transport, options.practitioner, scope.patients, serverNow, options.fhirBase);
      dayCount = day.length;
      await fetchDayPatients(options.transport, options.store, scope.patients, day, pageSize, (progress) => {
        priority = progress;
        report('priority', { patients, priority });
      }, options.fhirBase);
    } catch (error: unknown) {
      // An HIE without the appointment search or $everything (400, 404, 501…), or a malformed or
      // failed answer there, only loses the head start: the pull brings everything as before.
      // Anything else that stops a sync (offline, auth, busy, refused, a wipe) still stops it.
      // (HIE_REFUSED too: a patient's $everything page over the answer limit; a refused address stops the pull that follows.)
      if (!(error instanceof SyncStop) || !['UNEXPECTED_STATUS', 'MALFORMED_RESPONSE', 'SERVER_ERROR', 'HIE_REFUSED'].includes(error.code)) throw error;
      dayCount = 0;
      priority = undefined;
    }
  }

  const totals = await initialTotals(options, types, previous !== null);
  const total = totals?.total ?? null;
  const resumedFrom = totals?.resumedFrom ?? 0;
  const pull: Record<string, PullCounts> = {};
  let received = resumedFrom;
  for (const type of types) {
    // A type the HIE holds none of, never pulled before, is marked read to its end without a
    // request (most compartment types are empty on most HIEs): anything added later has a
    // lastUpdated past this run and the next pull of the type starts from the beginning anyway.
    if (totals?.counts.get(type) === 0 && readPullCheckpoint(await options.store.readCheckpoint(type)) === null) {
      await options.store.writeCheckpoint(type, emptyCheckpoint);
      pull[type] = emptyPullCounts();
      continue;
    }
    pull[type] = await pullType(
      {
        transport: options.transport,
        store: options.store,
        scope: scope.patients,
        pageSize,
        ...baseOf(options),
        onPage: (_type, counts) => report('pull', { type, received: received + counts.received, total, resumedFrom, patients, ...(priority ? { priority } : {}) }),
      },
      type,
    );
    received += pull[type].received;
  }

  report('deletions', { received, total, resumedFrom, patients, ...(priority ? { priority } : {}) });
  const deletions = await pullDeletions(options.transport, options.store, pageSize, scope.serverDate);
  if (deletions.scopeChanged) await options.store.writeCheckpoint(scopeStaleStream, true);
  await options.store.writeCheckpoint(scopeStream, [...scope.patients].sort());
  await markCompleted(options.store, serverNow);
  const refused = Object.values(pull).reduce((sum, counts) => sum + counts.unresolved, 0);
  // Once the HIE holds them, events about patients who are no longer the clinician's keep no trace
  // of the patient here. Only when something could need it: events just uploaded, or a scope that shrank.
  const shrank = purged > 0 || (previous !== null && [...previous].some((p) => !scope.patients.has(p)));
  const auditRedacted = options.audit?.redactOutside !== undefined && (auditUploaded > 0 || shrank) ? await options.audit.redactOutside(scope.patients, shrank) : 0;
  return { idle: false, auditUploaded, auditRedacted, patients, purged, push, pull, deletions, refetched, backfilled: joined.length, dayPatients: dayCount, emergencyPatients: [...scope.emergency].sort(), refused };
}

