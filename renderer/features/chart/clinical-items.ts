import type { FhirResource } from '../../../shared/fhir/resource';
import type { SyncState } from '../../../shared/sync/ports';
import { codesIn, conceptText, displayText, firstCode, isRecord, numberOf, records, referenceOf, snomed, stringOf, strings, type Record_ } from '../../../shared/fhir/fhir-text';
import { parseWhen, whenOfResource, type FhirWhen } from '../../../shared/fhir/fhir-when';
import { medicationKey } from './chart-medications';
import { sourceOfRef, sourcedRef } from './chart-sources';

/**
 * The chart's items, read from FHIR R4 resources into what the screen shows. Every item keeps its
 * ref, its sync state (pending edits show as such) and the resource itself (for its details and
 * for editing). Readers take what R4 allows, not what one generator sends.
 */
export type Item = Readonly<{ ref: string; syncState: SyncState; resource: FhirResource }>;

type Severity = 'mild' | 'moderate' | 'severe';
export type AllergyReaction = Readonly<{ manifestations: readonly string[]; severity: Severity | null; description: string }>;

export type AllergyItem = Item &
  Readonly<{
    substance: string;
    criticality: 'low' | 'high' | 'unable-to-assess' | null;
    clinicalStatus: string | null;
    verification: string | null;
    category: readonly string[];
    /** Every manifestation of every reaction (for the banner and the conflict view). */
    reactions: readonly string[];
    reactionDetails: readonly AllergyReaction[];
    /** The worst severity of any reaction (R4 puts severity on the reaction, not on the allergy). */
    severity: Severity | null;
    recorded: string | null;
    when: FhirWhen | null;
  }>;

export type ProblemKind = 'problem' | 'social' | 'refuted';
export type ProblemItem = Item &
  Readonly<{
    text: string;
    clinicalStatus: string | null;
    verification: string | null;
    onset: string | null;
    onsetText: string;
    abatement: string | null;
    abatementText: string;
    recorded: string | null;
    when: FhirWhen | null;
    kind: ProblemKind;
    categories: readonly string[];
  }>;

export type MedicationKind = 'order' | 'statement' | 'administration' | 'dispense';
export type MedicationItem = Item &
  Readonly<{
    name: string;
    status: string | null;
    /** Kept for the summary and conflicts: the written dosage texts (structured ones are worded on screen). */
    dosage: string;
    authoredOn: string | null;
    when: FhirWhen | null;
    kind: MedicationKind;
    reason: string;
    /** Set when the medicine is named only by a reference this replica cannot resolve. */
    unresolvedReference: string | null;
    /** The medicine's code: the request's own concept, else the referenced Medication's (what the medication checks match). */
    concept: Record_ | null;
  }>;

export type EncounterItem = Item & Readonly<{ type: string; klass: string | null; start: string | null; end: string | null; status: string | null; reason: string; when: FhirWhen | null }>;

export type AppointmentItem = Item & Readonly<{ description: string; start: string | null; status: string | null; when: FhirWhen | null; participants: readonly string[] }>;

const criticalityOf = (value: unknown): AllergyItem['criticality'] =>
  value === 'low' || value === 'high' || value === 'unable-to-assess' ? value : null;
const severityOf = (value: unknown): Severity | null => (value === 'mild' || value === 'moderate' || value === 'severe' ? value : null);
const severityRank: Readonly<Record<Severity, number>> = { mild: 1, moderate: 2, severe: 3 };

export function allergyItem(item: Item): AllergyItem {
  const r = item.resource;
  const reactionDetails = records(r['reaction']).map((reaction) => ({
    manifestations: records(reaction['manifestation']).map(conceptText).filter((t) => t !== ''),
    severity: severityOf(reaction['severity']),
    description: displayText(reaction['description']),
  }));
  const worst = reactionDetails.map((d) => d.severity).filter((s): s is Severity => s !== null).sort((a, b) => severityRank[b] - severityRank[a])[0] ?? null;
  return {
    ...item,
    substance: conceptText(r['code']),
    criticality: criticalityOf(r['criticality']),
    clinicalStatus: firstCode(r['clinicalStatus']),
    verification: firstCode(r['verificationStatus']),
    category: strings(r['category']),
    reactions: reactionDetails.flatMap((d) => d.manifestations),
    reactionDetails,
    severity: worst,
    recorded: stringOf(r['recordedDate']),
    when: whenOfResource(r),
  };
}

