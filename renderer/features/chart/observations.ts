import { vitalDefinitions, type VitalField } from '../charting/vital-signs';
import { codesIn, conceptText, displayText, firstCode, isRecord, loinc, numberOf, records, snomed, stringOf, type Record_ } from '../../../shared/fhir/fhir-text';
import { byWhenDescending, sortTime, whenOfResource, type FhirWhen } from '../../../shared/fhir/fhir-when';
import type { Item } from './clinical-items';
import { vitalCodes, vitalKindOf, vitalOrder, type VitalKind } from '../../../shared/clinical/vital-codes';

export { vitalCodes, vitalKindOf, vitalOrder, type VitalKind };

/**
 * Observations as FHIR R4 allows them, not as one generator makes them: every category (and none),
 * every value type (Quantity with a comparator, CodeableConcept, string, boolean, integer, Range,
 * Ratio, time, dateTime, Period, SampledData), components, `dataAbsentReason`. Vital signs are
 * recognised by the R4 vital-signs profile codes (§8.2.1.1, and the site- and method-specific
 * LOINC codes that stand for the same measure, and their SNOMED CT equivalents), with or without
 * the vital-signs category; everything else is grouped by its category, and without one by its code.
 */
export type AbnormalFlag = 'N' | 'H' | 'L' | 'HH' | 'LL' | 'A';

export type ResultGroup = 'vital-signs' | 'laboratory' | 'survey' | 'social-history' | 'imaging' | 'procedure' | 'exam' | 'therapy' | 'activity' | 'other-category' | 'no-category';
export const resultGroupOrder: readonly ResultGroup[] = ['laboratory', 'no-category', 'survey', 'social-history', 'imaging', 'procedure', 'exam', 'therapy', 'activity', 'other-category', 'vital-signs'];

export type ObservationValue =
  | Readonly<{ kind: 'quantity'; value: number; comparator: string | null; unit: string; unitCode: string | null }>
  | Readonly<{ kind: 'text'; text: string; coded: boolean }>
  | Readonly<{ kind: 'absent'; reason: string }>
  | Readonly<{ kind: 'none' }>;

export type ComponentResult = Readonly<{ name: string; value: ObservationValue; flag: AbnormalFlag | null }>;

export type LabResult = Item &
  Readonly<{
    /** What groups results of the same test: the LOINC code, else another code, else the name. */
    code: string;
    name: string;
    value: ObservationValue;
    components: readonly ComponentResult[];
    low: number | null;
    high: number | null;
    rangeText: string;
    flag: AbnormalFlag | null;
    /** The HIE's interpretation when it is words rather than a code. */
    interpretationText: string;
    when: FhirWhen | null;
    group: ResultGroup;
    /** The category as the HIE names it (for categories outside the R4 list). */
    categoryText: string;
    status: string | null;
  }>;


/** `home`: measured by the patient (their own device, a home log: the Patient is the performer), drawn apart from clinic measurements. */
export type VitalPoint = Readonly<{ ref: string; pending: boolean; home: boolean; when: FhirWhen; time: number; values: readonly number[]; unitCode: string | null; unit: string }>;

/** Patient-reported: the Patient (or a related person) made the measurement, as R4 says with `performer`. */
export function isPatientReported(observation: Readonly<Record<string, unknown>>): boolean {
  return records(observation['performer']).some((p) => p['type'] === 'Patient' || p['type'] === 'RelatedPerson' || (typeof p['reference'] === 'string' && /(^|\/)(Patient|RelatedPerson)\/[^/]+$/.test(p['reference'])));
}

export type VitalSeries = Readonly<{ kind: VitalKind; points: readonly VitalPoint[] }>;

export const systolicCodes: readonly string[] = ['8480-6', '271649006', '72313002'];
export const diastolicCodes: readonly string[] = ['8462-4', '271650006', '1091811000000102'];
export const systolicCode = '8480-6';
export const diastolicCode = '8462-4';


const categorySystem = 'http://terminology.hl7.org/CodeSystem/observation-category';
const knownGroups = new Set<ResultGroup>(['vital-signs', 'laboratory', 'survey', 'social-history', 'imaging', 'procedure', 'exam', 'therapy', 'activity']);

