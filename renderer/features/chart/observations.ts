import { codesIn, conceptText, firstCode, isRecord, loinc, numberOf, quantityOf, records, stringOf, timeOf } from '../record/fhir-text';
import { vitalDefinitions, type VitalField } from '../charting/vital-signs';
import type { Item } from './clinical-items';

/**
 * Observations split into the lab table (value, reference range, abnormal flag) and the vital-sign
 * trends (one series per measure; blood pressure as systolic + diastolic from the 85354-9 panel).
 */
export type AbnormalFlag = 'N' | 'H' | 'L' | 'HH' | 'LL' | 'A';

export type LabResult = Item &
  Readonly<{
    code: string;
    name: string;
    value: number | null;
    valueText: string;
    unit: string;
    unitCode: string | null;
    low: number | null;
    high: number | null;
    rangeText: string;
    flag: AbnormalFlag | null;
    when: string | null;
  }>;

export type VitalKind = 'bloodPressure' | 'heartRate' | 'temperature' | 'oxygenSaturation' | 'weight' | 'glucose';

export type VitalPoint = Readonly<{ ref: string; pending: boolean; when: string; time: number; values: readonly number[]; unitCode: string | null; unit: string }>;

export type VitalSeries = Readonly<{ kind: VitalKind; points: readonly VitalPoint[] }>;

/** LOINC codes of each vital sign (SpO2: pulse oximetry 59408-5 or arterial 2708-6; glucose: mass or molar). */
export const vitalCodes: Readonly<Record<VitalKind, readonly string[]>> = {
  bloodPressure: ['85354-9'],
  heartRate: ['8867-4'],
  temperature: ['8310-5'],
  oxygenSaturation: ['59408-5', '2708-6'],
  weight: ['29463-7'],
  glucose: ['2339-0', '15074-8'],
};
export const systolicCode = '8480-6';
export const diastolicCode = '8462-4';

const vitalKindOf = (codes: readonly string[]): VitalKind | null => {
  for (const [kind, list] of Object.entries(vitalCodes) as [VitalKind, readonly string[]][]) if (codes.some((c) => list.includes(c))) return kind;
  return null;
};

const categoryCodes = (resource: Item['resource']): readonly string[] => records(resource['category']).map(firstCode).filter((c): c is string => c !== null);

const knownFlags = new Set<AbnormalFlag>(['N', 'H', 'L', 'HH', 'LL', 'A']);

/** The HIE's interpretation when given; otherwise computed from the reference range. */
export function flagOf(interpretation: unknown, value: number | null, low: number | null, high: number | null): AbnormalFlag | null {
  for (const concept of records(interpretation)) {
    const code = firstCode(concept);
    if (code !== null && knownFlags.has(code as AbnormalFlag)) return code as AbnormalFlag;
  }
  if (value === null || (low === null && high === null)) return null;
  if (high !== null && value > high) return 'H';
  if (low !== null && value < low) return 'L';
  return 'N';
}

function labResult(item: Item): LabResult {
  const r = item.resource;
  const quantity = quantityOf(r['valueQuantity']);
  const range = records(r['referenceRange'])[0];
  const low = range ? (quantityOf(range['low'])?.value ?? null) : null;
  const high = range ? (quantityOf(range['high'])?.value ?? null) : null;
  const valueText = quantity === null ? (conceptText(r['valueCodeableConcept']) || (typeof r['valueString'] === 'string' ? r['valueString'].slice(0, 200) : '')) : '';
  return {
    ...item,
    code: codesIn(r['code'], loinc)[0] ?? conceptText(r['code']),
    name: conceptText(r['code']),
    value: quantity?.value ?? null,
    valueText,
    unit: quantity?.unit ?? '',
    unitCode: quantity?.code ?? null,
    low,
    high,
    rangeText: range ? (typeof range['text'] === 'string' ? range['text'] : '') : '',
    flag: flagOf(r['interpretation'], quantity?.value ?? null, low, high),
    when: stringOf(r['effectiveDateTime']) ?? stringOf(r['issued']),
  };
}

function vitalPoint(item: Item, kind: VitalKind): VitalPoint | null {
  const r = item.resource;
  const when = stringOf(r['effectiveDateTime']) ?? (isRecord(r['effectivePeriod']) ? stringOf(r['effectivePeriod']['start']) : null) ?? stringOf(r['issued']);
  const time = timeOf(when);
  if (when === null || time === null) return null;
  const pending = item.syncState !== 'synced';
  if (kind === 'bloodPressure') {
    const part = (code: string) => quantityOf(records(r['component']).find((c) => codesIn(c['code'], loinc).includes(code))?.['valueQuantity']);
    const systolic = part(systolicCode);
    const diastolic = part(diastolicCode);
    if (systolic === null || diastolic === null) return null;
    return { ref: item.ref, pending, when, time, values: [systolic.value, diastolic.value], unitCode: systolic.code, unit: systolic.unit };
  }
  const q = quantityOf(r['valueQuantity']);
  if (q === null || numberOf(q.value) === null) return null;
  return { ref: item.ref, pending, when, time, ...inCanonicalUnit(kind, q.value, q.code, q.unit) };
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

export type ObservationSplit = Readonly<{ labs: readonly LabResult[]; vitals: readonly VitalSeries[]; other: readonly Item[] }>;

export function splitObservations(items: readonly Item[]): ObservationSplit {
  const labs: LabResult[] = [];
  const points = new Map<VitalKind, VitalPoint[]>();
  const other: Item[] = [];
  for (const item of items) {
    if (item.resource['status'] === 'entered-in-error') continue;
    const codes = codesIn(item.resource['code'], loinc);
    const kind = vitalKindOf(codes);
    if (kind !== null) {
      const point = vitalPoint(item, kind);
      if (point !== null) points.set(kind, [...(points.get(kind) ?? []), point]);
      if (kind !== 'glucose') continue;
    }
    if (categoryCodes(item.resource).includes('laboratory')) labs.push(labResult(item));
    else if (kind === null) other.push(item);
  }
  labs.sort((a, b) => (b.when ?? '').localeCompare(a.when ?? '') || a.name.localeCompare(b.name));
  const order: readonly VitalKind[] = ['bloodPressure', 'heartRate', 'temperature', 'oxygenSaturation', 'weight', 'glucose'];
  const vitals = order.flatMap((kind) => {
    const list = points.get(kind);
    return list ? [{ kind, points: [...list].sort((a, b) => a.time - b.time) }] : [];
  });
  return { labs, vitals, other };
}

/** The latest result of each test, with the one before it (for the lab table). */
export function latestByTest(labs: readonly LabResult[]): readonly Readonly<{ latest: LabResult; previous: LabResult | null; count: number }>[] {
  const byCode = new Map<string, LabResult[]>();
  for (const lab of labs) byCode.set(lab.code, [...(byCode.get(lab.code) ?? []), lab]);
  return [...byCode.values()]
    .map((list) => ({ latest: list[0] as LabResult, previous: list[1] ?? null, count: list.length }))
    .sort((a, b) => a.latest.name.localeCompare(b.latest.name, 'fr'));
}
