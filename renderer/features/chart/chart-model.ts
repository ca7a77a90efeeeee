import type { ReplicaEntry } from '../../db/resource-docs';
import { timeOf } from '../record/fhir-text';
import { identityOf, type PatientIdentity } from '../record/patient-identity';
import {
  allergyItem, appointmentItem, byActivityThenDate, encounterItem, medicationItem, problemItem, timelineText, timelineWhen,
  type AllergyItem, type AppointmentItem, type EncounterItem, type Item, type MedicationItem, type ProblemItem,
} from './clinical-items';
import { documentItem, type DocumentItem } from './documents';
import { splitObservations, type LabResult, type VitalSeries } from './observations';

/** One patient's chart, grouped the way the clinician reads it. Pure: built from the replica's entries. */
export type TimelineEntry = Readonly<{ ref: string; resourceType: string; when: string; text: string; pending: boolean }>;

export type ChartModel = Readonly<{
  patient: Item | null;
  identity: PatientIdentity | null;
  allergies: readonly AllergyItem[];
  problems: readonly ProblemItem[];
  medications: readonly MedicationItem[];
  labs: readonly LabResult[];
  vitals: readonly VitalSeries[];
  encounters: readonly EncounterItem[];
  appointments: readonly AppointmentItem[];
  documents: readonly DocumentItem[];
  timeline: readonly TimelineEntry[];
  /** Entries that failed their integrity check: fetched again at the next sync. */
  unreadable: number;
  pending: number;
}>;

const activeAllergy = (a: AllergyItem): boolean => a.clinicalStatus === null || a.clinicalStatus === 'active';
export const activeProblem = (p: ProblemItem): boolean => p.clinicalStatus === 'active' || p.clinicalStatus === 'recurrence' || p.clinicalStatus === 'relapse';
export const activeMedication = (m: MedicationItem): boolean => m.status === 'active' || m.status === 'on-hold' || m.status === 'draft';
export const isActiveAllergy = activeAllergy;

export function buildChart(entries: readonly ReplicaEntry[]): ChartModel {
  const items: Item[] = [];
  let unreadable = 0;
  for (const entry of entries) {
    if (entry.resource === null) unreadable += 1;
    else items.push({ ref: entry.ref, syncState: entry.syncState, resource: entry.resource });
  }
  const of = (...types: string[]): Item[] => items.filter((i) => types.includes(i.resource.resourceType));
  const patient = of('Patient')[0] ?? null;
  const split = splitObservations(of('Observation'));
  const allergies = of('AllergyIntolerance').map(allergyItem).sort(byActivityThenDate(activeAllergy, (a) => a.recorded));
  const problems = of('Condition').map(problemItem).sort(byActivityThenDate(activeProblem, (p) => p.onset ?? p.recorded));
  const medications = of('MedicationRequest', 'MedicationStatement').map(medicationItem).sort(byActivityThenDate(activeMedication, (m) => m.authoredOn));
  const encounters = of('Encounter').map(encounterItem).sort((a, b) => (b.start ?? '').localeCompare(a.start ?? ''));
  const appointments = of('Appointment').map(appointmentItem).sort((a, b) => (a.start ?? '').localeCompare(b.start ?? ''));
  const documents = of('DocumentReference', 'Composition').map(documentItem).sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''));
  const timeline = items
    .filter((i) => i.resource.resourceType !== 'Patient')
    .flatMap((i): TimelineEntry[] => {
      const when = timelineWhen(i.resource);
      return when === null ? [] : [{ ref: i.ref, resourceType: i.resource.resourceType, when, text: timelineText(i.resource), pending: i.syncState !== 'synced' }];
    })
    .sort((a, b) => (timeOf(b.when) ?? 0) - (timeOf(a.when) ?? 0));
  return {
    patient,
    identity: patient ? identityOf(patient.resource) : null,
    allergies,
    problems,
    medications,
    labs: split.labs,
    vitals: split.vitals,
    encounters,
    appointments,
    documents,
    timeline,
    unreadable,
    pending: items.filter((i) => i.syncState !== 'synced').length,
  };
}
