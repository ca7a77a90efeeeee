import { describe, expect, it } from 'vitest';
import { allergyGroupsFor, buildKnowledgeBase, checkOrder, describeAlert, reviewMedications, type AllergyEntry, type MedicationEntry } from '../../../../shared/medication/checks';
import { buildDictionary } from '../../../../shared/medication/dictionary';
import { testDictionary, testKnowledge } from './fixture';

const base = buildKnowledgeBase(buildDictionary(testDictionary), testKnowledge);
const med = (id: string, label = id, origin: MedicationEntry['origin'] = 'current'): MedicationEntry => ({ key: `MedicationRequest/${id}`, label, ingredients: [id], origin });
const order = (id: string): MedicationEntry => ({ key: 'MedicationRequest/new', label: id, ingredients: [id], origin: 'new' });
const allergy = (ingredients: string[], groups: string[] = [], label = 'allergy'): AllergyEntry => ({ key: 'AllergyIntolerance/a1', label, ingredients, groups });

describe('interactions', () => {
  it('alerts a class pair for any member, in both orders', () => {
    for (const maoi of ['phenelzine', 'tranylcypromine']) {
      for (const ssri of ['sertraline', 'citalopram']) {
        for (const [newOne, current] of [[maoi, ssri], [ssri, maoi]] as const) {
          const alerts = checkOrder(base, order(newOne), [med(current)], []);
          expect(alerts, `${newOne} + ${current}`).toHaveLength(1);
          expect(alerts[0]).toMatchObject({ kind: 'interaction', severity: 'contraindicated', rule: { id: 'maoi-ssri' } });
        }
      }
    }
  });

  it('alerts an ingredient pair both ways, and a class with itself only for two different drugs', () => {
    expect(checkOrder(base, order('warfarin'), [med('aspirin')], [])).toMatchObject([{ rule: { id: 'warfarin-aspirin' }, severity: 'serious' }]);
    expect(checkOrder(base, order('aspirin'), [med('warfarin')], [])).toMatchObject([{ rule: { id: 'warfarin-aspirin' } }]);
    expect(checkOrder(base, order('phenelzine'), [med('tranylcypromine')], [])).toMatchObject([{ rule: { id: 'maoi-maoi' } }]);
    // The same MAOI twice is a duplication, not a MAOI–MAOI interaction.
    expect(checkOrder(base, order('phenelzine'), [med('phenelzine')], [])).toMatchObject([{ kind: 'duplication', severity: 'caution' }]);
  });

  it('says nothing for combinations the knowledge does not list', () => {
    const current = [med('acetaminophen'), med('levothyroxine'), med('amoxicillin'), med('insulin-glargine')];
    expect(checkOrder(base, order('sertraline'), current, [])).toEqual([]);
    expect(checkOrder(base, order('warfarin'), current, [])).toEqual([]);
    expect(reviewMedications(base, current, [])).toEqual([]);
  });

  it('checks nothing for a medication outside the dictionary', () => {
    expect(checkOrder(base, { key: 'MedicationRequest/x', label: 'Tisane', ingredients: [], origin: 'new' }, [med('phenelzine')], [])).toEqual([]);
  });

  it('flags two drugs of one ATC level-4 group as a duplication, unless they interact or are combined on purpose', () => {
    expect(checkOrder(base, order('citalopram'), [med('sertraline')], [])).toMatchObject([{ kind: 'duplication', atcGroup: 'N06AB' }]);
    expect(checkOrder(base, order('phenelzine'), [med('tranylcypromine')], [])).toMatchObject([{ kind: 'interaction' }]);
    // Aspirin + clopidogrel after a stent: no duplication caution.
    expect(checkOrder(base, order('clopidogrel'), [med('aspirin')], [])).toEqual([]);
  });

  it('leaves medications applied to the skin, eye or ear out of systemic rules, not out of allergies', () => {
    const cream = { ...med('sertraline'), local: true };
    expect(checkOrder(base, order('phenelzine'), [cream], [])).toEqual([]);
    expect(checkOrder(base, { ...order('phenelzine'), local: true }, [med('sertraline')], [])).toEqual([]);
    expect(checkOrder(base, { ...order('amoxicillin'), local: true }, [], [allergy(['amoxicillin'])])).toMatchObject([{ kind: 'allergy' }]);
  });

  it('reads a duplication from each ingredient’s main ATC code only (aspirin’s analgesic code is not its therapy here)', () => {
    expect(checkOrder(base, order('diflunisal'), [med('aspirin')], [])).toEqual([]);
  });

  it('checks pending orders from the outbox like current ones, and not the order against itself', () => {
    const pending = med('sertraline', 'Sertraline', 'pending');
    expect(checkOrder(base, order('phenelzine'), [pending], [])).toHaveLength(1);
    expect(checkOrder(base, { ...order('phenelzine'), key: pending.key }, [pending], [])).toEqual([]);
  });
});

