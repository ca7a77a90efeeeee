import { fold, type Dictionary, type Language } from './dictionary';
import type { AllergyGroup, Bilingual, DrugClass, InteractionData, Severity } from './knowledge-schema';

/**
 * Medication checks, offline and pure (issue 13): drug–drug interactions from the knowledge's
 * pairs (ingredient or class level, either order), therapeutic duplication (two medications
 * sharing an ATC level-4 group), and allergies (the same ingredient, the same allergy group, or a
 * group with documented cross-reactivity). Only the knowledge alerts; an alert names only the
 * patient's own medications and allergies.
 */

export type KnowledgeBase = Readonly<{
  dictionary: Dictionary;
  interactions: readonly InteractionData[];
  classes: ReadonlyMap<string, DrugClass>;
  allergyGroups: ReadonlyMap<string, AllergyGroup>;
  /** Ingredient id → its operands: `ingredient:<id>` and `class:<id>` for each class holding it. */
  operandsOf: ReadonlyMap<string, readonly string[]>;
  /** Operand → the rules naming it, with the other side. */
  rulesOf: ReadonlyMap<string, ReadonlyArray<Readonly<{ rule: InteractionData; other: string }>>>;
  /** Ingredient id → the allergy groups holding it. */
  groupsOf: ReadonlyMap<string, readonly AllergyGroup[]>;
}>;

export function buildKnowledgeBase(
  dictionary: Dictionary,
  knowledge: Readonly<{ classes: readonly DrugClass[]; interactions: readonly InteractionData[]; allergyGroups: readonly AllergyGroup[] }>,
): KnowledgeBase {
  const classes = new Map(knowledge.classes.map((c) => [c.id, c]));
  const operandsOf = new Map<string, string[]>();
  for (const ingredient of dictionary.ingredients) operandsOf.set(ingredient.id, [`ingredient:${ingredient.id}`]);
  for (const drugClass of knowledge.classes) {
    for (const member of drugClass.members) operandsOf.get(member)?.push(`class:${drugClass.id}`);
  }
  const rulesOf = new Map<string, Array<{ rule: InteractionData; other: string }>>();
  const addRule = (operand: string, rule: InteractionData, other: string): void => {
    const list = rulesOf.get(operand) ?? [];
    list.push({ rule, other });
    rulesOf.set(operand, list);
  };
  for (const rule of knowledge.interactions) {
    addRule(rule.a, rule, rule.b);
    if (rule.b !== rule.a) addRule(rule.b, rule, rule.a);
  }
  const groupsOf = new Map<string, AllergyGroup[]>();
  for (const group of knowledge.allergyGroups) {
    for (const member of group.members) groupsOf.set(member, [...(groupsOf.get(member) ?? []), group]);
  }
  return {
    dictionary,
    interactions: knowledge.interactions,
    classes,
    allergyGroups: new Map(knowledge.allergyGroups.map((g) => [g.id, g])),
    operandsOf,
    rulesOf,
    groupsOf,
  };
}

/** A medication as the checks see it: who it is (a resource reference, or the order being written), its name as the chart shows it, and its dictionary ingredients (none: not checked). */
export type MedicationEntry = Readonly<{
  key: string;
  label: string;
  ingredients: readonly string[];
  /** current: active in the record; pending: ordered here, not yet sent; new: the order being written. */
  origin: 'current' | 'pending' | 'new';
  /** Applied to the skin, the eye or the ear: it meets allergies, not the systemic interaction and duplication rules (a ketoconazole cream is not a CYP3A4 inhibitor). */
  local?: boolean;
}>;

/**
 * An active allergy: the dictionary ingredients its substance names, the allergy groups it names or
 * belongs to, and whether it is a confirmed allergy of some criticality (`certain`, the default): an
 * intolerance, an unconfirmed record or a low-criticality one alerts as serious, not contraindicated.
 */
export type AllergyEntry = Readonly<{ key: string; label: string; ingredients: readonly string[]; groups: readonly string[]; certain?: boolean }>;

export type Alert =
  | Readonly<{ kind: 'interaction'; severity: Severity; rule: InteractionData; first: MedicationEntry; second: MedicationEntry }>
  | Readonly<{ kind: 'duplication'; severity: 'caution'; atcGroup: string; first: MedicationEntry; second: MedicationEntry }>
  | Readonly<{ kind: 'allergy'; severity: 'contraindicated' | 'serious'; medication: MedicationEntry; allergy: AllergyEntry; group: AllergyGroup | null }>
  | Readonly<{ kind: 'cross-reactivity'; severity: Severity; medication: MedicationEntry; allergy: AllergyEntry; note: Bilingual }>;

