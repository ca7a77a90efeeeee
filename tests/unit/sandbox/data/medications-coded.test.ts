import { describe, expect, it } from 'vitest';
import { medications, oncHalves, interactions } from '../../../../sandbox/data/medications';
import { checkOrder } from '../../../../shared/medication/checks';
import { atcSystem, matchMedication, rxnormSystem } from '../../../../shared/medication/dictionary';
import { medicationKnowledge } from '../../../../shared/medication/knowledge';

const { base } = medicationKnowledge();
const idOf = (key: string): string => {
  const m = medications.find((d) => d.key === key)!;
  return matchMedication(base.dictionary, { coding: [{ system: rxnormSystem, code: m.rxnorm }] })!.ingredients[0]!.id;
};

describe('the sandbox’s medications against the dictionary', () => {
  it('are coded as the dictionary codes them (RxNorm ingredient and ATC)', () => {
    for (const m of medications) {
      const byRxnorm = matchMedication(base.dictionary, { coding: [{ system: rxnormSystem, code: m.rxnorm }] });
      const byAtc = matchMedication(base.dictionary, { coding: [{ system: atcSystem, code: m.atc }] });
      expect(byRxnorm, m.key).not.toBeNull();
      expect(byRxnorm?.ingredients.map((i) => i.id), m.key).toEqual(byAtc?.ingredients.map((i) => i.id));
    }
  });

  it('give the demo one half of every ONC pair: each half has an ONC partner in the knowledge', () => {
    const onc = base.interactions.filter((rule) => rule.sources.includes('phansalkar-2012'));
    for (const key of oncHalves) {
      const id = idOf(key);
      const operands = base.operandsOf.get(id) ?? [];
      expect(onc.some((rule) => operands.includes(rule.a) || operands.includes(rule.b)), key).toBe(true);
    }
  });

  it('seed pairs that the checks catch', () => {
    for (const { pair } of interactions) {
      const [a, b] = pair.map(idOf) as [string, string];
      const alerts = checkOrder(base, { key: 'MedicationRequest/new', label: a, ingredients: [a], origin: 'new' }, [{ key: 'MedicationRequest/old', label: b, ingredients: [b], origin: 'current' }], []);
      expect(alerts.some((x) => x.kind === 'interaction'), pair.join(' + ')).toBe(true);
    }
  });
});