function groupOf(resource: Record_, kind: VitalKind | null): { group: ResultGroup; categoryText: string } {
  const categories = records(resource['category']);
  const codes = categories.flatMap((c) => records(c['coding']).filter((coding) => coding['system'] === categorySystem || coding['system'] === undefined).map((coding) => stringOf(coding['code'])));
  if (kind !== null && kind !== 'glucose') return { group: 'vital-signs', categoryText: '' };
  for (const code of codes) if (code !== null && knownGroups.has(code as ResultGroup)) return { group: code as ResultGroup, categoryText: '' };
  if (categories.length > 0) return { group: 'other-category', categoryText: categories.map(conceptText).filter((t) => t !== '').join(', ') };
  return { group: 'no-category', categoryText: '' };
}

const interpretationFlags: Readonly<Record<string, AbnormalFlag>> = {
  N: 'N', NEG: 'N', ND: 'N', NR: 'N', H: 'H', HU: 'H', 'H>': 'H', HH: 'HH', AA: 'A', L: 'L', LU: 'L', 'L<': 'L', LL: 'LL', A: 'A', POS: 'A', DET: 'A', R: 'A', RR: 'A', W: 'A', IND: 'A', E: 'A',
};
/** Coded results that mean "found": positive, detected, present, reactive (SNOMED CT, and the words). */
const positiveCodes = new Set(['10828004', '260373001', '52101004', '11214006']);
const negativeCodes = new Set(['260385009', '260415000', '2667000', '131194007']);
const positiveWords = /^(positive|positif|positive?s?|detected|détecté|present|présent|reactive|réactif)\b/i;
const negativeWords = /^(negative|négatif|not detected|non détecté|absent|non réactif|non-reactive)\b/i;

/** The HIE's interpretation when given; else the reference range; else, for a coded result, whether it was found. */
export function flagOf(interpretation: unknown, value: number | null, low: number | null, high: number | null, coded: unknown = undefined): AbnormalFlag | null {
  for (const concept of records(interpretation)) {
    const code = firstCode(concept);
    if (code !== null && interpretationFlags[code] !== undefined) return interpretationFlags[code] as AbnormalFlag;
  }
  if (value !== null && (low !== null || high !== null)) {
    if (high !== null && value > high) return 'H';
    if (low !== null && value < low) return 'L';
    return 'N';
  }
  if (isRecord(coded)) {
    const codes = codesIn(coded, snomed);
    const text = conceptText(coded);
    if (codes.some((c) => positiveCodes.has(c)) || positiveWords.test(text)) return 'A';
    if (codes.some((c) => negativeCodes.has(c)) || negativeWords.test(text)) return 'N';
  }
  return null;
}

function quantity(value: unknown): ObservationValue | null {
  if (!isRecord(value)) return null;
  const n = numberOf(value['value']);
  if (n === null) return null;
  return { kind: 'quantity', value: n, comparator: stringOf(value['comparator']), unit: displayText(value['unit'], 40), unitCode: stringOf(value['code']) };
}

const quantityWords = (value: unknown): string => {
  if (!isRecord(value)) return '';
  const n = numberOf(value['value']);
  if (n === null) return '';
  const unit = displayText(value['unit'], 40) || (stringOf(value['code']) ?? '');
  return unit === '' ? String(n) : `${n} ${unit}`;
};