describe('allergies', () => {
  it('blocks the same ingredient and the same group', () => {
    expect(checkOrder(base, order('amoxicillin'), [], [allergy(['amoxicillin'])])).toMatchObject([{ kind: 'allergy', severity: 'contraindicated', group: null }]);
    expect(checkOrder(base, order('flucloxacillin'), [], [allergy(['amoxicillin'], ['penicillins'])])).toMatchObject([{ kind: 'allergy', group: { id: 'penicillins' } }]);
    expect(checkOrder(base, order('amoxicillin'), [], [allergy([], ['penicillins'], 'Penicillin')])).toMatchObject([{ kind: 'allergy', group: { id: 'penicillins' } }]);
  });

  it('alerts an intolerance, an unconfirmed or a low-criticality allergy as serious, not contraindicated', () => {
    expect(checkOrder(base, order('amoxicillin'), [], [{ ...allergy(['amoxicillin']), certain: false }])).toMatchObject([{ kind: 'allergy', severity: 'serious' }]);
  });

  it('gives a lower-severity note for a documented cross-reactivity', () => {
    expect(checkOrder(base, order('cephalexin'), [], [allergy([], ['penicillins'])])).toMatchObject([{ kind: 'cross-reactivity', severity: 'caution' }]);
  });

  it('finds the group an allergy record names, by SNOMED code or name, or by its ingredient', () => {
    expect(allergyGroupsFor(base, [], { coding: [{ system: 'http://snomed.info/sct', code: '764146007', display: 'Penicillin' }] })).toEqual(['penicillins']);
    expect(allergyGroupsFor(base, [], { text: 'Pénicilline' })).toEqual(['penicillins']);
    expect(allergyGroupsFor(base, [], { text: 'Allergie à la pénicilline' })).toEqual(['penicillins']);
    expect(allergyGroupsFor(base, ['amoxicillin'], { text: 'Amoxicilline' })).toEqual(['penicillins']);
    expect(allergyGroupsFor(base, [], { text: 'Peanut' })).toEqual([]);
  });

  it('does not alert an allergy to something else', () => {
    expect(checkOrder(base, order('sertraline'), [], [allergy(['amoxicillin'], ['penicillins'])])).toEqual([]);
  });
});

describe('review and wording', () => {
  it('reviews the same medication recorded twice once: no duplication, no repeated alerts', () => {
    const twice = [med('sertraline'), { ...med('sertraline'), key: 'MedicationStatement/s' }, med('phenelzine')];
    expect(reviewMedications(base, twice, [])).toMatchObject([{ kind: 'interaction', rule: { id: 'maoi-ssri' } }]);
    expect(reviewMedications(base, twice, [])).toHaveLength(1);
  });

  it('lists every pair of the current list, most severe first', () => {
    const alerts = reviewMedications(base, [med('aspirin'), med('sertraline'), med('warfarin'), med('phenelzine')], []);
    expect(alerts.map((a) => (a.kind === 'interaction' ? a.rule.id : a.kind))).toEqual(['maoi-ssri', 'warfarin-aspirin']);
  });

  it('names only the patient’s own medications, in the clinician’s language', () => {
    const [alert] = checkOrder(base, order('phenelzine'), [med('sertraline', 'Zoloft 50 mg')], []);
    const fr = describeAlert(alert!, 'fr');
    expect(fr.title).toBe('phenelzine + Zoloft 50 mg');
    expect(fr.effect).toBe('Syndrome sérotoninergique.');
    expect(JSON.stringify(fr)).not.toMatch(/citalopram|tranylcypromine/i);
    expect(describeAlert(alert!, 'en').management).toBe('Do not combine.');
  });
});