export const severityRank: Readonly<Record<Severity, number>> = { contraindicated: 0, serious: 1, caution: 2 };

/** The allergy groups an allergy's substance names (by SNOMED code or group name) or belongs to (by its ingredients). */
export function allergyGroupsFor(
  base: KnowledgeBase,
  ingredients: readonly string[],
  concept: Readonly<{ coding?: ReadonlyArray<Readonly<{ system?: string; code?: string; display?: string }>>; text?: string }> | undefined,
): string[] {
  const groups = new Set<string>();
  for (const id of ingredients) for (const group of base.groupsOf.get(id) ?? []) groups.add(group.id);
  const labels = [concept?.text, ...(concept?.coding ?? []).map((c) => c.display)].filter((l): l is string => typeof l === 'string').map(fold);
  for (const group of base.allergyGroups.values()) {
    const codes = new Set(group.snomed ?? []);
    if ((concept?.coding ?? []).some((c) => c.system === 'http://snomed.info/sct' && c.code !== undefined && codes.has(c.code))) groups.add(group.id);
    // The group's name as a word of the label, singular or plural: "Penicillin", "Allergie à la pénicilline".
    const names = [group.name.en, group.name.fr].map(fold).flatMap((n) => [n, n.replace(/s$/, '')]);
    if (labels.some((l) => names.some((n) => ` ${l} `.includes(` ${n} `)))) groups.add(group.id);
  }
  return [...groups];
}

function interactionsBetween(base: KnowledgeBase, first: MedicationEntry, second: MedicationEntry): InteractionData[] {
  const found = new Map<string, InteractionData>();
  const secondOperands = new Set(second.ingredients.flatMap((id) => base.operandsOf.get(id) ?? []));
  for (const id of first.ingredients) {
    if (second.ingredients.includes(id)) continue; // the same ingredient twice is a duplication, not an interaction
    for (const operand of base.operandsOf.get(id) ?? []) {
      for (const { rule, other } of base.rulesOf.get(operand) ?? []) {
        if (!secondOperands.has(other)) continue;
        // A class paired with itself (two drugs of one class) needs two different ingredients.
        found.set(rule.id, rule);
      }
    }
  }
  return [...found.values()];
}

/**
 * The ATC level-4 group two medications share, by each ingredient's main ATC code only: a
 * secondary code names another use of the same substance (ibuprofen's C01EB16 is its use for a
 * ductus arteriosus), not the therapy the patient is on.
 */
function sharedAtcGroup(base: KnowledgeBase, first: MedicationEntry, second: MedicationEntry): string | null {
  const groupsOfEntry = (entry: MedicationEntry): Set<string> =>
    new Set(entry.ingredients.flatMap((id) => (base.dictionary.byId.get(id)?.atc.slice(0, 1) ?? []).map((code) => code.slice(0, 5))));
  const firstGroups = groupsOfEntry(first);
  for (const group of groupsOfEntry(second)) if (firstGroups.has(group)) return group;
  return null;
}

/**
 * ATC level-4 groups whose members are combined on purpose in everyday practice, where a
 * duplication caution would only add noise: antiplatelets (aspirin + a P2Y12 inhibitor after a
 * stent), short- and long-acting β2 agonists, and the insulins (basal + bolus).
 */
export const duplicationExempt: ReadonlySet<string> = new Set(['B01AC', 'R03AC', 'A10AB', 'A10AC', 'A10AD', 'A10AE']);

function pairAlerts(base: KnowledgeBase, first: MedicationEntry, second: MedicationEntry): Alert[] {
  if (first.local === true || second.local === true) return [];
  const alerts: Alert[] = interactionsBetween(base, first, second).map((rule) => ({ kind: 'interaction', severity: rule.severity, rule, first, second }));
  if (alerts.length === 0) {
    const atcGroup = sharedAtcGroup(base, first, second);
    if (atcGroup !== null && !duplicationExempt.has(atcGroup)) alerts.push({ kind: 'duplication', severity: 'caution', atcGroup, first, second });
  }
  return alerts;
}

