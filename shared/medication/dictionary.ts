import { foldForSearch } from '../text-fold';
import type { Bilingual, DictionaryData, Ingredient } from './knowledge-schema';

/**
 * The medication dictionary at run time: search as the clinician types (accent- and
 * case-insensitive, brand → ingredient) and matching of a medication that came from elsewhere
 * (the HIE, an allergy record) by RxNorm, then ATC, then name. Pure: no I/O, no platform.
 */
export const rxnormSystem = 'http://www.nlm.nih.gov/research/umls/rxnorm';
export const atcSystem = 'http://www.whocc.no/atc';

export type Language = keyof Bilingual;

/** As the patient search folds text (shared/text-fold.ts), punctuation and repeated spaces aside too: "Lévothyrox®" → "levothyrox". */
export function fold(text: string): string {
  return foldForSearch(text)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

type SearchKey = Readonly<{ folded: string; words: readonly string[]; kind: 'name' | 'brand'; text: string; language: Language | null }>;

export type Dictionary = Readonly<{
  version: string;
  ingredients: readonly Ingredient[];
  byId: ReadonlyMap<string, Ingredient>;
  byRxnorm: ReadonlyMap<string, Ingredient>;
  byAtc: ReadonlyMap<string, readonly Ingredient[]>;
  /** Folded name, synonym or brand → ingredients (a brand may hold several, e.g. a combination). */
  byName: ReadonlyMap<string, readonly Ingredient[]>;
  keys: ReadonlyMap<Ingredient, readonly SearchKey[]>;
}>;

export function buildDictionary(data: DictionaryData): Dictionary {
  const byId = new Map<string, Ingredient>();
  const byRxnorm = new Map<string, Ingredient>();
  const byAtc = new Map<string, Ingredient[]>();
  const byName = new Map<string, Ingredient[]>();
  const keys = new Map<Ingredient, SearchKey[]>();
  const addName = (name: string, ingredient: Ingredient): void => {
    const folded = fold(name);
    const list = byName.get(folded) ?? [];
    if (!list.includes(ingredient)) list.push(ingredient);
    byName.set(folded, list);
  };
  for (const ingredient of data.ingredients) {
    byId.set(ingredient.id, ingredient);
    if (ingredient.rxnorm !== null) byRxnorm.set(ingredient.rxnorm, ingredient);
    for (const code of ingredient.atc) byAtc.set(code, [...(byAtc.get(code) ?? []), ingredient]);
    const own: SearchKey[] = [];
    const key = (text: string, kind: SearchKey['kind'], language: Language | null): void => {
      const folded = fold(text);
      if (folded === '' || own.some((k) => k.folded === folded && k.kind === kind)) return;
      own.push({ folded, words: folded.split(' '), kind, text, language });
    };
    key(ingredient.name.en, 'name', 'en');
    key(ingredient.name.fr, 'name', 'fr');
    for (const synonym of [ingredient.id.replace(/-/g, ' '), ...(ingredient.synonyms ?? [])]) key(synonym, 'name', null);
    for (const brand of ingredient.brands.en) key(brand, 'brand', 'en');
    for (const brand of ingredient.brands.fr) key(brand, 'brand', 'fr');
    for (const k of own) addName(k.text, ingredient);
    keys.set(ingredient, own);
  }
  return { version: data.version, ingredients: data.ingredients, byId, byRxnorm, byAtc, byName, keys };
}

export type SearchHit = Readonly<{
  ingredient: Ingredient;
  /** What the typed text matched: the ingredient's name, or a brand (shown as "Brand → ingredient"). */
  matched: Readonly<{ kind: 'name' | 'brand'; text: string }>;
}>;

/**
 * Ingredients for what the clinician typed, best first: a whole name, then a name that starts with
 * it, then a brand that does, then a word of a name or brand that does. Names in the clinician's
 * language rank before the other's. Fewer than two letters find nothing.
 */
export function searchDictionary(dictionary: Dictionary, typed: string, language: Language, limit = 8): SearchHit[] {
  const query = fold(typed);
  if (query.length < 2) return [];
  const queryWords = query.split(' ');
  const scored: Array<{ hit: SearchHit; score: number; name: string }> = [];
  for (const ingredient of dictionary.ingredients) {
    let best: { key: SearchKey; score: number } | null = null;
    for (const key of dictionary.keys.get(ingredient) ?? []) {
      let score: number;
      if (key.folded === query) score = 0;
      else if (key.folded.startsWith(query)) score = 1;
      else if (queryWords.every((w) => key.words.some((kw) => kw.startsWith(w)))) score = 3;
      else continue;
      if (key.kind === 'brand') score += 1;
      if (key.language !== null && key.language !== language) score += 0.5;
      if (best === null || score < best.score) best = { key, score };
    }
    if (best !== null) {
      scored.push({ hit: { ingredient, matched: { kind: best.key.kind, text: best.key.text } }, score: best.score, name: ingredient.name[language] });
    }
  }
  scored.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name, language));
  return scored.slice(0, limit).map((s) => s.hit);
}

