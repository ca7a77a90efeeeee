import { describe, expect, it } from 'vitest';
import { atcSystem, buildDictionary, codingsOf, fold, matchMedication, rxnormSystem, searchDictionary } from '../../../../shared/medication/dictionary';
import { testDictionary } from './fixture';

const dictionary = buildDictionary(testDictionary);
const ids = (hits: ReturnType<typeof searchDictionary>): string[] => hits.map((h) => h.ingredient.id);

describe('fold', () => {
  it('sets accents, case, punctuation and spaces aside', () => {
    expect(fold('  Lévothyrox® ')).toBe('levothyrox');
    expect(fold('Acide ACÉTYLSALICYLIQUE')).toBe('acide acetylsalicylique');
    expect(fold('St John’s-wort')).toBe('st john s wort');
  });
});

describe('searchDictionary', () => {
  it('finds an ingredient as it is typed, accents and case aside, in either language', () => {
    expect(ids(searchDictionary(dictionary, 'parac', 'fr'))).toEqual(['acetaminophen']);
    expect(ids(searchDictionary(dictionary, 'PARACETAMOL', 'en'))).toEqual(['acetaminophen']);
    expect(ids(searchDictionary(dictionary, 'levothy', 'fr'))).toEqual(['levothyroxine']);
    expect(ids(searchDictionary(dictionary, 'acetaminophen', 'fr'))).toEqual(['acetaminophen']);
  });

  it('takes a brand to its ingredient and says so', () => {
    const [hit] = searchDictionary(dictionary, 'dolip', 'fr');
    expect(hit?.ingredient.id).toBe('acetaminophen');
    expect(hit?.matched).toEqual({ kind: 'brand', text: 'Doliprane' });
    expect(ids(searchDictionary(dictionary, 'kardegic', 'fr'))).toEqual(['aspirin']);
  });

  it('matches a word inside a name ("glargine") and ranks a whole name first', () => {
    expect(ids(searchDictionary(dictionary, 'glargine', 'en'))).toEqual(['insulin-glargine']);
    expect(ids(searchDictionary(dictionary, 'acide', 'fr'))).toEqual(['aspirin']);
    const hits = ids(searchDictionary(dictionary, 'c', 'en'));
    expect(hits).toEqual([]); // fewer than two letters: nothing
    const ranked = ids(searchDictionary(dictionary, 'cit', 'en'));
    expect(ranked[0]).toBe('citalopram');
  });

  it('finds nothing for what is not in it', () => {
    expect(searchDictionary(dictionary, 'zzqx', 'en')).toEqual([]);
  });
});

describe('matchMedication', () => {
  it('matches by RxNorm first, then ATC, then name', () => {
    expect(matchMedication(dictionary, { coding: [{ system: rxnormSystem, code: '11289' }, { system: atcSystem, code: 'N06AB06' }] })).toMatchObject({ by: 'rxnorm', ingredients: [{ id: 'warfarin' }] });
    expect(matchMedication(dictionary, { coding: [{ system: rxnormSystem, code: '999999' }, { system: atcSystem, code: 'N06AB06' }], text: 'warfarin' })).toMatchObject({ by: 'atc', ingredients: [{ id: 'sertraline' }] });
    expect(matchMedication(dictionary, { coding: [{ system: 'http://snomed.info/sct', code: '372687004', display: 'Amoxicillin' }] })).toMatchObject({ by: 'name', ingredients: [{ id: 'amoxicillin' }] });
  });

  it('reads a brand, a label with a strength, and a combination', () => {
    expect(matchMedication(dictionary, { text: 'Doliprane 1000 mg' })).toMatchObject({ by: 'name', ingredients: [{ id: 'acetaminophen' }] });
    expect(matchMedication(dictionary, { text: 'Amoxicillin 500 MG Oral Capsule' })).toMatchObject({ ingredients: [{ id: 'amoxicillin' }] });
    expect(matchMedication(dictionary, { text: 'insulin glargine 100 UNT/ML Injectable Solution' })).toMatchObject({ ingredients: [{ id: 'insulin-glargine' }] });
    expect(matchMedication(dictionary, { text: 'aspirin / clopidogrel' })?.ingredients.map((i) => i.id)).toEqual(['aspirin', 'clopidogrel']);
  });

  it('gives null when nothing matches (the medication is "not checked")', () => {
    expect(matchMedication(dictionary, { text: 'Tisane maison' })).toBeNull();
    expect(matchMedication(dictionary, { coding: [{ system: rxnormSystem, code: '1' }] })).toBeNull();
    expect(matchMedication(dictionary, undefined)).toBeNull();
  });
});

describe('codingsOf', () => {
  it('codes an order in RxNorm and the ATC codes that fit where it is given', () => {
    expect(codingsOf(dictionary.byId.get('aspirin')!)).toEqual([
      { system: rxnormSystem, code: '1191', display: 'aspirin' },
      { system: atcSystem, code: 'B01AC06', display: 'acetylsalicylic acid' },
      { system: atcSystem, code: 'N02BA01', display: 'acetylsalicylic acid' },
    ]);
    const aciclovir = { ...dictionary.byId.get('aspirin')!, id: 'acyclovir', rxnorm: '281', atc: ['J05AB01', 'D06BB03', 'S01AD03'] };
    expect(codingsOf(aciclovir).slice(1).map((c) => c.code)).toEqual(['J05AB01']);
    expect(codingsOf(aciclovir, 'skin').slice(1).map((c) => c.code)).toEqual(['D06BB03']);
    expect(codingsOf(aciclovir, 'eye-ear').slice(1).map((c) => c.code)).toEqual(['S01AD03']);
  });
});
