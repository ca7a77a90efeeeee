import { describe, expect, it } from 'vitest';
import { checkOrder, reviewMedications, type MedicationEntry } from '../../../../shared/medication/checks';
import { fold } from '../../../../shared/medication/dictionary';
import { KnowledgeError, loadKnowledge, medicationKnowledge } from '../../../../shared/medication/knowledge';
import { testAllergens, testDictionary, testKnowledge } from './fixture';

/**
 * The knowledge Relais ships (shared/medication/data): its shape, that every reference resolves,
 * that each of the 15 ONC high-priority pairs alerts for every member of each class in both
 * directions, that the sandbox's pairs alert, and that a panel of common non-interacting
 * combinations gives no alert at all.
 */
const knowledge = medicationKnowledge();
const { base } = knowledge;
const entry = (id: string, origin: MedicationEntry['origin'] = 'current'): MedicationEntry => ({ key: `MedicationRequest/${id}-${origin}`, label: id, ingredients: [id], origin });
const membersOf = (operand: string): string[] => {
  const [kind, id] = operand.split(':') as [string, string];
  return kind === 'class' ? [...(base.classes.get(id)?.members ?? [])] : [id];
};

describe('the shipped dictionary', () => {
  it('holds at least 300 ingredients coded in RxNorm and ATC, each named in French and English, with its sources', () => {
    const inRxnorm = knowledge.dictionaryData.ingredients.filter((i) => i.rxnorm !== null);
    expect(inRxnorm.length).toBeGreaterThanOrEqual(300);
    // The others (drugs RxNorm does not hold, or whose RXCUI was not verified) are coded in ATC alone.
    const sources = new Set(knowledge.dictionaryData.sources.map((s) => s.id));
    for (const ingredient of knowledge.dictionaryData.ingredients) {
      if (ingredient.rxnorm !== null) expect(ingredient.rxnorm, ingredient.id).toMatch(/^[1-9]\d{1,7}$/);
      expect(ingredient.atc[0], ingredient.id).toMatch(/^[A-Z]\d{2}[A-Z]{2}\d{2}$/);
      expect(ingredient.sources.every((s) => sources.has(s)), ingredient.id).toBe(true);
    }
  });
});

