/**
 * Medications the charts prescribe, coded twice (RxNorm ingredient + WHO ATC) as a French or
 * English record would carry them, and the interacting pairs the client's checks should catch.
 */
import type { ProblemKey } from './terminology.ts';

export type MedicationKey =
  | 'warfarin' | 'aspirin' | 'simvastatin' | 'clarithromycin' | 'atorvastatin' | 'metformin'
  | 'insulinGlargine' | 'amlodipine' | 'ramipril' | 'lisinopril' | 'bisoprolol' | 'furosemide'
  | 'spironolactone' | 'apixaban' | 'amiodarone' | 'digoxin' | 'levothyroxine' | 'omeprazole'
  | 'sertraline' | 'citalopram' | 'tramadol' | 'paracetamol' | 'ibuprofen' | 'salbutamol'
  | 'tiotropium' | 'amoxicillin' | 'folicAcid'
  // One half of each ONC high-priority pair (see oncHalves).
  | 'methylphenidate' | 'azathioprine' | 'amitriptyline' | 'diltiazem' | 'fluvoxamine' | 'carbamazepine'
  | 'tizanidine' | 'selegiline' | 'sumatriptan' | 'atazanavir';

export type MedicationDefinition = Readonly<{
  key: MedicationKey;
  rxnorm: string;
  rxnormDisplay: string;
  atc: string;
  nameFr: string;
  doseFr: string;
  doseEn: string;
  /** Acute treatments are prescribed for a short course and end up completed. */
  acute: boolean;
}>;

