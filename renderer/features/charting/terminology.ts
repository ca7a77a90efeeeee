import { foldForSearch } from '../../../shared/text-fold';
import type { Coded } from './record-builders';

/**
 * A short list of coded problems offered while typing (free text is always accepted): those a
 * general practice records most, in both languages, coded in SNOMED CT. Medicines and allergy
 * substances come from the medication knowledge (shared/medication).
 */
export type Suggestion = Readonly<{ fr: string; en: string; codings: readonly Coded[] }>;

const sct = (code: string, display: string): Coded => ({ system: 'http://snomed.info/sct', code, display });

export const problems: readonly Suggestion[] = [
  { fr: 'Hypertension artérielle', en: 'Hypertension', codings: [sct('38341003', 'Hypertensive disorder, systemic arterial')] },
  { fr: 'Diabète de type 2', en: 'Type 2 diabetes', codings: [sct('44054006', 'Diabetes mellitus type 2')] },
  { fr: 'Fibrillation atriale', en: 'Atrial fibrillation', codings: [sct('49436004', 'Atrial fibrillation')] },
  { fr: 'Asthme', en: 'Asthma', codings: [sct('195967001', 'Asthma')] },
  { fr: 'Bronchopneumopathie chronique obstructive', en: 'Chronic obstructive pulmonary disease', codings: [sct('13645005', 'Chronic obstructive lung disease')] },
  { fr: 'Trouble dépressif', en: 'Depressive disorder', codings: [sct('35489007', 'Depressive disorder')] },
  { fr: 'Lombalgie', en: 'Low back pain', codings: [sct('279039007', 'Low back pain')] },
];

/** The suggestion whose name (in either language) is exactly what was typed, accents and case aside. */
export function suggestionFor(list: readonly Suggestion[], typed: string): Suggestion | null {
  const fold = (s: string): string => foldForSearch(s).trim();
  const key = fold(typed);
  return list.find((s) => fold(s.fr) === key || fold(s.en) === key) ?? null;
}