function allergyAlerts(base: KnowledgeBase, medication: MedicationEntry, allergies: readonly AllergyEntry[]): Alert[] {
  const alerts: Alert[] = [];
  for (const allergy of allergies) {
    const direct = medication.ingredients.some((id) => allergy.ingredients.includes(id));
    const severity = allergy.certain === false ? 'serious' : 'contraindicated';
    if (direct) {
      alerts.push({ kind: 'allergy', severity, medication, allergy, group: null });
      continue;
    }
    const medicationGroups = medication.ingredients.flatMap((id) => base.groupsOf.get(id) ?? []);
    const sameGroup = medicationGroups.find((g) => allergy.groups.includes(g.id));
    if (sameGroup) {
      alerts.push({ kind: 'allergy', severity, medication, allergy, group: sameGroup });
      continue;
    }
    const cross = allergy.groups
      .flatMap((id) => base.allergyGroups.get(id)?.crossReactive ?? [])
      .filter((c) => medicationGroups.some((g) => g.id === c.group))
      .sort((a, b) => severityRank[a.severity] - severityRank[b.severity])[0];
    if (cross) alerts.push({ kind: 'cross-reactivity', severity: cross.severity, medication, allergy, note: cross.note });
  }
  return alerts;
}

const byUrgency = (a: Alert, b: Alert): number => severityRank[a.severity] - severityRank[b.severity];

/**
 * The checks for an order being written, before it is saved: against every medication the patient
 * takes (active in the record, or ordered and waiting in the outbox) and every active allergy.
 */
export function checkOrder(base: KnowledgeBase, order: MedicationEntry, current: readonly MedicationEntry[], allergies: readonly AllergyEntry[]): Alert[] {
  if (order.ingredients.length === 0) return [];
  const alerts = allergyAlerts(base, order, allergies);
  for (const other of current) if (other.key !== order.key) alerts.push(...pairAlerts(base, order, other));
  return alerts.sort(byUrgency);
}

/**
 * The medication review when a chart opens: every pair in the current list, and each medication
 * against the allergies. The same medication recorded twice (a renewal, a request and a statement
 * of it) is reviewed once: it is one treatment, not a duplication, and its alerts are not repeated.
 */
export function reviewMedications(base: KnowledgeBase, entries: readonly MedicationEntry[], allergies: readonly AllergyEntry[]): Alert[] {
  const seen = new Set<string>();
  const current = entries.filter((entry) => {
    const key = `${[...entry.ingredients].sort().join('+')}|${entry.local === true ? 'local' : 'systemic'}`;
    if (entry.ingredients.length > 0 && seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const alerts: Alert[] = [];
  for (let i = 0; i < current.length; i += 1) {
    const first = current[i] as MedicationEntry;
    alerts.push(...allergyAlerts(base, first, allergies));
    for (let j = i + 1; j < current.length; j += 1) alerts.push(...pairAlerts(base, first, current[j] as MedicationEntry));
  }
  return alerts.sort(byUrgency);
}

/** An alert's sentence parts in the clinician's language: a title naming only the patient's own medications and allergies, then the knowledge's text. */
export function describeAlert(alert: Alert, language: Language): Readonly<{ title: string; effect: string | null; mechanism: string | null; management: string | null }> {
  const fr = language === 'fr';
  switch (alert.kind) {
    case 'interaction':
      return {
        title: `${alert.first.label} + ${alert.second.label}`,
        effect: alert.rule.effect[language],
        mechanism: alert.rule.mechanism[language],
        management: alert.rule.management[language],
      };
    case 'duplication':
      return {
        title: `${alert.first.label} + ${alert.second.label}`,
        effect: fr ? `Deux médicaments du même groupe thérapeutique (ATC ${alert.atcGroup}).` : `Two medications of the same therapeutic group (ATC ${alert.atcGroup}).`,
        mechanism: null,
        management: fr ? 'Vérifier que l’association est voulue, sinon arrêter l’un des deux.' : 'Check that both are intended; otherwise stop one of them.',
      };
    case 'allergy':
      return {
        title: fr ? `${alert.medication.label} — allergie : ${alert.allergy.label}` : `${alert.medication.label} — allergy: ${alert.allergy.label}`,
        effect: alert.group
          ? fr
            ? `Le patient est allergique à un médicament du même groupe (${alert.group.name.fr}).`
            : `The patient is allergic to a medication of the same group (${alert.group.name.en}).`
          : fr
            ? 'Le patient est allergique à ce médicament.'
            : 'The patient is allergic to this medication.',
        mechanism: null,
        management: fr ? 'Ne pas prescrire ; choisir une autre classe.' : 'Do not prescribe; choose another class.',
      };
    case 'cross-reactivity':
      return {
        title: fr ? `${alert.medication.label} — allergie : ${alert.allergy.label}` : `${alert.medication.label} — allergy: ${alert.allergy.label}`,
        effect: alert.note[language],
        mechanism: null,
        management: null,
      };
  }
}
