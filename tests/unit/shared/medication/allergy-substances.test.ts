import { describe, expect, it } from 'vitest';
import { searchSubstances, substanceFor } from '../../../../shared/medication/allergy-substances';
import { loadKnowledge } from '../../../../shared/medication/knowledge';
import { testAllergens, testDictionary, testKnowledge } from './fixture';

const knowledge = loadKnowledge({ dictionary: testDictionary, interactions: testKnowledge, allergens: testAllergens });

describe('allergy substances', () => {
  it('offers drug classes, allergens and ingredients as typed, coded', () => {
    const hits = searchSubstances(knowledge, 'péni', 'fr');
    expect(hits[0]).toMatchObject({ key: 'group:penicillins', label: 'Pénicillines', category: 'medication', codings: [{ system: 'http://snomed.info/sct', code: '764146007' }] });
    expect(searchSubstances(knowledge, 'arach', 'fr')).toMatchObject([{ key: 'allergen:peanut', category: 'food', codings: [{ code: '256349002' }] }]);
    expect(searchSubstances(knowledge, 'amox', 'en')).toMatchObject([{ key: 'ingredient:amoxicillin', codings: [{ code: '723' }, { code: 'J01CA04' }] }]);
    expect(searchSubstances(knowledge, 'clamox', 'fr')[0]?.label).toBe('Clamoxyl → amoxicilline');
  });

  it('codes what was typed exactly, singular or plural, else nothing', () => {
    expect(substanceFor(knowledge, 'Pénicilline', 'fr')?.key).toBe('group:penicillins');
    expect(substanceFor(knowledge, 'penicillins', 'en')?.key).toBe('group:penicillins');
    expect(substanceFor(knowledge, 'Amoxicilline', 'fr')?.key).toBe('ingredient:amoxicillin');
    expect(substanceFor(knowledge, 'ingredient:warfarin', 'en')?.codings[0]?.code).toBe('11289');
    expect(substanceFor(knowledge, 'Poussière de maison', 'fr')).toBeNull();
  });
});
