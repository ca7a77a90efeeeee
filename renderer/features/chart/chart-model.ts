import type { ChartSection } from '../../app/route-store';
import type { ReplicaEntry } from '../../db/resource-docs';
import { records, type Record_ } from '../../../shared/fhir/fhir-text';
import { byWhenDescending, dayOf, type FhirWhen } from '../../../shared/fhir/fhir-when';
import { identityOf, type IdentifierRule, type PatientIdentity } from '../../../shared/clinical/patient-identity';
import {
  allergyItem, appointmentItem, encounterItem, medicationItem, problemItem, timelineText, timelineWhen,
  type AllergyItem, type AppointmentItem, type EncounterItem, type Item, type MedicationItem, type ProblemItem,
} from './clinical-items';
import { documentItem, linkReplacements, reportItem, type DocumentItem, type ReportItem } from './documents';
import { importRecord, type ImportRecord } from './import-records';
import { splitObservations, type LabResult, type VitalSeries } from './observations';
import {
  careTeamItem, carePlanItem, deviceItem, familyHistoryItem, goalItem, imagingStudyItem, immunizationItem, otherItem, procedureItem, requestItem,
  type RecordItem,
} from './record-items';

/**
 * One patient's chart, built from the replica's entries. Pure. Every resource the replica holds
 * for the patient gets exactly one home (`homes`): the section that lists it with its key fields.
 * A type the chart does not know, and an item that cannot be read as its type, goes to "other
 * records" with its type, date and text, and the section it would have gone to counts it, so the
 * screen can say so. Nothing stored is invisible; tests/e2e/chart-completeness.spec.ts checks it.
 */
export type TimelineEntry = Readonly<{ ref: string; resourceType: string; when: FhirWhen; day: string; text: string; pending: boolean }>;

export type OtherRecord = RecordItem & Readonly<{ resourceType: string; /** The section it would have gone to, when it could not be read there. */ unreadAs: ChartSection | null }>;

export type ChartModel = Readonly<{
  patient: Item | null;
  identity: PatientIdentity | null;
  allergies: readonly AllergyItem[];
  problems: readonly ProblemItem[];
  medications: readonly MedicationItem[];
  results: readonly LabResult[];
  /** The laboratory group of `results` (kept for the summary and older callers). */
  labs: readonly LabResult[];
  vitals: readonly VitalSeries[];
  reports: readonly ReportItem[];
  imaging: readonly RecordItem[];
  procedures: readonly RecordItem[];
  immunizations: readonly RecordItem[];
  encounters: readonly EncounterItem[];
  appointments: readonly AppointmentItem[];
  episodes: readonly RecordItem[];
  carePlans: readonly RecordItem[];
  goals: readonly RecordItem[];
  careTeams: readonly RecordItem[];
  requests: readonly RecordItem[];
  documents: readonly DocumentItem[];
  /** Document files imported into this chart (their Provenance), newest first; under documents. */
  imports: readonly ImportRecord[];
  /** Each imported item's ref → the import it came from. */
  origins: ReadonlyMap<string, ImportRecord>;
  devices: readonly RecordItem[];
  familyHistory: readonly RecordItem[];
  others: readonly OtherRecord[];
  timeline: readonly TimelineEntry[];
  /** Where each resource is shown (its ref → the section listing it). */
  homes: ReadonlyMap<string, ChartSection>;
  /** Per section, how many of its items could not be read as their type (they are under other records). */
  unreadAs: Readonly<Partial<Record<ChartSection, number>>>;
  /** Entries that failed their integrity check: fetched again at the next sync. */
  unreadable: number;
  pending: number;
}>;

const activeAllergy = (a: AllergyItem): boolean => a.clinicalStatus === null || a.clinicalStatus === 'active';
export const activeProblem = (p: ProblemItem): boolean => p.kind === 'problem' && (p.clinicalStatus === 'active' || p.clinicalStatus === 'recurrence' || p.clinicalStatus === 'relapse');
export const activeMedication = (m: MedicationItem): boolean => (m.kind === 'order' || m.kind === 'statement') && (m.status === 'active' || m.status === 'on-hold' || m.status === 'draft' || m.status === 'intended');
export const isActiveAllergy = activeAllergy;