/** The parts of a FHIR CodeableConcept matching reads. */
export type ConceptLike = Readonly<{ coding?: ReadonlyArray<Readonly<{ system?: string; code?: string; display?: string }>>; text?: string }>;

export type MedicationMatch = Readonly<{ ingredients: readonly Ingredient[]; by: 'rxnorm' | 'atc' | 'name' }>;

const combinationSplit = /\s*(?:\/|\+|,|;|\bwith\b|\band\b|\bet\b|\bavec\b)\s*/;

/** Ingredients named at the start of a label ("amoxicillin 500 mg capsule" → amoxicillin), longest name first. */
function leadingIngredients(dictionary: Dictionary, label: string): Ingredient[] {
  const folded = fold(label);
  if (folded === '') return [];
  const whole = dictionary.byName.get(folded);
  if (whole) return [...whole];
  const found: Ingredient[] = [];
  for (const part of label.split(combinationSplit)) {
    const words = fold(part).split(' ').filter((w) => w !== '');
    for (let n = Math.min(words.length, 5); n >= 1; n -= 1) {
      const hit = dictionary.byName.get(words.slice(0, n).join(' '));
      if (hit) {
        for (const ingredient of hit) if (!found.includes(ingredient)) found.push(ingredient);
        break;
      }
    }
  }
  return found;
}

/**
 * The dictionary's ingredient(s) for a medication recorded elsewhere, by RxNorm ingredient code,
 * then ATC code, then name (the coding displays and the text; a brand counts as a name), in that
 * order; a combination product is given as its ingredients. Null when nothing matches: such a
 * medication is "not checked".
 */
export function matchMedication(dictionary: Dictionary, concept: ConceptLike | undefined): MedicationMatch | null {
  if (!concept) return null;
  const codings = concept.coding ?? [];
  const byRxnorm = codings.flatMap((c) => (c.system === rxnormSystem && c.code ? [dictionary.byRxnorm.get(c.code)] : [])).filter((i): i is Ingredient => i !== undefined);
  if (byRxnorm.length > 0) return { ingredients: expand(dictionary, byRxnorm), by: 'rxnorm' };
  const byAtc = codings.flatMap((c) => (c.system === atcSystem && c.code ? (dictionary.byAtc.get(c.code) ?? []) : []));
  if (byAtc.length > 0) return { ingredients: expand(dictionary, byAtc), by: 'atc' };
  for (const label of [concept.text, ...codings.map((c) => c.display)]) {
    if (typeof label !== 'string') continue;
    const found = leadingIngredients(dictionary, label);
    if (found.length > 0) return { ingredients: expand(dictionary, found), by: 'name' };
  }
  return null;
}

const unique = <T>(items: readonly T[]): T[] => [...new Set(items)];

/** What an entry is checked as: a combination's ingredients, or the ingredient itself. */
export function componentsOf(dictionary: Dictionary, entry: Ingredient): Ingredient[] {
  return entry.components === undefined ? [entry] : entry.components.map((id) => dictionary.byId.get(id)).filter((i): i is Ingredient => i !== undefined);
}
const expand = (dictionary: Dictionary, entries: readonly Ingredient[]): Ingredient[] => unique(entries.flatMap((e) => componentsOf(dictionary, e)));

/**
 * The codings an order for this ingredient carries: RxNorm ingredient (when RxNorm holds it), then
 * the ATC code(s) that fit where it is given — dermatological (D) or eye and ear (S) codes for a
 * medicine applied there, the others for a systemic one (aciclovir tablets are not coded as the eye
 * ointment); the main code when none fits.
 */
export function codingsOf(ingredient: Ingredient, applied: 'systemic' | 'skin' | 'eye-ear' = 'systemic'): Array<{ system: string; code: string; display: string }> {
  const fits = (code: string): boolean => (applied === 'skin' ? code.startsWith('D') : applied === 'eye-ear' ? code.startsWith('S') : !code.startsWith('D') && !code.startsWith('S'));
  const fitting = ingredient.atc.filter(fits);
  return [
    ...(ingredient.rxnorm !== null ? [{ system: rxnormSystem, code: ingredient.rxnorm, display: ingredient.id.replace(/-/g, ' ') }] : []),
    ...(fitting.length > 0 ? fitting : ingredient.atc.slice(0, 1)).map((code) => ({ system: atcSystem, code, display: ingredient.name.en })),
  ];
}
