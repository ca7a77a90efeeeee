import type { FhirResource } from '../../../shared/fhir/resource';

/**
 * The vital signs a clinician records offline: LOINC codes, UCUM units, unit conversions and the
 * range of values a human body can show (a value outside is a typing error, refused with the
 * reason). Pure data and functions — candidates for shared/clinical/ (see the note to the lead).
 *
 * LOINC: the vital-signs profile codes of FHIR R4 §8.2 (Observation vital signs): BP panel
 * 85354-9 with systolic 8480-6 / diastolic 8462-4; heart rate 8867-4; body temperature 8310-5;
 * SpO2 by pulse oximetry 59408-5; body weight 29463-7; glucose mass/volume 2339-0 or
 * moles/volume 15074-8 (the unit decides which).
 */
export type VitalField = 'systolic' | 'diastolic' | 'heartRate' | 'temperature' | 'oxygenSaturation' | 'weight' | 'glucose';

export type UnitChoice = Readonly<{ ucum: string; unit: string; /** to the canonical unit of the field */ toCanonical: (v: number) => number; decimals: number; loinc?: string; display?: string }>;

export type VitalDefinition = Readonly<{
  field: VitalField;
  loinc: string;
  display: string;
  /** The canonical unit (UCUM) the plausible range is given in. */
  canonical: string;
  min: number;
  max: number;
  units: readonly UnitChoice[];
}>;

const same = (v: number): number => v;

export const vitalDefinitions: Readonly<Record<VitalField, VitalDefinition>> = {
  systolic: { field: 'systolic', loinc: '8480-6', display: 'Systolic blood pressure', canonical: 'mm[Hg]', min: 50, max: 280, units: [{ ucum: 'mm[Hg]', unit: 'mmHg', toCanonical: same, decimals: 0 }] },
  diastolic: { field: 'diastolic', loinc: '8462-4', display: 'Diastolic blood pressure', canonical: 'mm[Hg]', min: 20, max: 180, units: [{ ucum: 'mm[Hg]', unit: 'mmHg', toCanonical: same, decimals: 0 }] },
  heartRate: { field: 'heartRate', loinc: '8867-4', display: 'Heart rate', canonical: '/min', min: 20, max: 250, units: [{ ucum: '/min', unit: 'beats/minute', toCanonical: same, decimals: 0 }] },
  temperature: {
    field: 'temperature', loinc: '8310-5', display: 'Body temperature', canonical: 'Cel', min: 30, max: 44,
    units: [
      { ucum: 'Cel', unit: '°C', toCanonical: same, decimals: 1 },
      { ucum: '[degF]', unit: '°F', toCanonical: (f) => ((f - 32) * 5) / 9, decimals: 1 },
    ],
  },
  oxygenSaturation: { field: 'oxygenSaturation', loinc: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry', canonical: '%', min: 50, max: 100, units: [{ ucum: '%', unit: '%', toCanonical: same, decimals: 0 }] },
  weight: {
    field: 'weight', loinc: '29463-7', display: 'Body weight', canonical: 'kg', min: 0.3, max: 400,
    units: [
      { ucum: 'kg', unit: 'kg', toCanonical: same, decimals: 1 },
      { ucum: '[lb_av]', unit: 'lb', toCanonical: (lb) => lb * 0.45359237, decimals: 1 },
    ],
  },
  glucose: {
    field: 'glucose', loinc: '2339-0', display: 'Glucose [Mass/volume] in Blood', canonical: 'mg/dL', min: 10, max: 1000,
    units: [
      { ucum: 'mg/dL', unit: 'mg/dL', toCanonical: same, decimals: 0, loinc: '2339-0' },
      // 1 mmol/L of glucose = 18.016 mg/dL (molar mass 180.16 g/mol).
      { ucum: 'mmol/L', unit: 'mmol/L', toCanonical: (mmol) => mmol * 18.016, decimals: 1, loinc: '15074-8', display: 'Glucose [Moles/volume] in Blood' },
      { ucum: 'g/L', unit: 'g/L', toCanonical: (g) => g * 100, decimals: 2, loinc: '2339-0' },
    ],
  },
};

export const bloodPressurePanel = { loinc: '85354-9', display: 'Blood pressure panel with all children optional' } as const;

/** A number as typed in either language: "37,5" or "37.5"; null when it is not one. */
export function parseTypedNumber(text: string): number | null {
  const normalized = text.trim().replace(/\s/g, '').replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(normalized)) return null;
  return Number(normalized);
}

export type VitalProblem = 'not-a-number' | 'too-low' | 'too-high' | 'diastolic-above-systolic' | 'half-a-pressure';

export type VitalCheck = Readonly<{ field: VitalField; problem: VitalProblem; min: number; max: number; unit: string }>;

export type VitalEntry = Readonly<{ field: VitalField; text: string; unit: string }>;

