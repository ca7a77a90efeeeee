import allergensJson from './data/allergens.json' with { type: 'json' };
import dictionaryJson from './data/dictionary.json' with { type: 'json' };
import interactionsJson from './data/interactions.json' with { type: 'json' };
import { buildKnowledgeBase, type KnowledgeBase } from './checks';
import { buildDictionary } from './dictionary';
import { allergensSchema, dictionarySchema, interactionKnowledgeSchema, type DictionaryData, type InteractionKnowledge } from './knowledge-schema';

/**
 * Relais' medication knowledge, as shipped: the dictionary, the interaction and allergy knowledge
 * and the non-drug allergens, each a versioned JSON file under ./data naming its sources. Checked
 * on first use (shape, and that every reference resolves); a file that does not check is a build
 * defect, and the tests fail on it.
 */
export type Allergens = ReturnType<typeof allergensSchema.parse>;

export class KnowledgeError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`medication knowledge does not check: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (+${problems.length - 5})` : ''}`);
    this.name = 'KnowledgeError';
  }
}

/** Every cross-reference problem of a dictionary and its knowledge (empty: consistent). */
export function knowledgeProblems(dictionary: DictionaryData, knowledge: InteractionKnowledge): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  const rxnorm = new Set<string>();
  const dictionarySources = new Set(dictionary.sources.map((s) => s.id));
  for (const ingredient of dictionary.ingredients) {
    if (ids.has(ingredient.id)) problems.push(`ingredient ${ingredient.id} is listed twice`);
    if (ingredient.rxnorm !== null && rxnorm.has(ingredient.rxnorm)) problems.push(`RxNorm ${ingredient.rxnorm} is given to two ingredients (${ingredient.id})`);
    ids.add(ingredient.id);
    if (ingredient.rxnorm !== null) rxnorm.add(ingredient.rxnorm);
    for (const source of ingredient.sources) if (!dictionarySources.has(source)) problems.push(`ingredient ${ingredient.id} cites unknown source ${source}`);
  }
  const combinations = new Set(dictionary.ingredients.filter((i) => i.components !== undefined).map((i) => i.id));
  for (const ingredient of dictionary.ingredients) {
    for (const component of ingredient.components ?? []) {
      if (!ids.has(component) || combinations.has(component)) problems.push(`combination ${ingredient.id}: component ${component} is not a single ingredient of the dictionary`);
    }
  }
  const knowledgeSources = new Set(knowledge.sources.map((s) => s.id));
  const classes = new Set<string>();
  for (const drugClass of knowledge.classes) {
    if (classes.has(drugClass.id)) problems.push(`class ${drugClass.id} is listed twice`);
    classes.add(drugClass.id);
    if (!knowledgeSources.has(drugClass.source)) problems.push(`class ${drugClass.id} cites unknown source ${drugClass.source}`);
    for (const member of drugClass.members) if (!ids.has(member)) problems.push(`class ${drugClass.id}: member ${member} is not in the dictionary`);
  }
  const operandResolves = (operand: string): boolean => {
    const [kind, id] = operand.split(':') as [string, string];
    return kind === 'class' ? classes.has(id) : ids.has(id);
  };
  const rules = new Set<string>();
  const pairs = new Set<string>();
  for (const rule of knowledge.interactions) {
    if (rules.has(rule.id)) problems.push(`interaction ${rule.id} is listed twice`);
    rules.add(rule.id);
    for (const operand of [rule.a, rule.b]) if (!operandResolves(operand)) problems.push(`interaction ${rule.id}: ${operand} does not resolve`);
    const pair = [rule.a, rule.b].sort().join('|');
    if (pairs.has(pair)) problems.push(`interaction ${rule.id} repeats the pair ${pair}`);
    pairs.add(pair);
    for (const source of rule.sources) if (!knowledgeSources.has(source)) problems.push(`interaction ${rule.id} cites unknown source ${source}`);
  }
  const groups = new Set(knowledge.allergyGroups.map((g) => g.id));
  for (const group of knowledge.allergyGroups) {
    for (const member of group.members) if (!ids.has(member)) problems.push(`allergy group ${group.id}: member ${member} is not in the dictionary`);
    for (const cross of group.crossReactive) if (!groups.has(cross.group)) problems.push(`allergy group ${group.id}: cross-reactive group ${cross.group} does not exist`);
    for (const source of group.sources) if (!knowledgeSources.has(source)) problems.push(`allergy group ${group.id} cites unknown source ${source}`);
  }
  return problems;
}

export type MedicationKnowledge = Readonly<{ base: KnowledgeBase; allergens: Allergens; dictionaryData: DictionaryData; knowledgeData: InteractionKnowledge }>;

/** Checks and indexes knowledge files (the shipped ones, or a test's). */
export function loadKnowledge(raw: Readonly<{ dictionary: unknown; interactions: unknown; allergens: unknown }>): MedicationKnowledge {
  const dictionary = dictionarySchema.safeParse(raw.dictionary);
  const knowledge = interactionKnowledgeSchema.safeParse(raw.interactions);
  const allergens = allergensSchema.safeParse(raw.allergens);
  const shapeProblems = [
    ...(dictionary.success ? [] : dictionary.error.issues.map((i) => `dictionary ${i.path.join('.')}: ${i.message}`)),
    ...(knowledge.success ? [] : knowledge.error.issues.map((i) => `interactions ${i.path.join('.')}: ${i.message}`)),
    ...(allergens.success ? [] : allergens.error.issues.map((i) => `allergens ${i.path.join('.')}: ${i.message}`)),
  ];
  if (!dictionary.success || !knowledge.success || !allergens.success) throw new KnowledgeError(shapeProblems);
  const problems = knowledgeProblems(dictionary.data, knowledge.data);
  if (problems.length > 0) throw new KnowledgeError(problems);
  return {
    base: buildKnowledgeBase(buildDictionary(dictionary.data), knowledge.data),
    allergens: allergens.data,
    dictionaryData: dictionary.data,
    knowledgeData: knowledge.data,
  };
}

let shipped: MedicationKnowledge | null = null;

/**
 * The knowledge Relais ships, indexed once. Its files are part of the build: their shapes are
 * checked by the tests (`loadKnowledge` over them, tests/unit/shared/medication/knowledge.test.ts),
 * so at run time only the cross-references are checked again — the zod pass over the dictionary
 * would cost the first chart open about 40 ms on the page thread.
 */
export function medicationKnowledge(): MedicationKnowledge {
  if (shipped === null) {
    const dictionary = dictionaryJson as DictionaryData;
    const knowledge = interactionsJson as InteractionKnowledge;
    const problems = knowledgeProblems(dictionary, knowledge);
    if (problems.length > 0) throw new KnowledgeError(problems);
    shipped = { base: buildKnowledgeBase(buildDictionary(dictionary), knowledge), allergens: allergensJson as Allergens, dictionaryData: dictionary, knowledgeData: knowledge };
  }
  return shipped;
}