describe('the shipped interaction knowledge', () => {
  const onc = knowledge.knowledgeData.interactions.filter((rule) => rule.sources.includes('phansalkar-2012'));

  it('holds the 15 ONC high-priority pairs, all contraindicated', () => {
    expect(onc).toHaveLength(15);
    for (const rule of onc) expect(rule.severity, rule.id).toBe('contraindicated');
  });

  it('alerts every ONC pair at order time and at review, for any member of each class, in both directions', () => {
    let checked = 0;
    for (const rule of onc) {
      for (const a of membersOf(rule.a)) {
        for (const b of membersOf(rule.b)) {
          if (a === b) continue;
          for (const [ordered, taken] of [[a, b], [b, a]] as const) {
            const alerts = checkOrder(base, entry(ordered, 'new'), [entry(taken)], []);
            expect(alerts.some((x) => x.kind === 'interaction' && x.rule.id === rule.id), `${rule.id}: ordering ${ordered} while on ${taken}`).toBe(true);
          }
          const review = reviewMedications(base, [entry(a), entry(b)], []);
          expect(review.some((x) => x.kind === 'interaction' && x.rule.id === rule.id), `${rule.id} at review: ${a} + ${b}`).toBe(true);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('alerts the pairs the sandbox seeds, both ways', () => {
    const pairs = [['warfarin', 'aspirin'], ['simvastatin', 'clarithromycin'], ['warfarin', 'amiodarone'], ['digoxin', 'amiodarone'], ['spironolactone', 'ramipril'], ['citalopram', 'tramadol']] as const;
    for (const [a, b] of pairs) {
      for (const [ordered, taken] of [[a, b], [b, a]] as const) {
        const alerts = checkOrder(base, entry(ordered, 'new'), [entry(taken)], []);
        expect(alerts.some((x) => x.kind === 'interaction'), `${ordered} while on ${taken}`).toBe(true);
      }
    }
  });

  it('gives no alert at all on a panel of common combinations that do not interact', () => {
    const panel = NON_INTERACTING_PANEL;
    for (const id of panel) expect(base.dictionary.byId.has(id), id).toBe(true);
    expect(reviewMedications(base, panel.map((id) => entry(id)), [])).toEqual([]);
    for (const id of panel) {
      expect(checkOrder(base, entry(id, 'new'), panel.filter((other) => other !== id).map((other) => entry(other)), [])).toEqual([]);
    }
  });

  it('names no medication in its sentences but the ones a rule is about (an alert never names a drug the patient is not on)', () => {
    const names = knowledge.dictionaryData.ingredients.flatMap((i) => [i.name.en, i.name.fr, i.id.replace(/-/g, ' ')].map((n) => ({ id: i.id, name: fold(n) }))).filter((n) => n.name.length >= 5);
    for (const rule of knowledge.knowledgeData.interactions) {
      const own = new Set([rule.a, rule.b].filter((o) => o.startsWith('ingredient:')).map((o) => o.slice('ingredient:'.length)));
      const text = ` ${[rule.effect, rule.mechanism, rule.management].flatMap((t) => [t.en, t.fr]).map(fold).join(' ')} `;
      for (const { id, name } of names) {
        if (own.has(id)) continue;
        expect(text.includes(` ${name} `), `${rule.id} names ${name}`).toBe(false);
      }
    }
  });
});

describe('loadKnowledge', () => {
  it('checks the shipped files’ shapes (the app indexes them without this pass)', () => {
    expect(() => loadKnowledge({ dictionary: knowledge.dictionaryData, interactions: knowledge.knowledgeData, allergens: knowledge.allergens })).not.toThrow();
  });

  it('refuses knowledge whose references do not resolve, saying which', () => {
    const broken = { ...testKnowledge, classes: [{ ...testKnowledge.classes[0]!, members: ['phenelzine', 'nosuchdrug'] }, testKnowledge.classes[1]!] };
    expect(() => loadKnowledge({ dictionary: testDictionary, interactions: broken, allergens: testAllergens })).toThrow(KnowledgeError);
    expect(() => loadKnowledge({ dictionary: testDictionary, interactions: broken, allergens: testAllergens })).toThrow(/maoi: member nosuchdrug is not in the dictionary/);
  });

  it('refuses a malformed code', () => {
    const bad = { ...testDictionary, ingredients: [{ ...testDictionary.ingredients[0]!, atc: ['B01A'] }, ...testDictionary.ingredients.slice(1)] };
    expect(() => loadKnowledge({ dictionary: bad, interactions: testKnowledge, allergens: testAllergens })).toThrow(/dictionary ingredients\.0\.atc\.0/);
  });

  it('refuses an ingredient listed twice and a pair listed twice', () => {
    const twice = { ...testDictionary, ingredients: [...testDictionary.ingredients, testDictionary.ingredients[0]!] };
    expect(() => loadKnowledge({ dictionary: twice, interactions: testKnowledge, allergens: testAllergens })).toThrow(/warfarin is listed twice/);
    const pairTwice = { ...testKnowledge, interactions: [...testKnowledge.interactions, { ...testKnowledge.interactions[0]!, id: 'again', a: 'class:ssri', b: 'class:maoi' }] };
    expect(() => loadKnowledge({ dictionary: testDictionary, interactions: pairTwice, allergens: testAllergens })).toThrow(/repeats the pair/);
  });

  it('loads consistent knowledge', () => {
    expect(loadKnowledge({ dictionary: testDictionary, interactions: testKnowledge, allergens: testAllergens }).base.dictionary.ingredients).toHaveLength(testDictionary.ingredients.length);
  });
});

/** Common primary-care combinations with no interaction in the knowledge (chosen and listed in the closing note). */
const NON_INTERACTING_PANEL = ['metformin', 'atorvastatin', 'amlodipine', 'levothyroxine', 'acetaminophen', 'albuterol', 'tiotropium', 'bisoprolol', 'cholecalciferol', 'amoxicillin'];
