import type { Coded } from './record-builders';

/**
 * A short list of coded choices offered while typing (free text is always accepted): the
 * substances, problems and medicines a general practice records most. Names in both languages;
 * codes from SNOMED CT, RxNorm and ATC.
 */
export type Suggestion = Readonly<{ fr: string; en: string; codings: readonly Coded[] }>;

const sct = (code: string, display: string): Coded => ({ system: 'http://snomed.info/sct', code, display });
const rx = (code: string, display: string): Coded => ({ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code, display });
const atc = (code: string, display: string): Coded => ({ system: 'http://www.whocc.no/atc', code, display });

export const allergySubstances: readonly Suggestion[] = [
  { fr: 'Pénicilline', en: 'Penicillin', codings: [sct('764146007', 'Penicillin')] },
  { fr: 'Amoxicilline', en: 'Amoxicillin', codings: [sct('372687004', 'Amoxicillin')] },
  { fr: 'Ibuprofène', en: 'Ibuprofen', codings: [sct('387207008', 'Ibuprofen')] },
  { fr: 'Aspirine', en: 'Aspirin', codings: [sct('387458008', 'Aspirin')] },
  { fr: 'Arachide', en: 'Peanut', codings: [sct('256349002', 'Peanut - dietary')] },
  { fr: 'Latex', en: 'Latex', codings: [sct('111088007', 'Latex')] },
  { fr: 'Iode (produits de contraste)', en: 'Iodinated contrast media', codings: [sct('385420005', 'Contrast media')] },
];

export const problems: readonly Suggestion[] = [
  { fr: 'Hypertension artérielle', en: 'Hypertension', codings: [sct('38341003', 'Hypertensive disorder, systemic arterial')] },
  { fr: 'Diabète de type 2', en: 'Type 2 diabetes', codings: [sct('44054006', 'Diabetes mellitus type 2')] },
  { fr: 'Fibrillation atriale', en: 'Atrial fibrillation', codings: [sct('49436004', 'Atrial fibrillation')] },
  { fr: 'Asthme', en: 'Asthma', codings: [sct('195967001', 'Asthma')] },
  { fr: 'Bronchopneumopathie chronique obstructive', en: 'Chronic obstructive pulmonary disease', codings: [sct('13645005', 'Chronic obstructive lung disease')] },
  { fr: 'Trouble dépressif', en: 'Depressive disorder', codings: [sct('35489007', 'Depressive disorder')] },
  { fr: 'Lombalgie', en: 'Low back pain', codings: [sct('279039007', 'Low back pain')] },
];

export const medicines: readonly Suggestion[] = [
  { fr: 'Paracétamol', en: 'Paracetamol', codings: [rx('161', 'acetaminophen'), atc('N02BE01', 'Paracétamol')] },
  { fr: 'Amoxicilline', en: 'Amoxicillin', codings: [rx('723', 'amoxicillin'), atc('J01CA04', 'Amoxicilline')] },
  { fr: 'Amlodipine', en: 'Amlodipine', codings: [rx('17767', 'amlodipine'), atc('C08CA01', 'Amlodipine')] },
  { fr: 'Metformine', en: 'Metformin', codings: [rx('6809', 'metformin'), atc('A10BA02', 'Metformine')] },
  { fr: 'Ramipril', en: 'Ramipril', codings: [rx('35296', 'ramipril'), atc('C09AA05', 'Ramipril')] },
  { fr: 'Atorvastatine', en: 'Atorvastatin', codings: [rx('83367', 'atorvastatin'), atc('C10AA05', 'Atorvastatine')] },
  { fr: 'Salbutamol', en: 'Salbutamol', codings: [rx('435', 'albuterol'), atc('R03AC02', 'Salbutamol')] },
];

/** The suggestion whose name (in either language) is exactly what was typed, accents and case aside. */
export function suggestionFor(list: readonly Suggestion[], typed: string): Suggestion | null {
  const fold = (s: string): string => s.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().trim();
  const key = fold(typed);
  return list.find((s) => fold(s.fr) === key || fold(s.en) === key) ?? null;
}