/** Each entry's problem, if any (an empty text is "not measured", not a problem). */
export function checkVitals(entries: readonly VitalEntry[]): readonly VitalCheck[] {
  const problems: VitalCheck[] = [];
  const canonicalValues = new Map<VitalField, number>();
  for (const entry of entries) {
    if (entry.text.trim() === '') continue;
    const definition = vitalDefinitions[entry.field];
    const unit = definition.units.find((u) => u.ucum === entry.unit) ?? definition.units[0];
    if (unit === undefined) continue;
    // The range shown to the clinician is in the unit they chose.
    const [lo, hi] = [definition.min, definition.max].map((c) => invert(unit, c)) as [number, number];
    const value = parseTypedNumber(entry.text);
    const base = { field: entry.field, min: round(lo, unit.decimals), max: round(hi, unit.decimals), unit: unit.ucum };
    if (value === null) {
      problems.push({ ...base, problem: 'not-a-number' });
      continue;
    }
    const canonical = unit.toCanonical(value);
    if (canonical < definition.min) problems.push({ ...base, problem: 'too-low' });
    else if (canonical > definition.max) problems.push({ ...base, problem: 'too-high' });
    else canonicalValues.set(entry.field, canonical);
  }
  const systolic = entries.find((e) => e.field === 'systolic')?.text.trim() ?? '';
  const diastolic = entries.find((e) => e.field === 'diastolic')?.text.trim() ?? '';
  const pressure = { min: 0, max: 0, unit: 'mm[Hg]' };
  if ((systolic === '') !== (diastolic === '')) problems.push({ field: systolic === '' ? 'systolic' : 'diastolic', problem: 'half-a-pressure', ...pressure });
  const s = canonicalValues.get('systolic');
  const d = canonicalValues.get('diastolic');
  if (s !== undefined && d !== undefined && d >= s) problems.push({ field: 'diastolic', problem: 'diastolic-above-systolic', ...pressure });
  return problems;
}

function invert(unit: UnitChoice, canonical: number): number {
  // Every conversion here is affine: two points give it back.
  const a = unit.toCanonical(0);
  const b = unit.toCanonical(1) - a;
  return (canonical - a) / b;
}

const round = (value: number, decimals: number): number => Math.round(value * 10 ** decimals) / 10 ** decimals;

const vitalCategory = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }] }];

const quantity = (value: number, unit: UnitChoice) => ({ value, unit: unit.unit, system: 'http://unitsofmeasure.org', code: unit.ucum });

const coded = (loinc: string, display: string, text?: string) => ({ coding: [{ system: 'http://loinc.org', code: loinc, display }], ...(text ? { text } : {}) });

export type VitalContext = Readonly<{ patient: string; practitioner: string; effective: string; newId(): string; labels: Readonly<Record<VitalField | 'bloodPressure', string>> }>;

/**
 * One Observation per measure (blood pressure as one panel with two components), ready for
 * saveLocalEdit({op:'create'}). Call only after checkVitals found no problem.
 */
export function vitalObservations(entries: readonly VitalEntry[], context: VitalContext): FhirResource[] {
  const base = (id: string) => ({
    resourceType: 'Observation',
    id,
    status: 'final',
    category: vitalCategory,
    subject: { reference: context.patient },
    effectiveDateTime: context.effective,
    performer: [{ reference: context.practitioner }],
  });
  const filled = new Map(entries.filter((e) => e.text.trim() !== '').map((e) => [e.field, e]));
  const valueOf = (entry: VitalEntry): { value: number; unit: UnitChoice } => {
    const definition = vitalDefinitions[entry.field];
    const unit = definition.units.find((u) => u.ucum === entry.unit) ?? (definition.units[0] as UnitChoice);
    return { value: round(parseTypedNumber(entry.text) ?? Number.NaN, unit.decimals), unit };
  };
  const out: FhirResource[] = [];
  const systolic = filled.get('systolic');
  const diastolic = filled.get('diastolic');
  if (systolic && diastolic) {
    const s = valueOf(systolic);
    const d = valueOf(diastolic);
    out.push({
      ...base(context.newId()),
      code: coded(bloodPressurePanel.loinc, bloodPressurePanel.display, context.labels.bloodPressure),
      component: [
        { code: coded(vitalDefinitions.systolic.loinc, vitalDefinitions.systolic.display), valueQuantity: quantity(s.value, s.unit) },
        { code: coded(vitalDefinitions.diastolic.loinc, vitalDefinitions.diastolic.display), valueQuantity: quantity(d.value, d.unit) },
      ],
    });
  }
  for (const field of ['heartRate', 'temperature', 'oxygenSaturation', 'weight', 'glucose'] as const) {
    const entry = filled.get(field);
    if (!entry) continue;
    const { value, unit } = valueOf(entry);
    const definition = vitalDefinitions[field];
    out.push({ ...base(context.newId()), code: coded(unit.loinc ?? definition.loinc, unit.display ?? definition.display, context.labels[field]), valueQuantity: quantity(value, unit) });
  }
  return out;
}
