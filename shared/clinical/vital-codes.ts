import { codesIn, loinc, snomed } from '../fhir/fhir-text';

/**
 * Vital signs as FHIR R4 codes them (the vital-signs profile's LOINC codes, §8.2.1.1, with the
 * site- and method-specific ones) and as primary-care systems do (SNOMED CT): one table, so the
 * chart and the patient summary recognise the same measures, category or not.
 */
export type VitalKind = 'bloodPressure' | 'heartRate' | 'respiratoryRate' | 'temperature' | 'oxygenSaturation' | 'weight' | 'height' | 'bmi' | 'headCircumference' | 'glucose';
export const vitalOrder: readonly VitalKind[] = ['bloodPressure', 'heartRate', 'respiratoryRate', 'temperature', 'oxygenSaturation', 'weight', 'height', 'bmi', 'headCircumference', 'glucose'];

/** LOINC codes of each measure (R4 vital-signs profile, plus site- and method-specific codes). */
export const vitalCodes: Readonly<Record<VitalKind, readonly string[]>> = {
  bloodPressure: ['85354-9', '55284-4', '35094-2'],
  heartRate: ['8867-4', '8893-0', '8889-8'],
  respiratoryRate: ['9279-1'],
  // Body temperature, then oral, axillary, rectal, tympanic, core, temporal artery.
  temperature: ['8310-5', '8331-1', '8328-7', '8332-9', '8333-7', '8329-5', '75539-7'],
  oxygenSaturation: ['59408-5', '2708-6', '2710-2', '20564-1'],
  weight: ['29463-7', '3141-9', '8350-1'],
  height: ['8302-2', '8306-3', '8308-9'],
  bmi: ['39156-5'],
  headCircumference: ['9843-4', '8287-5'],
  glucose: ['2339-0', '15074-8', '41653-7'],
};
/** SNOMED CT concepts for the same measures (primary-care systems code vitals this way). */
const vitalSnomed: Readonly<Partial<Record<VitalKind, readonly string[]>>> = {
  bloodPressure: ['163020007', '75367002', '364090009'],
  heartRate: ['364075005', '78564009'],
  respiratoryRate: ['86290005'],
  temperature: ['386725007'],
  oxygenSaturation: ['431314004', '103228002'],
  weight: ['27113001'],
  height: ['50373000', '248333004'],
  bmi: ['60621009'],
  headCircumference: ['363812007'],
};
export function vitalKindOf(concept: unknown): VitalKind | null {
  const l = codesIn(concept, loinc);
  const s = codesIn(concept, snomed);
  for (const kind of vitalOrder) {
    if (l.some((c) => vitalCodes[kind].includes(c)) || s.some((c) => vitalSnomed[kind]?.includes(c) === true)) return kind;
  }
  return null;
}
