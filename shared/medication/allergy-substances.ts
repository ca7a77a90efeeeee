import { codingsOf, fold, searchDictionary, type Language } from './dictionary';
import type { MedicationKnowledge } from './knowledge';

/**
 * What an allergy can be recorded against, from the same knowledge as prescribing (issue 13
 * item 4): a drug class of the allergy groups (an allergy to "penicillins"), an ingredient of the
 * dictionary (coded RxNorm + ATC), or a food, environmental or biological allergen (SNOMED CT).
 */
export type Substance = Readonly<{
  key: string;
  /** As the clinician reads it in the list. */
  label: string;
  /** What the record's code.text says. */
  text: string;
  category: 'medication' | 'food' | 'environment' | 'biologic';
  codings: ReadonlyArray<Readonly<{ system: string; code: string; display: string }>>;
}>;

const snomed = 'http://snomed.info/sct';

function allSubstances(knowledge: MedicationKnowledge, language: Language): Array<Substance & { names: string[] }> {
  const groups = [...knowledge.base.allergyGroups.values()].map((group) => ({
    key: `group:${group.id}`,
    label: group.name[language],
    text: group.name[language],
    category: 'medication' as const,
    codings: (group.snomed ?? []).slice(0, 1).map((code) => ({ system: snomed, code, display: group.name.en })),
    // The group's names, and singular ("Pénicilline" names the penicillins as often as the plural).
    names: [group.name.en, group.name.fr].map(fold).flatMap((n) => [n, n.replace(/s$/, '')]),
  }));
  const allergens = knowledge.allergens.allergens.map((allergen) => ({
    key: `allergen:${allergen.id}`,
    label: allergen.name[language],
    text: allergen.name[language],
    category: allergen.category,
    codings: [{ system: snomed, code: allergen.snomed, display: allergen.name.en }],
    names: [allergen.name.en, allergen.name.fr, ...(allergen.synonyms ?? [])].map(fold),
  }));
  return [...groups, ...allergens];
}

/** Substances for what was typed: drug classes and allergens whose name has a word starting so, then the dictionary's ingredients. */
export function searchSubstances(knowledge: MedicationKnowledge, typed: string, language: Language, limit = 10): Substance[] {
  const query = fold(typed);
  if (query.length < 2) return [];
  const words = query.split(' ');
  const named = allSubstances(knowledge, language)
    .filter((s) => s.names.some((name) => name.startsWith(query) || words.every((w) => name.split(' ').some((nw) => nw.startsWith(w)))))
    .map(({ names: _names, ...substance }) => substance);
  const ingredients = searchDictionary(knowledge.base.dictionary, typed, language, limit).map((hit) => ({
    key: `ingredient:${hit.ingredient.id}`,
    label: hit.matched.kind === 'brand' ? `${hit.matched.text} → ${hit.ingredient.name[language]}` : hit.ingredient.name[language],
    text: hit.ingredient.name[language],
    category: 'medication' as const,
    codings: codingsOf(hit.ingredient),
  }));
  return [...named, ...ingredients].slice(0, limit);
}

/** The substance a key names (from a list choice), or the one whose name is exactly what was typed. */
export function substanceFor(knowledge: MedicationKnowledge, keyOrText: string, language: Language): Substance | null {
  const all = allSubstances(knowledge, language);
  const byKey = all.find((s) => s.key === keyOrText);
  if (byKey) return byKey;
  if (keyOrText.startsWith('ingredient:')) {
    const ingredient = knowledge.base.dictionary.byId.get(keyOrText.slice('ingredient:'.length));
    return ingredient ? { key: keyOrText, label: ingredient.name[language], text: ingredient.name[language], category: 'medication', codings: codingsOf(ingredient) } : null;
  }
  const folded = fold(keyOrText);
  const named = all.find((s) => s.names.includes(folded));
  if (named) return named;
  const exact = knowledge.base.dictionary.byName.get(folded) ?? [];
  const only = exact.length === 1 ? exact[0] : undefined;
  return only ? { key: `ingredient:${only.id}`, label: only.name[language], text: only.name[language], category: 'medication', codings: codingsOf(only) } : null;
}
