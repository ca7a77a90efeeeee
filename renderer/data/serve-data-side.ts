import { ImportRefusedError } from './document-import';
import { buildCoordination, patientsNamed } from '../../shared/clinical/coordination';
import { firstCompletedAt } from '../../shared/sync/priority';
import { identityOf } from '../../shared/clinical/patient-identity';
import { buildPatientRows } from '../../shared/clinical/patient-directory';
import type { WebCrypto } from '../../shared/crypto/webcrypto';
import { createPortClient, PortError, servePort, type PortCode, type PortLike } from '../../shared/ipc/port-rpc';
import { ConflictNotOpenError, LocalEditRefusedError, ReplicaTooNewError, VaultMismatchError } from '../db/errors';
import { isStorageFull } from '../db/storage-full';
import type { AuditAnchorPort } from '../host/host';
import { hostContract } from '../../shared/ipc/host-contract';
import { hostTimeoutMs, transportOver } from './host-transport';
import { dataContract, type DataContract } from './contract';
import { openDataSession, type DataSession } from './data-session';
import { createReadMemo, type ReadMemo } from './read-memo';
import { createHeldReads } from './held-reads';
import { identifierKeys } from '../../shared/exchange/sources';
import type { Record_ } from '../../shared/fhir/fhir-text';
import type { Replica } from '../db/replica';

/** The seen marks (contract.ts, seenMarks): a sealed meta value of the replica, like a checkpoint. */
const seenStream = '_seen';
const readSeen = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/**
 * Serves the data side on `port` (the data worker's own scope; a MessageChannel in tests) and
 * reaches the platform through `host` (a MessagePort the page serves with hostContract). Holds
 * one session: `open` once, `close` once; the worker is then ended by the page.
 */
export type DataSideOptions = Readonly<{
  port: PortLike;
  host: PortLike;
  crypto: WebCrypto;
  newId(): string;
  /** Hears what the protocol refused, as codes (never data). */
  onProblem?: (code: PortCode, name: string | null) => void;
}>;

/** An error of the data side as the code the page may see (the page turns it back into its error). */
function codeOf(error: unknown): string {
  if (error instanceof PortError) return error.code;
  if (error instanceof LocalEditRefusedError) return `REFUSED_${error.reason.toUpperCase().replace('-', '_')}`;
  if (error instanceof VaultMismatchError) return 'VAULT_MISMATCH';
  if (error instanceof ReplicaTooNewError) return 'REPLICA_TOO_NEW';
  if (error instanceof ConflictNotOpenError) return 'CONFLICT_NOT_OPEN';
  if (error instanceof ImportRefusedError) return `IMPORT_${error.reason.toUpperCase()}`;
  if (isStorageFull(error)) return 'STORAGE_FULL';
  return 'INTERNAL';
}

type FirstListGate = Readonly<{ opened: Promise<void>; open(): void }>;

/** Opens when the first patient rows are sent, or after `ms` (a workspace that shows no list). */
function firstListGate(ms = 3_000): FirstListGate {
  let open = (): void => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  setTimeout(open, ms);
  return { opened, open: () => open() };
}