/**
 * Social findings and situations are kept apart from clinical problems (they are still shown): by
 * category (social-history, US Core sdoh), by SNOMED CT semantic tag (situation, social concept,
 * life style, occupation, person, event), or for the "(finding)" concepts that describe a social
 * situation (employment, education, living arrangements, carers, food or housing insecurity, stress).
 */
const socialCategories = new Set(['social-history', 'sdoh']);
const socialTags = /\((situation|social concept|life style|occupation|person|event|environment)\)\s*$/i;
const socialFindings = new Set([
  '160903007', '160904001', '73438004', '741062008', '224299000', '224294005', '105529008', '408856003', '733423003', '1156191002',
  '32911000', '73595000', '266948004', '160968000', '423315002', '706893006', '5251000175109', '10939881000119105', '713458007',
]);

function problemKind(r: Record_, verification: string | null, text: string, categories: readonly string[]): ProblemKind {
  if (verification === 'refuted' || verification === 'entered-in-error') return 'refuted';
  if (categories.some((c) => socialCategories.has(c))) return 'social';
  const displays = [text, ...records(isRecord(r['code']) ? r['code']['coding'] : undefined).map((c) => displayText(c['display']))];
  if (displays.some((d) => socialTags.test(d))) return 'social';
  if (codesIn(r['code'], snomed).some((c) => socialFindings.has(c))) return 'social';
  return 'problem';
}

export function problemItem(item: Item): ProblemItem {
  const r = item.resource;
  const text = conceptText(r['code']);
  const verification = firstCode(r['verificationStatus']);
  const categories = records(r['category']).flatMap((c) => records(c['coding']).map((coding) => stringOf(coding['code']))).filter((c): c is string => c !== null);
  const onset = stringOf(r['onsetDateTime']) ?? (isRecord(r['onsetPeriod']) ? stringOf(r['onsetPeriod']['start']) : null);
  const abatement = stringOf(r['abatementDateTime']) ?? (isRecord(r['abatementPeriod']) ? stringOf(r['abatementPeriod']['start']) : null);
  const ageText = (value: unknown): string => (isRecord(value) && numberOf(value['value']) !== null ? `${numberOf(value['value'])} ${displayText(value['unit'], 20) || (stringOf(value['code']) ?? '')}`.trim() : '');
  return {
    ...item,
    text,
    clinicalStatus: firstCode(r['clinicalStatus']),
    verification,
    onset,
    onsetText: displayText(r['onsetString']) || ageText(r['onsetAge']),
    abatement,
    abatementText: displayText(r['abatementString']) || ageText(r['abatementAge']) || (r['abatementBoolean'] === true ? '✓' : ''),
    recorded: stringOf(r['recordedDate']),
    when: whenOfResource(r),
    kind: problemKind(r, verification, text, categories),
    categories,
  };
}

/** The medicine's name: the concept, else the contained or replica-held Medication it references, else the reference's display. */
/**
 * `source`: the prefix of the record's merged ref (`<source>~`, '' for the primary's): its
 * medicationReference names a Medication of the same source (chart-medications.ts).
 */
export function medicationName(r: Record_, medications: ReadonlyMap<string, Record_>, source = ''): { name: string; unresolved: string | null; concept: Record_ | null } {
  const own = isRecord(r['medicationCodeableConcept']) ? r['medicationCodeableConcept'] : null;
  const direct = conceptText(own);
  if (direct !== '') return { name: direct, unresolved: null, concept: own };
  const reference = r['medicationReference'];
  const literal = referenceOf(reference);
  let target: Record_ | undefined;
  if (literal !== null && literal.startsWith('#')) target = records(r['contained']).find((c) => c['resourceType'] === 'Medication' && c['id'] === literal.slice(1));
  else if (literal !== null) {
    const key = medicationKey(literal);
    target = key === null ? undefined : medications.get(`${source}${key}`);
  }
  const targetCode = target !== undefined && isRecord(target['code']) ? target['code'] : null;
  const fromTarget = conceptText(targetCode);
  if (fromTarget !== '') return { name: fromTarget, unresolved: null, concept: targetCode };
  const display = isRecord(reference) ? displayText(reference['display']) : '';
  if (display !== '') return { name: display, unresolved: null, concept: { text: display } };
  return { name: '', unresolved: literal, concept: null };
}

const medicationKinds: Readonly<Record<string, MedicationKind>> = {
  MedicationRequest: 'order', MedicationStatement: 'statement', MedicationAdministration: 'administration', MedicationDispense: 'dispense',
};