export const medications: readonly MedicationDefinition[] = [
  { key: 'warfarin', rxnorm: '11289', rxnormDisplay: 'warfarin', atc: 'B01AA03', nameFr: 'Warfarine', doseFr: '5 mg le soir, dose ajustée selon l’INR', doseEn: '5 mg in the evening, adjusted to INR', acute: false },
  { key: 'aspirin', rxnorm: '1191', rxnormDisplay: 'aspirin', atc: 'B01AC06', nameFr: 'Acide acétylsalicylique', doseFr: '75 mg une fois par jour', doseEn: '75 mg once daily', acute: false },
  { key: 'simvastatin', rxnorm: '36567', rxnormDisplay: 'simvastatin', atc: 'C10AA01', nameFr: 'Simvastatine', doseFr: '40 mg le soir', doseEn: '40 mg at night', acute: false },
  { key: 'clarithromycin', rxnorm: '21212', rxnormDisplay: 'clarithromycin', atc: 'J01FA09', nameFr: 'Clarithromycine', doseFr: '500 mg deux fois par jour pendant 7 jours', doseEn: '500 mg twice daily for 7 days', acute: true },
  { key: 'atorvastatin', rxnorm: '83367', rxnormDisplay: 'atorvastatin', atc: 'C10AA05', nameFr: 'Atorvastatine', doseFr: '20 mg une fois par jour', doseEn: '20 mg once daily', acute: false },
  { key: 'metformin', rxnorm: '6809', rxnormDisplay: 'metformin', atc: 'A10BA02', nameFr: 'Metformine', doseFr: '1000 mg matin et soir', doseEn: '1000 mg twice daily', acute: false },
  { key: 'insulinGlargine', rxnorm: '274783', rxnormDisplay: 'insulin glargine', atc: 'A10AE04', nameFr: 'Insuline glargine', doseFr: '18 UI le soir', doseEn: '18 units at night', acute: false },
  { key: 'amlodipine', rxnorm: '17767', rxnormDisplay: 'amlodipine', atc: 'C08CA01', nameFr: 'Amlodipine', doseFr: '5 mg une fois par jour', doseEn: '5 mg once daily', acute: false },
  { key: 'ramipril', rxnorm: '35296', rxnormDisplay: 'ramipril', atc: 'C09AA05', nameFr: 'Ramipril', doseFr: '5 mg une fois par jour', doseEn: '5 mg once daily', acute: false },
  { key: 'lisinopril', rxnorm: '29046', rxnormDisplay: 'lisinopril', atc: 'C09AA03', nameFr: 'Lisinopril', doseFr: '10 mg une fois par jour', doseEn: '10 mg once daily', acute: false },
  { key: 'bisoprolol', rxnorm: '19484', rxnormDisplay: 'bisoprolol', atc: 'C07AB07', nameFr: 'Bisoprolol', doseFr: '2,5 mg une fois par jour', doseEn: '2.5 mg once daily', acute: false },
  { key: 'furosemide', rxnorm: '4603', rxnormDisplay: 'furosemide', atc: 'C03CA01', nameFr: 'Furosémide', doseFr: '40 mg le matin', doseEn: '40 mg in the morning', acute: false },
  { key: 'spironolactone', rxnorm: '9997', rxnormDisplay: 'spironolactone', atc: 'C03DA01', nameFr: 'Spironolactone', doseFr: '25 mg une fois par jour', doseEn: '25 mg once daily', acute: false },
  { key: 'apixaban', rxnorm: '1364430', rxnormDisplay: 'apixaban', atc: 'B01AF02', nameFr: 'Apixaban', doseFr: '5 mg matin et soir', doseEn: '5 mg twice daily', acute: false },
  { key: 'amiodarone', rxnorm: '703', rxnormDisplay: 'amiodarone', atc: 'C01BD01', nameFr: 'Amiodarone', doseFr: '200 mg une fois par jour', doseEn: '200 mg once daily', acute: false },
  { key: 'digoxin', rxnorm: '3407', rxnormDisplay: 'digoxin', atc: 'C01AA05', nameFr: 'Digoxine', doseFr: '0,125 mg une fois par jour', doseEn: '125 micrograms once daily', acute: false },
  { key: 'levothyroxine', rxnorm: '10582', rxnormDisplay: 'levothyroxine', atc: 'H03AA01', nameFr: 'Lévothyroxine', doseFr: '75 µg le matin à jeun', doseEn: '75 micrograms in the morning', acute: false },
  { key: 'omeprazole', rxnorm: '7646', rxnormDisplay: 'omeprazole', atc: 'A02BC01', nameFr: 'Oméprazole', doseFr: '20 mg le matin', doseEn: '20 mg in the morning', acute: false },
  { key: 'sertraline', rxnorm: '36437', rxnormDisplay: 'sertraline', atc: 'N06AB06', nameFr: 'Sertraline', doseFr: '50 mg une fois par jour', doseEn: '50 mg once daily', acute: false },
  { key: 'citalopram', rxnorm: '2556', rxnormDisplay: 'citalopram', atc: 'N06AB04', nameFr: 'Citalopram', doseFr: '20 mg une fois par jour', doseEn: '20 mg once daily', acute: false },
  { key: 'tramadol', rxnorm: '10689', rxnormDisplay: 'tramadol', atc: 'N02AX02', nameFr: 'Tramadol', doseFr: '50 mg jusqu’à 3 fois par jour si douleur', doseEn: '50 mg up to three times daily when needed', acute: false },
  { key: 'paracetamol', rxnorm: '161', rxnormDisplay: 'acetaminophen', atc: 'N02BE01', nameFr: 'Paracétamol', doseFr: '1 g jusqu’à 3 fois par jour', doseEn: '1 g up to three times daily', acute: false },
  { key: 'ibuprofen', rxnorm: '5640', rxnormDisplay: 'ibuprofen', atc: 'M01AE01', nameFr: 'Ibuprofène', doseFr: '400 mg jusqu’à 3 fois par jour pendant 5 jours', doseEn: '400 mg up to three times daily for 5 days', acute: true },
  { key: 'salbutamol', rxnorm: '435', rxnormDisplay: 'albuterol', atc: 'R03AC02', nameFr: 'Salbutamol', doseFr: '2 bouffées si besoin', doseEn: '2 puffs when needed', acute: false },
  { key: 'tiotropium', rxnorm: '69120', rxnormDisplay: 'tiotropium', atc: 'R03BB04', nameFr: 'Tiotropium', doseFr: '2 inhalations une fois par jour', doseEn: '2 inhalations once daily', acute: false },
  { key: 'amoxicillin', rxnorm: '723', rxnormDisplay: 'amoxicillin', atc: 'J01CA04', nameFr: 'Amoxicilline', doseFr: '1 g trois fois par jour pendant 7 jours', doseEn: '1 g three times daily for 7 days', acute: true },
  { key: 'folicAcid', rxnorm: '4511', rxnormDisplay: 'folic acid', atc: 'B03BB01', nameFr: 'Acide folique', doseFr: '5 mg une fois par jour', doseEn: '5 mg once daily', acute: false },
  { key: 'methylphenidate', rxnorm: '6901', rxnormDisplay: 'methylphenidate', atc: 'N06BA04', nameFr: 'Méthylphénidate', doseFr: '10 mg matin et midi', doseEn: '10 mg morning and noon', acute: false },
  { key: 'azathioprine', rxnorm: '1256', rxnormDisplay: 'azathioprine', atc: 'L04AX01', nameFr: 'Azathioprine', doseFr: '50 mg deux fois par jour', doseEn: '50 mg twice daily', acute: false },
  { key: 'amitriptyline', rxnorm: '704', rxnormDisplay: 'amitriptyline', atc: 'N06AA09', nameFr: 'Amitriptyline', doseFr: '25 mg le soir', doseEn: '25 mg at night', acute: false },
  { key: 'diltiazem', rxnorm: '3443', rxnormDisplay: 'diltiazem', atc: 'C08DB01', nameFr: 'Diltiazem', doseFr: '60 mg trois fois par jour', doseEn: '60 mg three times daily', acute: false },
  { key: 'fluvoxamine', rxnorm: '42355', rxnormDisplay: 'fluvoxamine', atc: 'N06AB08', nameFr: 'Fluvoxamine', doseFr: '100 mg le soir', doseEn: '100 mg at night', acute: false },
  { key: 'carbamazepine', rxnorm: '2002', rxnormDisplay: 'carbamazepine', atc: 'N03AF01', nameFr: 'Carbamazépine', doseFr: '200 mg deux fois par jour', doseEn: '200 mg twice daily', acute: false },
  { key: 'tizanidine', rxnorm: '57258', rxnormDisplay: 'tizanidine', atc: 'M03BX02', nameFr: 'Tizanidine', doseFr: '2 mg trois fois par jour', doseEn: '2 mg three times daily', acute: false },
  { key: 'selegiline', rxnorm: '9639', rxnormDisplay: 'selegiline', atc: 'N04BD01', nameFr: 'Sélégiline', doseFr: '10 mg le matin', doseEn: '10 mg in the morning', acute: false },
  { key: 'sumatriptan', rxnorm: '37418', rxnormDisplay: 'sumatriptan', atc: 'N02CC01', nameFr: 'Sumatriptan', doseFr: '50 mg au début de la crise, si besoin', doseEn: '50 mg at the onset of a migraine, when needed', acute: false },
  { key: 'atazanavir', rxnorm: '343047', rxnormDisplay: 'atazanavir', atc: 'J05AE08', nameFr: 'Atazanavir', doseFr: '300 mg une fois par jour avec le ritonavir', doseEn: '300 mg once daily with ritonavir', acute: false },
];

