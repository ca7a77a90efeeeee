import type { FhirResource } from '../../../shared/fhir/resource';
import type { SyncState } from '../../../shared/sync/ports';
import { conceptText, displayText, firstCode, isRecord, records, referenceOf, stringOf, strings, whenOf } from '../record/fhir-text';

/**
 * The chart's items, read from FHIR resources into what the screen shows. Every item keeps its
 * ref, its sync state (pending edits show as such) and the resource itself (for editing).
 */
export type Item = Readonly<{ ref: string; syncState: SyncState; resource: FhirResource }>;

export type AllergyItem = Item &
  Readonly<{
    substance: string;
    criticality: 'low' | 'high' | 'unable-to-assess' | null;
    clinicalStatus: string | null;
    verification: string | null;
    category: readonly string[];
    reactions: readonly string[];
    severity: string | null;
    recorded: string | null;
  }>;

export type ProblemItem = Item & Readonly<{ text: string; clinicalStatus: string | null; onset: string | null; abatement: string | null; recorded: string | null }>;

export type MedicationItem = Item & Readonly<{ name: string; status: string | null; dosage: string; authoredOn: string | null; kind: 'order' | 'statement' }>;

export type EncounterItem = Item & Readonly<{ type: string; klass: string | null; start: string | null; end: string | null; status: string | null }>;

export type AppointmentItem = Item & Readonly<{ description: string; start: string | null; status: string | null }>;

const criticalityOf = (value: unknown): AllergyItem['criticality'] =>
  value === 'low' || value === 'high' || value === 'unable-to-assess' ? value : null;

export function allergyItem(item: Item): AllergyItem {
  const r = item.resource;
  const reactions = records(r['reaction']);
  return {
    ...item,
    substance: conceptText(r['code']),
    criticality: criticalityOf(r['criticality']),
    clinicalStatus: firstCode(r['clinicalStatus']),
    verification: firstCode(r['verificationStatus']),
    category: strings(r['category']),
    reactions: reactions.flatMap((reaction) => records(reaction['manifestation']).map(conceptText)).filter((t) => t !== ''),
    severity: stringOf(reactions[0]?.['severity']),
    recorded: stringOf(r['recordedDate']),
  };
}

export function problemItem(item: Item): ProblemItem {
  const r = item.resource;
  return {
    ...item,
    text: conceptText(r['code']),
    clinicalStatus: firstCode(r['clinicalStatus']),
    onset: stringOf(r['onsetDateTime']) ?? (isRecord(r['onsetPeriod']) ? stringOf(r['onsetPeriod']['start']) : null),
    abatement: stringOf(r['abatementDateTime']),
    recorded: stringOf(r['recordedDate']),
  };
}

export function medicationItem(item: Item): MedicationItem {
  const r = item.resource;
  const dosage = records(r['dosageInstruction'] ?? r['dosage'])
    .map((d) => displayText(d['text']))
    .filter((t) => t !== '')
    .join(' ; ');
  return {
    ...item,
    name: conceptText(r['medicationCodeableConcept']) || displayText(isRecord(r['medicationReference']) ? r['medicationReference']['display'] : ''),
    status: stringOf(r['status']),
    dosage,
    authoredOn: stringOf(r['authoredOn']) ?? stringOf(r['dateAsserted']),
    kind: r.resourceType === 'MedicationRequest' ? 'order' : 'statement',
  };
}

export function encounterItem(item: Item): EncounterItem {
  const r = item.resource;
  const period = isRecord(r['period']) ? r['period'] : {};
  const klass = isRecord(r['class']) ? stringOf(r['class']['code']) : null;
  return {
    ...item,
    type: records(r['type']).map(conceptText).find((t) => t !== '') ?? '',
    klass,
    start: stringOf(period['start']),
    end: stringOf(period['end']),
    status: stringOf(r['status']),
  };
}

export function appointmentItem(item: Item): AppointmentItem {
  const r = item.resource;
  return { ...item, description: displayText(r['description']) || conceptText(r['appointmentType']), start: stringOf(r['start']), status: stringOf(r['status']) };
}

/** Active first, then by most recent date. */
export function byActivityThenDate<T extends Item>(isActive: (item: T) => boolean, dateOf: (item: T) => string | null): (a: T, b: T) => number {
  return (a, b) => Number(isActive(b)) - Number(isActive(a)) || (dateOf(b) ?? '').localeCompare(dateOf(a) ?? '');
}

/** A one-line description of any resource, for the timeline. */
export function timelineText(resource: FhirResource): string {
  const r = resource;
  return (
    conceptText(r['code']) ||
    conceptText(r['medicationCodeableConcept']) ||
    displayText(r['description']) ||
    displayText(r['title']) ||
    records(r['type']).map(conceptText).find((t) => t !== '') ||
    conceptText(r['type']) ||
    ''
  );
}

export const timelineWhen = (resource: FhirResource): string | null => whenOf(resource);

export { referenceOf };
