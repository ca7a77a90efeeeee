import type { FhirResource } from '../../shared/fhir/resource';
import { foldForSearch } from '../../shared/text-fold';

/**
 * Patient search by name, identifier and birth date, from an index that lives only in memory:
 * built from the decrypted Patients at open and kept current as Patients are written or removed.
 * Names and identifiers are never indexed on disk (IndexedDB indexes are plaintext), so this
 * index is the price of searching them. 2,500 patients × a dozen terms: a linear scan is < 1 ms.
 *
 * Matching is accent- and case-insensitive ("Hélène" ~ "helene", "Œuvray" ~ "oeuvray"): every
 * word typed must be the start of some term of the patient. A birth date may be typed ISO
 * (1950-03-12, 1950-03, 1950) or French (12/03/1950); an identifier with or without its spaces.
 */
export type PatientSearchIndex = Readonly<{
  put(ref: string, patient: FhirResource): void;
  remove(ref: string): void;
  /** Patient refs, best matches first. */
  search(text: string, limit: number): readonly string[];
  size(): number;
  clear(): void;
}>;

/** Identifiers compared without their separators: "1 85 05 78 006 084 36" = "185057800608436". */
const compact = (text: string): string => foldForSearch(text).replace(/[\s.\-/_]+/g, '');

const words = (text: string): string[] => foldForSearch(text).split(/[\s,;'’"()]+/u).filter((w) => w.length > 0);

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : [];

const objects = (value: unknown): Readonly<Record<string, unknown>>[] =>
  Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null) : [];

/** The terms a Patient is found by. Hyphenated names count whole and by part (Jean-Pierre). */
export function termsOf(patient: FhirResource): Set<string> {
  const terms = new Set<string>();
  const addName = (text: string): void => {
    for (const word of words(text)) {
      terms.add(word);
      for (const part of word.split('-')) if (part.length > 0) terms.add(part);
    }
  };
  for (const name of objects(patient['name'])) {
    for (const text of [...strings(name['family']), ...strings(name['given']), ...strings(name['text'])]) addName(text);
  }
  for (const identifier of objects(patient['identifier'])) {
    for (const value of strings(identifier['value'])) {
      terms.add(compact(value));
      for (const word of words(value)) terms.add(word);
    }
  }
  for (const birthDate of strings(patient['birthDate'])) terms.add(birthDate);
  return terms;
}

/** A date typed day first (12/03/1950, 12.03.1950, 12-03-1950) becomes the FHIR form 1950-03-12. */
function queryWord(word: string): string {
  const dayFirst = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(word);
  if (dayFirst) return `${dayFirst[3]}-${dayFirst[2]!.padStart(2, '0')}-${dayFirst[1]!.padStart(2, '0')}`;
  return word;
}

export function createPatientSearchIndex(): PatientSearchIndex {
  const termsByRef = new Map<string, readonly string[]>();
  return {
    put(ref, patient) {
      termsByRef.set(ref, [...termsOf(patient)]);
    },
    remove(ref) {
      termsByRef.delete(ref);
    },
    search(text, limit) {
      const query = words(text).map(queryWord);
      if (query.length === 0) return [];
      const whole = compact(text);
      const hits: { ref: string; score: number }[] = [];
      for (const [ref, terms] of termsByRef) {
        let score = 0;
        let all = true;
        for (const word of query) {
          if (terms.includes(word)) score += 2;
          else if (terms.some((t) => t.startsWith(word))) score += 1;
          else {
            all = false;
            break;
          }
        }
        // An identifier typed with spaces splits into words that match nothing alone.
        if (!all && whole.length >= 4 && terms.some((t) => t.startsWith(whole))) {
          all = true;
          score = terms.includes(whole) ? 2 : 1;
        }
        if (all) hits.push({ ref, score });
      }
      hits.sort((a, b) => b.score - a.score || a.ref.localeCompare(b.ref));
      return hits.slice(0, limit).map((h) => h.ref);
    },
    size: () => termsByRef.size,
    clear: () => termsByRef.clear(),
  };
}