export function serveDataSide(options: DataSideOptions): void {
  // The host answers every call (the HIE transport has its own, shorter, timeout): a page that
  // never answers must not hold a sync, an open or an audit entry forever.
  const platform = createPortClient(hostContract, options.host, { timeoutMs: hostTimeoutMs, ...(options.onProblem === undefined ? {} : { onProblem: options.onProblem }) });
  let session: DataSession | null = null;
  // One memo per open replica (read-memo.ts): a new session starts with none.
  const memos = new WeakMap<Replica, ReadMemo>();
  const memoOf = (replica: Replica): ReadMemo => {
    let memo = memos.get(replica);
    if (memo === undefined) {
      memo = createReadMemo(replica);
      memos.set(replica, memo);
    }
    return memo;
  };
  // The patient list is the first screen after an unlock: the coordination model (every
  // appointment, message, task, referral decrypted) waits for its first rows, or a few seconds.
  let listFirst: FirstListGate | null = null;
  // The patient list's rows and the coordination model last built, per open replica (held-reads.ts).
  const heldReads = createHeldReads<Replica>();
  let opening = false;
  const open = (): DataSession => {
    if (session === null) throw new PortError('NOT_OPEN');
    return session;
  };
  // Another source than the primary HIE (issue 15): read and sync only; nothing is recorded, edited or sent there.
  let readOnly = false;
  const writable = (): DataSession => {
    const opened = open();
    if (readOnly) throw new PortError('READ_ONLY_SOURCE');
    return opened;
  };
  /** Runs a handler, its failure crossing as a code. */
  const coded = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error: unknown) {
      throw new PortError(codeOf(error));
    }
  };
  /** An event off its own contract is a bug here: it is not sent, and must not throw into the sync that caused it. */
  const tell = (emit: () => void): void => {
    try {
      emit();
    } catch {
      options.onProblem?.('BAD_RESPONSE', null);
    }
  };
  const anchor: AuditAnchorPort = {
    read: () => platform.call('anchorRead', {}),
    extend: (replica, links) => platform.call('anchorExtend', { replica, links: [...links] }),
  };
  // Whose replica is open: coordination is read from their side (my appointments, messages to me).
  let owner: Readonly<{ practitioner: string; fhirBase: string }> = { practitioner: '', fhirBase: '' };
  // Marks are read, added to and written back one call at a time (two quick "mark as read" must not erase each other).
  let seenWrites: Promise<unknown> = Promise.resolve();
  const server = servePort<DataContract>(
    dataContract,
    options.port,
    {
      open: (request) =>
        coded(async () => {
          if (opening || session !== null) throw new PortError('ALREADY_OPEN');
          opening = true;
          listFirst = firstListGate();
          owner = request.owner;
          readOnly = request.readOnly === true;
          session = await openDataSession({
            crypto: options.crypto,
            vault: request.vault,
            replicaName: request.replicaName,
            owner: request.owner,
            initialSyncDone: request.initialSyncDone,
            lastSyncAt: request.lastSyncAt,
            online: request.online,
            transport: transportOver((r) => platform.call('hieSend', r)),
            auditAnchor: anchor,
            eraseDevice: {
              secrets: async () => void (await platform.call('eraseDeviceSecrets', {})),
              localData: async () => void (await platform.call('eraseLocalData', {})),
            },
            newId: options.newId,
            readOnly,
            events: {
              status: (status) => tell(() => server.emit('status', status)),
              changed: (cause) => tell(() => server.emit('changed', { cause })),
              emergency: (patients) => tell(() => server.emit('emergency', { patients: [...patients] })),
              initialSyncDone: () => tell(() => server.emit('initialSyncDone', {})),
              wiped: (result) => tell(() => server.emit('wiped', { complete: result.complete, failed: [...result.failed] })),
              upgrading: (moved, total) => tell(() => server.emit('upgrading', { moved, total })),
            },
            ...(request.pollMs !== undefined ? { pollMs: request.pollMs } : {}),
          }).finally(() => {
            opening = false;
          });
          return { auditIntegrity: session.auditIntegrity };
        }),
      close: () =>
        coded(async () => {
          const closing = session;
          session = null;
          return (await closing?.close()) ?? null;
        }),
      getResource: ({ ref }) => coded(() => open().replica.getResource(ref)),
      resourcesOfPatient: ({ patient }) => coded(async () => [...(await open().replica.resourcesOfPatient(patient))]),
      resourcesOfType: ({ type }) => coded(async () => [...(await open().replica.resourcesOfType(type))]),
      patientsByIdentifier: ({ systems, keys }) =>
        coded(async () => {
          const wanted = new Set(keys);
          const patients = await memoOf(open().replica).ofType('Patient');
          return patients.filter((entry) => entry.resource !== null && identifierKeys(entry.resource as Record_, systems).some((key) => wanted.has(key)));
        }),
      outbox: () => coded(async () => [...(await open().replica.outbox())]),
      patientRows: ({ now, identifierPriority, known }) =>
        coded(async () => {
          const { replica } = open();
          // What the rows are built from: the Patients, the Appointments and the outbox (their
          // types' revisions), the change log, the minute (an appointment passes), the priority.
          const inputs = () => [replica.resourceRevision('Patient'), replica.resourceRevision('Appointment'), replica.recentChangesRevision(), Math.floor(Date.parse(now) / 60_000), JSON.stringify(identifierPriority)].join('|');
          const memo = memoOf(replica);
          const answer = await heldReads.read(replica, 'patientRows', inputs, known, async () => {
            const [patients, appointments, outbox] = await Promise.all([memo.ofType('Patient'), memo.ofType('Appointment'), replica.outbox()]);
            return buildPatientRows({ patients, appointments, outbox, changes: replica.recentChanges(), now: new Date(now), ...(identifierPriority === null ? {} : { identifierPriority }) });
          });
          return { token: answer.token, rows: answer.value };
        }).finally(() => listFirst?.open()),
      recentChanges: () => coded(async () => [...open().replica.recentChanges()]),
      coordination: ({ now, known }) =>
        coded(async () => {
          await listFirst?.opened;
          const { replica } = open();
          // Built each time (it reads the time in many ways), sent only when it differs from what the page holds.
          const answer = await heldReads.read(replica, 'coordination', () => '', known, async () => {
            const memo = memoOf(replica);
            const [appointments, communications, tasks, serviceRequests, practitioners, careTeams, seen] = await Promise.all([
              memo.ofType('Appointment'), memo.ofType('Communication'), memo.ofType('Task'),
              memo.ofType('ServiceRequest'), memo.ofType('Practitioner'), memo.ofType('CareTeam'), replica.readCheckpoint(seenStream),
            ]);
            // New abnormal results: only among patients whose records changed after the first complete sync (the change log), the most recent 50.
            const since = await firstCompletedAt(replica);
            const sinceMs = since === null ? Number.NaN : Date.parse(since);
            // The change log decides "after" on the exact time (change-log.ts): the hours alone made every patient count right after a first sync.
            const changed = Number.isNaN(sinceMs) ? [] : [...replica.changedAfterFirstSync()].sort((a, b) => b[1].localeCompare(a[1])).slice(0, 50);
            const results = (await Promise.all(changed.map(([patient]) => memo.ofPatient(patient)))).flat().filter((e) => e.resourceType === 'Observation');
            const model = buildCoordination({
              me: owner.practitioner, appointments, communications, tasks, serviceRequests, practitioners, careTeams, seen: new Set(readSeen(seen)),
              results, resultsSince: since, now: new Date(now), fhirBase: owner.fhirBase,
            });
            const patients: Record<string, string> = {};
            for (const ref of patientsNamed(model)) {
              const entry = await replica.getResource(ref);
              if (entry?.resource) patients[ref] = identityOf(entry.resource).fullName;
            }
            return { ...model, patients };
          });
          return { token: answer.token, model: answer.value };
        }),
      searchPatientRefs: ({ text, limit }) => coded(async () => [...open().replica.searchPatientRefs(text, limit)]),
      listConflicts: () => coded(async () => [...(await open().replica.listConflicts())]),
      seenMarks: () => coded(async () => readSeen(await open().replica.readCheckpoint(seenStream))),
      markSeen: ({ keys, keep }) =>
        coded(() => {
          const write = seenWrites.catch(() => undefined).then(async (): Promise<null> => {
            const { replica } = open();
            const seen = new Set(readSeen(await replica.readCheckpoint(seenStream)));
            for (const key of keys) seen.add(key);
            const inUse = keep === undefined ? null : new Set([...keep, ...keys]);
            const kept = inUse === null ? [...seen] : [...seen].filter((key) => inUse.has(key));
            await replica.writeCheckpoint(seenStream, kept);
            return null;
          });
          seenWrites = write;
          return write;
        }),
      auditTrail: () => coded(async () => [...(await open().replica.audit.trail())]),
      auditPending: () => coded(async () => [...(await open().replica.audit.pending())]),
      saveEdit: (edit) => coded(() => writable().saveEdit(edit)),
      importPreview: (request) => coded(async () => await writable().importPreview(request)),
      importCommit: ({ id, confirmed }) => coded(() => writable().importCommit(id, confirmed)),
      resolveConflict: ({ id, choice }) =>
        coded(async () => {
          await writable().resolveConflict(id, choice);
          return null;
        }),
      record: (input) =>
        coded(async () => {
          await writable().record(input);
          return null;
        }),
      emergencyGranted: ({ patient }) =>
        coded(async () => {
          await writable().emergencyGranted(patient);
          return null;
        }),
      syncNow: () => coded(async () => (open().syncNow(), null)),
      resume: () => coded(async () => (open().resume(), null)),
      needsSignIn: () => coded(async () => (open().needsSignIn(), null)),
      network: ({ online }) => coded(async () => (open().setOnline(online), null)),
    },
    options.onProblem,
  );
}