/** Any value[x] of R4 Observation (and of its components), or why it is absent. */
export function valueOf(holder: Record_): ObservationValue {
  const q = quantity(holder['valueQuantity']);
  if (q !== null) return q;
  if (isRecord(holder['valueCodeableConcept'])) {
    const text = conceptText(holder['valueCodeableConcept']);
    if (text !== '') return { kind: 'text', text, coded: true };
  }
  if (typeof holder['valueString'] === 'string' && holder['valueString'].trim() !== '') return { kind: 'text', text: displayText(holder['valueString'], 2000), coded: false };
  if (typeof holder['valueBoolean'] === 'boolean') return { kind: 'text', text: holder['valueBoolean'] ? '✓' : '✗', coded: true };
  const integer = numberOf(holder['valueInteger']);
  if (integer !== null) return { kind: 'quantity', value: integer, comparator: null, unit: '', unitCode: null };
  if (isRecord(holder['valueRange'])) {
    const text = [quantityWords(holder['valueRange']['low']), quantityWords(holder['valueRange']['high'])].filter((t) => t !== '').join(' – ');
    if (text !== '') return { kind: 'text', text, coded: false };
  }
  if (isRecord(holder['valueRatio'])) {
    const text = [quantityWords(holder['valueRatio']['numerator']), quantityWords(holder['valueRatio']['denominator'])].filter((t) => t !== '').join(' / ');
    if (text !== '') return { kind: 'text', text, coded: false };
  }
  for (const key of ['valueTime', 'valueDateTime']) if (typeof holder[key] === 'string') return { kind: 'text', text: displayText(holder[key], 40), coded: false };
  if (isRecord(holder['valuePeriod'])) return { kind: 'text', text: [stringOf(holder['valuePeriod']['start']), stringOf(holder['valuePeriod']['end'])].filter((t) => t !== null).join(' – '), coded: false };
  if (isRecord(holder['valueSampledData'])) return { kind: 'text', text: displayText(holder['valueSampledData']['data'], 120), coded: false };
  if (isRecord(holder['dataAbsentReason'])) return { kind: 'absent', reason: conceptText(holder['dataAbsentReason']) };
  return { kind: 'none' };
}

const rangeOf = (r: Record_): { low: number | null; high: number | null; text: string } => {
  const range = records(r['referenceRange'])[0];
  if (range === undefined) return { low: null, high: null, text: '' };
  return {
    low: isRecord(range['low']) ? numberOf(range['low']['value']) : null,
    high: isRecord(range['high']) ? numberOf(range['high']['value']) : null,
    text: displayText(range['text'], 120),
  };
};

function componentsOf(r: Record_): ComponentResult[] {
  return records(r['component']).map((component) => {
    const value = valueOf(component);
    const range = rangeOf(component);
    return {
      name: conceptText(component['code']),
      value,
      flag: flagOf(component['interpretation'], value.kind === 'quantity' ? value.value : null, range.low, range.high, component['valueCodeableConcept']),
    };
  });
}

export function labResult(item: Item): LabResult {
  const r = item.resource;
  const kind = vitalKindOf(r['code']);
  const value = valueOf(r);
  const range = rangeOf(r);
  const components = componentsOf(r);
  const ownFlag = flagOf(r['interpretation'], value.kind === 'quantity' && value.comparator === null ? value.value : null, range.low, range.high, r['valueCodeableConcept']);
  const componentFlag = components.map((c) => c.flag).find((f) => f !== null && f !== 'N') ?? null;
  const interpretationText = records(r['interpretation']).filter((c) => firstCode(c) === null).map(conceptText).filter((t) => t !== '').join(', ');
  const name = conceptText(r['code']);
  const codes = records(isRecord(r['code']) ? r['code']['coding'] : undefined);
  const primary = codes.find((c) => c['system'] === loinc) ?? codes[0];
  return {
    ...item,
    code: primary !== undefined && typeof primary['code'] === 'string' ? `${stringOf(primary['system']) ?? ''}|${primary['code']}` : `text|${name}`,
    name,
    value,
    components,
    low: range.low,
    high: range.high,
    rangeText: range.text,
    flag: ownFlag ?? componentFlag,
    interpretationText,
    when: whenOfResource(r),
    ...groupOf(r, kind),
    status: stringOf(r['status']),
  };
}

/** A result says something: a name and a value, components, or why the value is absent. */
export const interpretable = (lab: LabResult): boolean => lab.name !== '' && (lab.value.kind !== 'none' || lab.components.length > 0);

