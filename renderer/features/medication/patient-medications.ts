import type { AllergyEntry, KnowledgeBase, MedicationEntry } from '../../../shared/medication/checks';
import { allergyGroupsFor } from '../../../shared/medication/checks';
import { matchMedication, type ConceptLike } from '../../../shared/medication/dictionary';
import { isRecord, records, stringOf, type Record_ } from '../../../shared/fhir/fhir-text';
import { activeMedication, isActiveAllergy } from '../chart/chart-model';
import type { AllergyItem, MedicationItem } from '../chart/clinical-items';

/**
 * The patient's medications and allergies as the checks see them, read from the chart (the
 * replica, local edits waiting in the outbox included): every active order or statement,
 * whoever prescribed it, matched to the dictionary by RxNorm, ATC or name.
 */

const asConcept = (value: Record_ | null): ConceptLike | undefined => {
  if (value === null) return undefined;
  const coding = records(value['coding']).map((c) => ({
    ...(stringOf(c['system']) !== null ? { system: stringOf(c['system']) as string } : {}),
    ...(stringOf(c['code']) !== null ? { code: stringOf(c['code']) as string } : {}),
    ...(stringOf(c['display']) !== null ? { display: stringOf(c['display']) as string } : {}),
  }));
  const text = stringOf(value['text']);
  return { coding, ...(text !== null ? { text } : {}) };
};

/** Dictionary ingredient ids of a medication item (empty: not checked). */
export function ingredientsOf(base: KnowledgeBase, item: MedicationItem): string[] {
  return (matchMedication(base.dictionary, asConcept(item.concept))?.ingredients ?? []).map((i) => i.id);
}

export function medicationEntries(base: KnowledgeBase, items: readonly MedicationItem[]): MedicationEntry[] {
  return items.filter(activeMedication).map((item) => ({
    key: item.ref,
    label: item.name,
    ingredients: ingredientsOf(base, item),
    origin: item.syncState === 'synced' ? 'current' : 'pending',
  }));
}

/** Active drug allergies (category medication or biologic, or none given), not refuted or entered in error. */
export function allergyEntries(base: KnowledgeBase, items: readonly AllergyItem[]): AllergyEntry[] {
  return items
    .filter((a) => isActiveAllergy(a) && a.verification !== 'refuted' && a.verification !== 'entered-in-error')
    .filter((a) => a.category.length === 0 || a.category.includes('medication') || a.category.includes('biologic'))
    .map((item) => {
      const code = isRecord(item.resource['code']) ? item.resource['code'] : null;
      const concept = asConcept(code);
      const ingredients = (matchMedication(base.dictionary, concept)?.ingredients ?? []).map((i) => i.id);
      return { key: item.ref, label: item.substance, ingredients, groups: allergyGroupsFor(base, ingredients, concept) };
    });
}