/** Which section each known type lives in. */
export const sectionOfType: Readonly<Record<string, ChartSection>> = {
  Patient: 'summary',
  AllergyIntolerance: 'allergies',
  Condition: 'problems',
  MedicationRequest: 'medications', MedicationStatement: 'medications', MedicationAdministration: 'medications', MedicationDispense: 'medications',
  Observation: 'results', DiagnosticReport: 'results', ImagingStudy: 'results',
  Procedure: 'procedures',
  Immunization: 'immunizations',
  Encounter: 'encounters', Appointment: 'encounters', EpisodeOfCare: 'encounters',
  CarePlan: 'careplans', Goal: 'careplans', CareTeam: 'careplans', ServiceRequest: 'careplans', Task: 'careplans', NutritionOrder: 'careplans', DeviceRequest: 'careplans', CommunicationRequest: 'careplans', RequestGroup: 'careplans',
  DocumentReference: 'documents', Composition: 'documents', Provenance: 'documents',
  Device: 'other', DeviceUseStatement: 'other', FamilyMemberHistory: 'other',
};

const newestFirst = <T extends { when: FhirWhen | null }>(a: T, b: T): number => byWhenDescending(a.when, b.when);
const activeFirst = <T extends { when: FhirWhen | null }>(isActive: (item: T) => boolean) => (a: T, b: T): number => Number(isActive(b)) - Number(isActive(a)) || newestFirst(a, b);

export type ChartContext = Readonly<{
  /** Shared Medication resources the replica holds, by `Medication/<id>` (for medicationReference). */
  medications?: ReadonlyMap<string, Record_>;
  identifierPriority?: readonly IdentifierRule[];
  /** The HIE's base, against which absolute references (a Provenance's targets) are resolved. */
  fhirBase?: string;
}>;