/**
 * One half of each of the ONC high-priority contraindicated pairs (Phansalkar et al., JAMIA 2012),
 * each a chronic treatment a primary-care panel holds: a patient carrying one lets the demo and the
 * tests order the other half and see the alert (amphetamines, atazanavir, thiopurines, tricyclics,
 * irinotecan's and the statins' CYP3A4 inhibitors, ramelteon's and tizanidine's CYP1A2 inhibitors,
 * protease inhibitors' inducers, tizanidine, MAO inhibitors, triptans). Others (the SSRIs, tramadol,
 * omeprazole, simvastatin, amiodarone) are already in the panel's treatments.
 */
export const oncHalves: readonly MedicationKey[] = [
  'methylphenidate', 'atazanavir', 'azathioprine', 'amitriptyline', 'diltiazem', 'fluvoxamine', 'carbamazepine', 'tizanidine', 'selegiline', 'sumatriptan',
];

export function medicationByKey(key: MedicationKey): MedicationDefinition {
  const found = medications.find((m) => m.key === key);
  if (!found) throw new RangeError(`unknown medication ${key}`);
  return found;
}

/** What a prescriber in primary care would start for each problem, most usual first. */
export const treatments: Readonly<Record<ProblemKey, readonly MedicationKey[]>> = {
  hypertension: ['amlodipine', 'ramipril', 'lisinopril'],
  diabetes: ['metformin', 'insulinGlargine'],
  atrialFibrillation: ['apixaban', 'warfarin', 'bisoprolol', 'amiodarone', 'digoxin'],
  hyperlipidemia: ['atorvastatin', 'simvastatin'],
  coronaryDisease: ['aspirin', 'atorvastatin', 'bisoprolol'],
  heartFailure: ['furosemide', 'bisoprolol', 'ramipril', 'spironolactone'],
  kidneyDisease: [],
  asthma: ['salbutamol'],
  copd: ['tiotropium', 'salbutamol'],
  hypothyroidism: ['levothyroxine'],
  depression: ['sertraline', 'citalopram'],
  anxiety: ['sertraline'],
  osteoarthritis: ['paracetamol', 'ibuprofen', 'tramadol'],
  reflux: ['omeprazole'],
  obesity: [],
  pneumonia: ['amoxicillin', 'clarithromycin'],
  migraine: ['ibuprofen', 'paracetamol'],
  anemia: ['folicAcid'],
};

export type InteractionDefinition = Readonly<{
  pair: readonly [MedicationKey, MedicationKey];
  /** The problems that make a patient carry the pair. */
  problems: readonly ProblemKey[];
  risk: string;
}>;

/** Well-known interacting pairs; a share of patients is given each one (see chart.ts). */
export const interactions: readonly InteractionDefinition[] = [
  { pair: ['warfarin', 'aspirin'], problems: ['atrialFibrillation', 'coronaryDisease'], risk: 'bleeding' },
  { pair: ['simvastatin', 'clarithromycin'], problems: ['hyperlipidemia', 'pneumonia'], risk: 'myopathy (CYP3A4 inhibition)' },
  { pair: ['warfarin', 'amiodarone'], problems: ['atrialFibrillation'], risk: 'raised INR' },
  { pair: ['digoxin', 'amiodarone'], problems: ['atrialFibrillation'], risk: 'digoxin toxicity' },
  { pair: ['spironolactone', 'ramipril'], problems: ['heartFailure'], risk: 'hyperkalaemia' },
  { pair: ['citalopram', 'tramadol'], problems: ['depression', 'osteoarthritis'], risk: 'serotonin syndrome' },
];
