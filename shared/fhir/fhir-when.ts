import { isRecord, stringOf } from './fhir-text';

/**
 * The one date rule of the chart (FHIR R4 §2.24.0.1 date, dateTime, instant):
 * - an instant (a dateTime with a time, which R4 requires to carry its zone) is a moment: it is
 *   shown in the laptop's time zone, and its day is the day it falls on there;
 * - a date without a time (2014, 2014-06, 2014-06-18) is a calendar date: shown as written, never
 *   shifted by a time zone, its day is the date itself.
 * Every screen sorts, groups and prints dates through here, so a result has one date everywhere.
 */
export type FhirWhen =
  | Readonly<{ kind: 'date'; text: string; precision: 'year' | 'month' | 'day'; year: number; month: number; day: number }>
  | Readonly<{ kind: 'instant'; text: string; ms: number }>;

const datePattern = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const dateTimePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;

export function parseWhen(value: unknown): FhirWhen | null {
  if (typeof value !== 'string') return null;
  const date = datePattern.exec(value);
  if (date) {
    const year = Number(date[1]);
    const month = date[2] === undefined ? 1 : Number(date[2]);
    const day = date[3] === undefined ? 1 : Number(date[3]);
    if (month < 1 || month > 12 || day < 1 || day > 31) return null;
    return { kind: 'date', text: value, precision: date[3] !== undefined ? 'day' : date[2] !== undefined ? 'month' : 'year', year, month, day };
  }
  if (!dateTimePattern.test(value)) return null;
  // R4 requires a zone with a time; one sent without is read as the laptop's local time.
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : { kind: 'instant', text: value, ms };
}

/** A moment to sort by: an instant's own, a date's local midnight (so a date sorts with that day's instants). */
export function sortTime(when: FhirWhen): number {
  return when.kind === 'instant' ? when.ms : new Date(when.year, when.month - 1, when.day).getTime();
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** The calendar day it belongs to, as YYYY-MM-DD (YYYY-MM, YYYY for partial dates): local for instants. */
export function dayOf(when: FhirWhen): string {
  if (when.kind === 'date') {
    if (when.precision === 'year') return pad(when.year, 4);
    if (when.precision === 'month') return `${pad(when.year, 4)}-${pad(when.month)}`;
    return `${pad(when.year, 4)}-${pad(when.month)}-${pad(when.day)}`;
  }
  const local = new Date(when.ms);
  return `${pad(local.getFullYear(), 4)}-${pad(local.getMonth() + 1)}-${pad(local.getDate())}`;
}

/** Newest first; undated last. */
export const byWhenDescending = (a: FhirWhen | null, b: FhirWhen | null): number =>
  (b === null ? Number.NEGATIVE_INFINITY : sortTime(b)) - (a === null ? Number.NEGATIVE_INFINITY : sortTime(a)) || 0;

/** The first of these elements (dotted paths) that holds a date, dateTime or instant. */
export function firstWhen(resource: Readonly<Record<string, unknown>>, paths: readonly string[]): FhirWhen | null {
  for (const path of paths) {
    let value: unknown = resource;
    for (const part of path.split('.')) value = Array.isArray(value) && /^\d+$/.test(part) ? (value as unknown[])[Number(part)] : isRecord(value) ? value[part] : undefined;
    const when = parseWhen(stringOf(value));
    if (when !== null) return when;
  }
  return null;
}

/**
 * When something happened, for each type the element the specification gives that meaning
 * (effective, performed, occurrence, onset, authored…), then the common ones for any other type.
 */
const whenPaths: Readonly<Record<string, readonly string[]>> = {
  Observation: ['effectiveDateTime', 'effectivePeriod.start', 'effectiveInstant', 'issued'],
  DiagnosticReport: ['effectiveDateTime', 'effectivePeriod.start', 'issued'],
  Condition: ['onsetDateTime', 'onsetPeriod.start', 'recordedDate'],
  AllergyIntolerance: ['onsetDateTime', 'onsetPeriod.start', 'recordedDate'],
  Procedure: ['performedDateTime', 'performedPeriod.start'],
  Immunization: ['occurrenceDateTime', 'recorded'],
  MedicationRequest: ['authoredOn', 'dosageInstruction.0.timing.repeat.boundsPeriod.start'],
  MedicationStatement: ['effectiveDateTime', 'effectivePeriod.start', 'dateAsserted'],
  MedicationAdministration: ['effectiveDateTime', 'effectivePeriod.start'],
  MedicationDispense: ['whenHandedOver', 'whenPrepared'],
  Encounter: ['period.start'],
  Appointment: ['start', 'created'],
  DocumentReference: ['date', 'context.period.start'],
  Composition: ['date'],
  CarePlan: ['period.start', 'created'],
  Goal: ['startDate', 'statusDate'],
  CareTeam: ['period.start'],
  ImagingStudy: ['started'],
  FamilyMemberHistory: ['date'],
  Communication: ['sent', 'received'],
  Task: ['authoredOn', 'executionPeriod.start'],
  ServiceRequest: ['occurrenceDateTime', 'occurrencePeriod.start', 'authoredOn'],
  QuestionnaireResponse: ['authored'],
  RiskAssessment: ['occurrenceDateTime', 'occurrencePeriod.start'],
  Specimen: ['collection.collectedDateTime', 'collection.collectedPeriod.start', 'receivedTime'],
  NutritionOrder: ['dateTime'],
  ClinicalImpression: ['effectiveDateTime', 'effectivePeriod.start', 'date'],
  AdverseEvent: ['date', 'detected', 'recordedDate'],
  DetectedIssue: ['identifiedDateTime', 'identifiedPeriod.start'],
  EpisodeOfCare: ['period.start'],
  Flag: ['period.start'],
  Media: ['createdDateTime', 'createdPeriod.start', 'issued'],
  Basic: ['created'],
  List: ['date'],
  Device: [],
};
const commonPaths = ['effectiveDateTime', 'effectivePeriod.start', 'occurrenceDateTime', 'performedDateTime', 'date', 'authoredOn', 'recordedDate', 'issued', 'created', 'period.start', 'start'];

export function whenOfResource(resource: Readonly<Record<string, unknown>> & { resourceType: string }): FhirWhen | null {
  return firstWhen(resource, whenPaths[resource.resourceType] ?? commonPaths);
}

/** A period's end (or an instant's own), for "from … to …". */
export const whenAt = (resource: Readonly<Record<string, unknown>>, path: string): FhirWhen | null => firstWhen(resource, [path]);
