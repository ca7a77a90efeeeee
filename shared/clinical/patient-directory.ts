import type { FhirResource } from '../fhir/resource';
import { isPatientRef, patientOf } from '../fhir/compartment';
import type { OutboxEntry } from '../sync/ports';
import { stringOf, timeOf } from '../fhir/fhir-text';
import { ageAt, identityOf, type IdentifierRule, type PatientIdentity } from './patient-identity';

/**
 * The patient list's rows, built from the replica's Patients, Appointments and outbox. Pure:
 * the store feeds it what it read, so it is tested without a database.
 */
export type PatientRow = PatientIdentity &
  Readonly<{
    ref: string;
    age: ReturnType<typeof ageAt>;
    /** Local edits not yet on the HIE (or in conflict) for this patient. */
    pending: boolean;
    conflict: boolean;
    /** Start of the next booked appointment within the window, ISO. */
    nextAppointment: string | null;
    /** Latest change known for the patient on the HIE (any of their resources, or an appointment), ms. */
    changedAt: number | null;
  }>;

export const upcomingWindowDays = 14;
export const recentWindowDays = 7;
const dayMs = 86_400_000;

const activeAppointment = new Set(['booked', 'pending', 'proposed', 'arrived', 'checked-in']);

export type DirectoryInput = Readonly<{
  patients: readonly Readonly<{ ref: string; resource: FhirResource | null; syncState: string }>[];
  appointments: readonly Readonly<{ resource: FhirResource | null }>[];
  outbox: readonly OutboxEntry[];
  /** The replica's change log: patient → their latest change on the HIE (any resource), ISO. */
  changes?: ReadonlyMap<string, string>;
  now: Date;
  /** IT's identifier order (policy); the built-in one otherwise. */
  identifierPriority?: readonly IdentifierRule[];
}>;

const lastUpdatedOf = (resource: FhirResource): number | null => timeOf(stringOf(resource.meta?.['lastUpdated']));

export function buildPatientRows(input: DirectoryInput): PatientRow[] {
  const nowMs = input.now.getTime();
  const horizon = nowMs + upcomingWindowDays * dayMs;
  const next = new Map<string, string>();
  const changed = new Map<string, number>();
  const touch = (patient: string, at: number | null): void => {
    if (at !== null && at > (changed.get(patient) ?? Number.NEGATIVE_INFINITY)) changed.set(patient, at);
  };
  for (const { resource } of input.appointments) {
    if (resource === null) continue;
    const patient = patientOf(resource);
    if (!isPatientRef(patient)) continue;
    touch(patient, lastUpdatedOf(resource));
    const start = stringOf(resource['start']);
    const at = timeOf(start);
    if (start === null || at === null || at < nowMs || at > horizon || !activeAppointment.has(String(resource['status']))) continue;
    const known = next.get(patient);
    if (known === undefined || (timeOf(known) ?? Infinity) > at) next.set(patient, start);
  }
  for (const [patient, at] of input.changes ?? []) touch(patient, timeOf(at));
  const pending = new Set<string>();
  const conflicted = new Set<string>();
  for (const entry of input.outbox) {
    if (entry.patient === null) continue;
    (entry.state === 'conflict' ? conflicted : pending).add(entry.patient);
  }
  const rows: PatientRow[] = [];
  for (const { ref, resource, syncState } of input.patients) {
    if (resource === null) continue;
    touch(ref, lastUpdatedOf(resource));
    const identity = identityOf(resource, input.identifierPriority);
    rows.push({
      ...identity,
      ref,
      // A deceased patient's age is their age at death (when the date is known), never an age "now".
      age: identity.deceased === null ? ageAt(identity.birthDate, input.now) : identity.deceased.at === null ? null : ageAt(identity.birthDate, identity.deceased.at),
      pending: pending.has(ref) || syncState === 'pending',
      conflict: conflicted.has(ref) || syncState === 'conflict',
      nextAppointment: next.get(ref) ?? null,
      changedAt: changed.get(ref) ?? null,
    });
  }
  const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });
  return rows.sort((a, b) => collator.compare(a.family, b.family) || collator.compare(a.given, b.given) || a.ref.localeCompare(b.ref));
}

export type PatientFilters = Readonly<{ upcoming: boolean; recent: boolean }>;

/** The rows to show: search matches (in the index's order) or everyone, then the filters. */
export function visibleRows(rows: readonly PatientRow[], matches: readonly string[] | null, filters: PatientFilters, now: Date): readonly PatientRow[] {
  let shown: readonly PatientRow[] = rows;
  if (matches !== null) {
    const byRef = new Map(rows.map((r) => [r.ref, r]));
    shown = matches.flatMap((ref) => byRef.get(ref) ?? []);
  }
  const recentSince = now.getTime() - recentWindowDays * dayMs;
  return shown.filter(
    (row) =>
      (!filters.upcoming || row.nextAppointment !== null) &&
      (!filters.recent || row.pending || row.conflict || (row.changedAt !== null && row.changedAt >= recentSince)),
  );
}
