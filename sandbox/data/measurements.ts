/**
 * LOINC-coded vital signs and laboratory results, with UCUM units and reference ranges. Codes
 * pass the LOINC check digit (tested); units are UCUM case-sensitive codes.
 */
export type MeasurementKey =
  | 'bloodPressure' | 'heartRate' | 'temperature' | 'oxygenSaturation' | 'weight' | 'glucose'
  | 'hba1c' | 'creatinine' | 'egfr' | 'potassium' | 'sodium' | 'ldl' | 'cholesterol'
  | 'hemoglobin' | 'inr' | 'tsh' | 'crp';

export type QuantityDefinition = Readonly<{
  loinc: string;
  display: string;
  /** Human unit as printed on a report. */
  unit: string;
  /** UCUM code. */
  ucum: string;
  decimals: number;
  low?: number;
  high?: number;
}>;

export type MeasurementDefinition = Readonly<{
  key: MeasurementKey;
  category: 'vital-signs' | 'laboratory';
  loinc: string;
  display: string;
  displayFr: string;
  /** One entry for a simple result; several for a panel whose values live in components. */
  components: readonly QuantityDefinition[];
  panel: boolean;
}>;

function single(
  key: MeasurementKey,
  category: MeasurementDefinition['category'],
  displayFr: string,
  quantity: QuantityDefinition,
): MeasurementDefinition {
  return { key, category, loinc: quantity.loinc, display: quantity.display, displayFr, components: [quantity], panel: false };
}

export const measurements: Readonly<Record<MeasurementKey, MeasurementDefinition>> = {
  bloodPressure: {
    key: 'bloodPressure',
    category: 'vital-signs',
    loinc: '85354-9',
    display: 'Blood pressure panel with all children optional',
    displayFr: 'Pression artérielle',
    panel: true,
    components: [
      { loinc: '8480-6', display: 'Systolic blood pressure', unit: 'mmHg', ucum: 'mm[Hg]', decimals: 0, low: 90, high: 139 },
      { loinc: '8462-4', display: 'Diastolic blood pressure', unit: 'mmHg', ucum: 'mm[Hg]', decimals: 0, low: 60, high: 89 },
    ],
  },
  heartRate: single('heartRate', 'vital-signs', 'Fréquence cardiaque',
    { loinc: '8867-4', display: 'Heart rate', unit: 'beats/min', ucum: '/min', decimals: 0, low: 60, high: 100 }),
  temperature: single('temperature', 'vital-signs', 'Température corporelle',
    { loinc: '8310-5', display: 'Body temperature', unit: '°C', ucum: 'Cel', decimals: 1, low: 36.1, high: 37.7 }),
  oxygenSaturation: single('oxygenSaturation', 'vital-signs', 'Saturation en oxygène (oxymétrie de pouls)',
    { loinc: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry', unit: '%', ucum: '%', decimals: 0, low: 94, high: 100 }),
  weight: single('weight', 'vital-signs', 'Poids',
    { loinc: '29463-7', display: 'Body weight', unit: 'kg', ucum: 'kg', decimals: 1 }),
  glucose: single('glucose', 'laboratory', 'Glycémie',
    { loinc: '2339-0', display: 'Glucose [Mass/volume] in Blood', unit: 'mg/dL', ucum: 'mg/dL', decimals: 0, low: 70, high: 140 }),
  hba1c: single('hba1c', 'laboratory', 'Hémoglobine glyquée (HbA1c)',
    { loinc: '4548-4', display: 'Hemoglobin A1c/Hemoglobin.total in Blood', unit: '%', ucum: '%', decimals: 1, low: 4, high: 5.6 }),
  creatinine: single('creatinine', 'laboratory', 'Créatininémie',
    { loinc: '14682-9', display: 'Creatinine [Moles/volume] in Serum or Plasma', unit: 'µmol/L', ucum: 'umol/L', decimals: 0, low: 45, high: 104 }),
  egfr: single('egfr', 'laboratory', 'Débit de filtration glomérulaire estimé (CKD-EPI)',
    { loinc: '62238-1', display: 'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI)', unit: 'mL/min/1.73m²', ucum: 'mL/min/{1.73_m2}', decimals: 0, low: 60 }),
  potassium: single('potassium', 'laboratory', 'Kaliémie',
    { loinc: '2823-3', display: 'Potassium [Moles/volume] in Serum or Plasma', unit: 'mmol/L', ucum: 'mmol/L', decimals: 1, low: 3.5, high: 5 }),
  sodium: single('sodium', 'laboratory', 'Natrémie',
    { loinc: '2951-2', display: 'Sodium [Moles/volume] in Serum or Plasma', unit: 'mmol/L', ucum: 'mmol/L', decimals: 0, low: 135, high: 145 }),
  ldl: single('ldl', 'laboratory', 'Cholestérol LDL (calculé)',
    { loinc: '13457-7', display: 'Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation', unit: 'mg/dL', ucum: 'mg/dL', decimals: 0, high: 130 }),
  cholesterol: single('cholesterol', 'laboratory', 'Cholestérol total',
    { loinc: '2093-3', display: 'Cholesterol [Mass/volume] in Serum or Plasma', unit: 'mg/dL', ucum: 'mg/dL', decimals: 0, high: 200 }),
  hemoglobin: single('hemoglobin', 'laboratory', 'Hémoglobine',
    { loinc: '718-7', display: 'Hemoglobin [Mass/volume] in Blood', unit: 'g/dL', ucum: 'g/dL', decimals: 1, low: 12, high: 17.5 }),
  inr: single('inr', 'laboratory', 'INR',
    { loinc: '6301-6', display: 'INR in Platelet poor plasma by Coagulation assay', unit: 'INR', ucum: '{INR}', decimals: 1, low: 0.8, high: 1.2 }),
  tsh: single('tsh', 'laboratory', 'TSH',
    { loinc: '3016-3', display: 'Thyrotropin [Units/volume] in Serum or Plasma', unit: 'mUI/L', ucum: 'm[IU]/L', decimals: 2, low: 0.4, high: 4 }),
  crp: single('crp', 'laboratory', 'Protéine C-réactive',
    { loinc: '1988-5', display: 'C reactive protein [Mass/volume] in Serum or Plasma', unit: 'mg/L', ucum: 'mg/L', decimals: 1, high: 5 }),
};

export type InterpretationCode = 'N' | 'H' | 'L' | 'HH' | 'LL';

/** HL7 v3 ObservationInterpretation against the reference range; critical beyond 50 % out. */
export function interpret(value: number, quantity: QuantityDefinition): InterpretationCode | undefined {
  const { low, high } = quantity;
  if (low === undefined && high === undefined) return undefined;
  if (high !== undefined && value > high) return value > high * 1.5 ? 'HH' : 'H';
  if (low !== undefined && value < low) return value < low * 0.5 ? 'LL' : 'L';
  return 'N';
}

export const interpretationDisplay: Readonly<Record<InterpretationCode, string>> = {
  N: 'Normal',
  H: 'High',
  L: 'Low',
  HH: 'Critical high',
  LL: 'Critical low',
};

/** The UCUM codes the generator may emit; tests check every emitted unit is one of them. */
export const ucumCodes: ReadonlySet<string> = new Set(
  Object.values(measurements).flatMap((m) => m.components.map((c) => c.ucum)),
);
