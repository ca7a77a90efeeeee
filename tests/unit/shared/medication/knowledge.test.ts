import { describe, expect, it } from 'vitest';
import { checkOrder, reviewMedications, type MedicationEntry } from '../../../../shared/medication/checks';
import { fold, matchMedication } from '../../../../shared/medication/dictionary';
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

  it('holds in each class defined by a therapeutic group every ingredient of that group the dictionary has (a new statin joins the statins)', () => {
    const byGroup: Record<string, { prefixes: string[]; except?: string[] }> = {
      'class:onc-proton-pump-inhibitors': { prefixes: ['A02BC'] },
      'class:statins': { prefixes: ['C10AA'] },
      'class:ace-inhibitors': { prefixes: ['C09AA'] },
      'class:angiotensin-ii-receptor-blockers': { prefixes: ['C09CA'] },
      'class:loop-diuretics': { prefixes: ['C03CA', 'C03CB'] },
      'class:thiazide-diuretics': { prefixes: ['C03AA', 'C03BA'] },
      'class:potassium-sparing-diuretics': { prefixes: ['C03DA', 'C03DB'] },
      'class:nsaids': { prefixes: ['M01AB', 'M01AC', 'M01AE', 'M01AG', 'M01AH', 'M01AX'] },
      'class:vitamin-k-antagonists': { prefixes: ['B01AA'] },
      'class:oral-anticoagulants': { prefixes: ['B01AA', 'B01AE', 'B01AF'] },
      'class:macrolides-except-spiramycin': { prefixes: ['J01FA'], except: ['spiramycin'] },
      'group:penicillins': { prefixes: ['J01CA', 'J01CE', 'J01CF', 'J01CG'] },
      'group:cephalosporins': { prefixes: ['J01DB', 'J01DC', 'J01DD', 'J01DE', 'J01DI'] },
      'group:carbapenems': { prefixes: ['J01DH'] },
      // Preferential COX-2 inhibitors are tolerated by most patients with NSAID cross-intolerance.
      'group:nsaids-cross-intolerance': { prefixes: ['M01AB', 'M01AC', 'M01AE', 'M01AG'], except: ['meloxicam', 'etodolac', 'nabumetone'] },
    };
    for (const [key, { prefixes, except = [] }] of Object.entries(byGroup)) {
      const [kind, id] = key.split(':') as [string, string];
      const members = new Set(kind === 'class' ? base.classes.get(id)?.members : base.allergyGroups.get(id)?.members);
      const expected = knowledge.dictionaryData.ingredients.filter((i) => i.components === undefined && prefixes.some((p) => (i.atc[0] ?? '').startsWith(p)) && !except.includes(i.id));
      expect(expected.filter((i) => !members.has(i.id)).map((i) => i.id), `${key} lacks`).toEqual([]);
    }
  });

  it('checks a combination product as each of its ingredients (co-amoxiclav meets a penicillin allergy)', () => {
    const augmentin = base.dictionary.byName.get('augmentin') ?? [];
    expect(augmentin.map((i) => i.id)).toEqual(['amoxicillin-clavulanate']);
    const ordered = { key: 'MedicationRequest/new', label: 'Augmentin', ingredients: augmentin.flatMap((i) => i.components ?? [i.id]), origin: 'new' as const };
    expect(checkOrder(base, ordered, [], [{ key: 'AllergyIntolerance/a', label: 'Penicillin', ingredients: [], groups: ['penicillins'] }])).toMatchObject([{ kind: 'allergy', severity: 'contraindicated' }]);
    // Co-trimoxazole coded only by its combination ATC code still meets methotrexate.
    const cotrimoxazole = matchMedication(base.dictionary, { coding: [{ system: 'http://www.whocc.no/atc', code: 'J01EE01' }] });
    expect(cotrimoxazole?.ingredients.map((i) => i.id).sort()).toEqual(['sulfamethoxazole', 'trimethoprim']);
    const alerts = checkOrder(base, entry('methotrexate', 'new'), [{ key: 'MedicationRequest/c', label: 'Bactrim', ingredients: ['sulfamethoxazole', 'trimethoprim'], origin: 'current' }], []);
    expect(alerts.some((a) => a.kind === 'interaction' && a.rule.id === 'methotrexate-trimethoprim')).toBe(true);
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