function vitalPoint(lab: LabResult, kind: VitalKind): VitalPoint | null {
  if (lab.when === null) return null;
  const pending = lab.syncState !== 'synced';
  const base = { ref: lab.ref, pending, home: isPatientReported(lab.resource), when: lab.when, time: sortTime(lab.when) };
  if (kind === 'bloodPressure') {
    const part = (codes: readonly string[]) =>
      records(lab.resource['component']).find((c) => [...codesIn(c['code'], loinc), ...codesIn(c['code'], snomed)].some((code) => codes.includes(code)));
    const systolic = quantity(part(systolicCodes)?.['valueQuantity']);
    const diastolic = quantity(part(diastolicCodes)?.['valueQuantity']);
    if (systolic?.kind !== 'quantity' || diastolic?.kind !== 'quantity') return null;
    return { ...base, values: [systolic.value, diastolic.value], unitCode: systolic.unitCode, unit: systolic.unit };
  }
  if (lab.value.kind !== 'quantity') return null;
  return { ...base, ...inCanonicalUnit(kind, lab.value.value, lab.value.unitCode, lab.value.unit) };
}

const canonicalField: Readonly<Partial<Record<VitalKind, VitalField>>> = { temperature: 'temperature', weight: 'weight', glucose: 'glucose' };

/** One trend, one unit: °F, lb and mmol/L (or g/L) are drawn in °C, kg and mg/dL. */
function inCanonicalUnit(kind: VitalKind, value: number, code: string | null, unit: string): Pick<VitalPoint, 'values' | 'unitCode' | 'unit'> {
  const field = canonicalField[kind];
  const definition = field ? vitalDefinitions[field] : undefined;
  const choice = definition?.units.find((u) => u.ucum === code);
  if (definition === undefined || choice === undefined || code === definition.canonical) return { values: [value], unitCode: code, unit };
  const canonical = definition.units.find((u) => u.ucum === definition.canonical);
  const converted = choice.toCanonical(value);
  const decimals = canonical?.decimals ?? 1;
  return { values: [Math.round(converted * 10 ** decimals) / 10 ** decimals], unitCode: definition.canonical, unit: canonical?.unit ?? definition.canonical };
}

export type ObservationSplit = Readonly<{
  /** Every result, each in its group (vital signs included: their table lists every measurement). */
  results: readonly LabResult[];
  vitals: readonly VitalSeries[];
  /** Results that say nothing readable (no name, or no value of any kind): listed under other records. */
  uninterpretable: readonly LabResult[];
  /** Lab-table view kept for the summary and older callers: results of the laboratory group. */
  labs: readonly LabResult[];
}>;

export function splitObservations(items: readonly Item[]): ObservationSplit {
  const results: LabResult[] = [];
  const uninterpretable: LabResult[] = [];
  const points = new Map<VitalKind, VitalPoint[]>();
  for (const item of items) {
    const lab = labResult(item);
    if (!interpretable(lab)) {
      uninterpretable.push(lab);
      continue;
    }
    results.push(lab);
    if (lab.status === 'entered-in-error') continue;
    const kind = vitalKindOf(item.resource['code']);
    if (kind === null) continue;
    const point = vitalPoint(lab, kind);
    if (point !== null) points.set(kind, [...(points.get(kind) ?? []), point]);
  }
  results.sort((a, b) => byWhenDescending(a.when, b.when) || a.name.localeCompare(b.name));
  const vitals = vitalOrder.flatMap((kind) => {
    const list = points.get(kind);
    return list ? [{ kind, points: [...list].sort((a, b) => a.time - b.time) }] : [];
  });
  return { results, vitals, uninterpretable, labs: results.filter((r) => r.group === 'laboratory') };
}

export type TestHistory = Readonly<{ latest: LabResult; previous: LabResult | null; count: number; all: readonly LabResult[] }>;

/** The latest result of each test, with the one before it and the whole history (newest first). */
export function latestByTest(labs: readonly LabResult[]): readonly TestHistory[] {
  const byCode = new Map<string, LabResult[]>();
  for (const lab of labs) byCode.set(lab.code, [...(byCode.get(lab.code) ?? []), lab]);
  return [...byCode.values()]
    .map((list) => {
      const sorted = [...list].sort((a, b) => byWhenDescending(a.when, b.when));
      return { latest: sorted[0] as LabResult, previous: sorted[1] ?? null, count: sorted.length, all: sorted };
    })
    .sort((a, b) => a.latest.name.localeCompare(b.latest.name, 'fr'));
}