export function buildChart(entries: readonly ReplicaEntry[], context: ChartContext = {}): ChartModel {
  const items: Item[] = [];
  let unreadable = 0;
  for (const entry of entries) {
    if (entry.resource === null) unreadable += 1;
    else items.push({ ref: entry.ref, syncState: entry.syncState, resource: entry.resource });
  }
  const byType = new Map<string, Item[]>();
  for (const item of items) byType.set(item.resource.resourceType, [...(byType.get(item.resource.resourceType) ?? []), item]);
  const of = (...types: string[]): Item[] => types.flatMap((t) => byType.get(t) ?? []);

  const homes = new Map<string, ChartSection>();
  const unreadAs: Partial<Record<ChartSection, number>> = {};
  const others: OtherRecord[] = [];
  const home = (section: ChartSection) => <T extends Item>(list: readonly T[]): T[] => {
    for (const item of list) homes.set(item.ref, section);
    return [...list];
  };
  /** Items that cannot be read as their type go to other records, counted against their section. */
  const readable = <T extends Item>(section: ChartSection, list: readonly T[], ok: (item: T) => boolean): T[] => {
    const kept: T[] = [];
    for (const item of list) {
      if (ok(item)) kept.push(item);
      else {
        others.push({ ...otherItem(item), resourceType: item.resource.resourceType, unreadAs: section });
        homes.set(item.ref, 'other');
        unreadAs[section] = (unreadAs[section] ?? 0) + 1;
      }
    }
    return home(section)(kept);
  };

  const patient = of('Patient')[0] ?? null;
  for (const p of of('Patient')) homes.set(p.ref, 'summary');
  const split = splitObservations(of('Observation'));
  for (const lab of split.uninterpretable) {
    others.push({ ...otherItem(lab), resourceType: 'Observation', unreadAs: 'results' });
    homes.set(lab.ref, 'other');
    unreadAs.results = (unreadAs.results ?? 0) + 1;
  }
  const results = home('results')(split.results);
  const allergies = readable('allergies', of('AllergyIntolerance').map(allergyItem), (a) => a.substance !== '').sort(activeFirst(activeAllergy));
  const problems = readable('problems', of('Condition').map(problemItem), (p) => p.text !== '').sort(activeFirst(activeProblem));
  const medications = readable('medications', of('MedicationRequest', 'MedicationStatement', 'MedicationAdministration', 'MedicationDispense').map((m) => medicationItem(m, context.medications)), (m) => m.name !== '' || m.unresolvedReference !== null).sort(activeFirst(activeMedication));
  const reports = readable('results', of('DiagnosticReport').map(reportItem), (r) => r.title !== '' || r.conclusion !== '' || r.results.length > 0 || r.content.files.length + r.content.plainTexts.length + r.content.sections.length > 0).sort(newestFirst);
  // A report points to its study (DiagnosticReport.imagingStudy; relative, absolute or versioned): the study shows it.
  const reportsOfStudy = (ref: string): Record_[] =>
    of('DiagnosticReport')
      .filter((d) => !['entered-in-error', 'cancelled'].includes(String(d.resource['status'])))
      .filter((d) => records(d.resource['imagingStudy']).some((s) => typeof s['reference'] === 'string' && s['reference'].replace(/\/_history\/[^/]+$/, '').split('/').slice(-2).join('/') === ref))
      .map((d) => d.resource);
  const imaging = readable('results', of('ImagingStudy').map((i) => imagingStudyItem(i, reportsOfStudy(i.ref))), (i) => i.title !== '' || i.facts.length > 0).sort(newestFirst);
  const procedures = readable('procedures', of('Procedure').map(procedureItem), (p) => p.title !== '').sort(newestFirst);
  const immunizations = readable('immunizations', of('Immunization').map(immunizationItem), (i) => i.title !== '').sort(newestFirst);
  const encounters = home('encounters')(of('Encounter').map(encounterItem)).sort(newestFirst);
  const appointments = home('encounters')(of('Appointment').map(appointmentItem)).sort((a, b) => -newestFirst(a, b));
  const episodes = home('encounters')(of('EpisodeOfCare').map(otherItem)).sort(newestFirst);
  const carePlans = home('careplans')(of('CarePlan').map(carePlanItem)).sort(newestFirst);
  const goals = home('careplans')(of('Goal').map(goalItem)).sort(newestFirst);
  const careTeams = home('careplans')(of('CareTeam').map(careTeamItem)).sort(newestFirst);
  const requests = home('careplans')(of('ServiceRequest', 'Task', 'NutritionOrder', 'DeviceRequest', 'CommunicationRequest', 'RequestGroup').map(requestItem)).sort(newestFirst);
  const documents = home('documents')(linkReplacements(of('DocumentReference', 'Composition').map(documentItem))).sort(newestFirst);
  const imports = home('documents')(of('Provenance').map((p) => importRecord(p, context.fhirBase))).sort(newestFirst);
  const origins = new Map<string, ImportRecord>();
  for (const record of [...imports].reverse()) for (const target of record.targets) origins.set(target, record);
  const devices = home('other')(of('Device', 'DeviceUseStatement').map(deviceItem)).sort(newestFirst);
  const familyHistory = home('other')(of('FamilyMemberHistory').map(familyHistoryItem));
  for (const [type, list] of byType) {
    if (sectionOfType[type] !== undefined) continue;
    for (const item of list) {
      others.push({ ...otherItem(item), resourceType: type, unreadAs: null });
      homes.set(item.ref, 'other');
    }
  }
  others.sort((a, b) => a.resourceType.localeCompare(b.resourceType) || newestFirst(a, b));

  const timeline = items
    .filter((i) => i.resource.resourceType !== 'Patient')
    .flatMap((i): TimelineEntry[] => {
      const when = timelineWhen(i.resource);
      return when === null ? [] : [{ ref: i.ref, resourceType: i.resource.resourceType, when, day: dayOf(when), text: timelineText(i.resource), pending: i.syncState !== 'synced' }];
    })
    .sort((a, b) => byWhenDescending(a.when, b.when) || a.ref.localeCompare(b.ref));
  return {
    patient,
    identity: patient ? identityOf(patient.resource, context.identifierPriority) : null,
    allergies,
    problems,
    medications,
    results,
    labs: split.labs,
    vitals: split.vitals,
    reports,
    imaging,
    procedures,
    immunizations,
    encounters,
    appointments,
    episodes,
    carePlans,
    goals,
    careTeams,
    requests,
    documents,
    imports,
    origins,
    devices,
    familyHistory,
    others,
    timeline,
    homes,
    unreadAs,
    unreadable,
    pending: items.filter((i) => i.syncState !== 'synced').length,
  };
}
