import type { AllergyEntry, KnowledgeBase, MedicationEntry } from '../../../shared/medication/checks';
import { allergyGroupsFor } from '../../../shared/medication/checks';
import { atcSystem, fold, matchMedication, type ConceptLike } from '../../../shared/medication/dictionary';
import { localRoutes, routes, topicalRouteCode } from '../../../shared/medication/knowledge-schema';
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

/** SNOMED CT routes that keep a medicine where it is applied: skin (cutaneous, topical), eye, ear. */
const localRouteCodes = new Set([...localRoutes.map((route) => routes[route]), topicalRouteCode]);
/** Dose forms, as labels say them in either language, that are applied to the skin, eye or ear. */
const localForms = /\b(cream|ointment|gel|lotion|foam|shampoo|eye ?drops?|ear ?drops?|ophthalmic|otic|topical|cutaneous|dermal|creme|pommade|collyre|auriculaire|cutanee|ophtalmique|emulsion cutanee)\b/;

/** Whether a medication is applied to the skin, an eye or an ear: by its dosage's route, its form's words, or a dermatological or eye/ear ATC code. */
export function isLocal(item: MedicationItem): boolean {
  const r = item.resource;
  const dosages = [...records(r['dosageInstruction'] ?? r['dosage']), ...(isRecord(r['dosage']) ? [r['dosage']] : [])];
  if (dosages.length > 0 && dosages.every((d) => isRecord(d['route']) && records(d['route']['coding']).some((c) => localRouteCodes.has(stringOf(c['code']) ?? '')))) return true;
  const concept = item.concept;
  const words = fold([stringOf(concept?.['text']) ?? '', ...records(concept?.['coding']).map((c) => stringOf(c['display']) ?? '')].join(' '));
  if (localForms.test(words)) return true;
  const atc = records(concept?.['coding']).filter((c) => stringOf(c['system']) === atcSystem).map((c) => stringOf(c['code']) ?? '');
  return atc.length > 0 && atc.every((code) => code.startsWith('D') || code.startsWith('S'));
}

export function medicationEntries(base: KnowledgeBase, items: readonly MedicationItem[]): MedicationEntry[] {
  return items.filter(activeMedication).map((item) => ({
    key: item.ref,
    label: item.name,
    ingredients: ingredientsOf(base, item),
    origin: item.syncState === 'synced' ? 'current' : 'pending',
    local: isLocal(item),
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
      // An intolerance, an unconfirmed record or a low-criticality allergy alerts as serious, not contraindicated.
      const type = stringOf(item.resource['type']);
      const certain = type !== 'intolerance' && item.verification !== 'unconfirmed' && item.verification !== 'presumed' && item.criticality !== 'low';
      return { key: item.ref, label: item.substance, ingredients, groups: allergyGroupsFor(base, ingredients, concept), certain };
    });
}