export function medicationItem(item: Item, medications: ReadonlyMap<string, Record_> = new Map()): MedicationItem {
  const r = item.resource;
  // Keyed as chart-medications.ts keys them: by the item's source (sourcedRef), '' for the primary's.
  const { source } = sourceOfRef(item.ref);
  const { name, unresolved, concept } = medicationName(r, medications, sourcedRef(source, ''));
  const dosages = [...records(r['dosageInstruction'] ?? r['dosage']), ...(isRecord(r['dosage']) ? [r['dosage']] : [])];
  return {
    ...item,
    name,
    status: stringOf(r['status']),
    dosage: dosages.map((d) => displayText(d['text'])).filter((t) => t !== '').join(' ; '),
    authoredOn: stringOf(r['authoredOn']) ?? stringOf(r['dateAsserted']),
    when: whenOfResource(r),
    kind: medicationKinds[r.resourceType] ?? 'order',
    reason: [...records(r['reasonCode']).map(conceptText), ...records(r['reasonReference']).map((ref) => displayText(ref['display']))].filter((t) => t !== '').join(', '),
    unresolvedReference: unresolved,
    concept,
  };
}

export function encounterItem(item: Item): EncounterItem {
  const r = item.resource;
  const period = isRecord(r['period']) ? r['period'] : {};
  const klass = isRecord(r['class']) ? stringOf(r['class']['code']) : null;
  return {
    ...item,
    type: records(r['type']).map(conceptText).find((t) => t !== '') ?? conceptText(r['serviceType']),
    klass,
    start: stringOf(period['start']),
    end: stringOf(period['end']),
    status: stringOf(r['status']),
    reason: [...records(r['reasonCode']).map(conceptText), ...records(r['reasonReference']).map((ref) => displayText(ref['display']))].filter((t) => t !== '').join(', '),
    when: whenOfResource(r),
  };
}

export function appointmentItem(item: Item): AppointmentItem {
  const r = item.resource;
  return {
    ...item,
    description: displayText(r['description']) || conceptText(r['appointmentType']) || records(r['serviceType']).map(conceptText).find((t) => t !== '') || '',
    start: stringOf(r['start']),
    status: stringOf(r['status']),
    when: whenOfResource(r),
    participants: records(r['participant']).map((p) => (isRecord(p['actor']) ? displayText(p['actor']['display']) : '')).filter((t) => t !== ''),
  };
}

/** Active first, then by most recent date. */
export function byActivityThenDate<T extends Item>(isActive: (item: T) => boolean, dateOf: (item: T) => string | null): (a: T, b: T) => number {
  return (a, b) => Number(isActive(b)) - Number(isActive(a)) || (dateOf(b) ?? '').localeCompare(dateOf(a) ?? '');
}

/** A one-line description of any resource, for the timeline and other records. */
export function timelineText(resource: FhirResource): string {
  const r = resource;
  return (
    displayText(r['title']) ||
    conceptText(r['code']) ||
    conceptText(r['vaccineCode']) ||
    conceptText(r['medicationCodeableConcept']) ||
    (isRecord(r['medicationReference']) ? displayText(r['medicationReference']['display']) : '') ||
    displayText(r['description']) ||
    conceptText(r['description']) ||
    records(r['type']).map(conceptText).find((t) => t !== '') ||
    conceptText(r['type']) ||
    records(r['deviceName']).map((n) => displayText(n['name'])).find((t) => t !== '') ||
    conceptText(r['relationship']) ||
    displayText(r['summary']) ||
    (isRecord(r['event']) ? conceptText(r['event']) : '') ||
    records(r['payload']).map((p) => displayText(p['contentString'], 160)).find((t) => t !== '') ||
    records(r['prediction']).map((p) => conceptText(p['outcome'])).find((t) => t !== '') ||
    (isRecord(r['oralDiet']) ? records(r['oralDiet']['type']).map(conceptText).find((t) => t !== '') : '') ||
    records(r['procedureCode']).map(conceptText).find((t) => t !== '') ||
    displayText(r['questionnaire'], 160) ||
    (isRecord(r['content']) ? displayText(r['content']['title']) : '') ||
    ''
  );
}

/** When a resource happened, by the chart's one date rule. */
export const timelineWhen = (resource: FhirResource): FhirWhen | null => whenOfResource(resource);

/** A FHIR date/dateTime string read by the date rule (null when absent or not a date). */
export const whenFrom = (value: unknown): FhirWhen | null => parseWhen(value);

export { referenceOf };
