import type { DictionaryData, InteractionKnowledge } from '../../../../shared/medication/knowledge-schema';

/** A small dictionary and knowledge for the unit tests (the shipped files are tested in knowledge.test.ts). */
const ingredient = (id: string, rxnorm: string, atc: string[], en: string, fr: string, brands: { en: string[]; fr: string[] } = { en: [], fr: [] }, extra: Partial<DictionaryData['ingredients'][number]> = {}): DictionaryData['ingredients'][number] => ({
  id,
  rxnorm,
  atc,
  name: { en, fr },
  brands,
  forms: [{ form: 'tablet', route: 'oral', strengths: [{ value: 10, unit: 'mg' }] }],
  maxDailyDose: null,
  sources: ['test'],
  ...extra,
});

export const testDictionary: DictionaryData = {
  version: 'test',
  description: 'Unit-test dictionary.',
  sources: [{ id: 'test', title: 'Unit tests' }],
  ingredients: [
    ingredient('warfarin', '11289', ['B01AA03'], 'warfarin', 'warfarine', { en: ['Coumadin'], fr: ['Coumadine'] }),
    ingredient('aspirin', '1191', ['B01AC06', 'N02BA01'], 'acetylsalicylic acid', 'acide acétylsalicylique', { en: [], fr: ['Kardégic'] }, { synonyms: ['aspirin'] }),
    ingredient('clopidogrel', '32968', ['B01AC04'], 'clopidogrel', 'clopidogrel', { en: ['Plavix'], fr: ['Plavix'] }),
    ingredient('acetaminophen', '161', ['N02BE01'], 'paracetamol', 'paracétamol', { en: ['Panadol'], fr: ['Doliprane', 'Dafalgan'] }, {
      synonyms: ['acetaminophen'],
      forms: [
        { form: 'tablet', route: 'oral', strengths: [{ value: 500, unit: 'mg' }, { value: 1, unit: 'g' }] },
        { form: 'oral-liquid', route: 'oral', strengths: [{ value: 24, unit: 'mg/mL' }] },
      ],
      maxDailyDose: { value: 4, unit: 'g', route: 'oral' },
    }),
    ingredient('diflunisal', '3393', ['N02BA11'], 'diflunisal', 'diflunisal'),
    ingredient('phenelzine', '8123', ['N06AF03'], 'phenelzine', 'phénelzine'),
    ingredient('tranylcypromine', '10734', ['N06AF04'], 'tranylcypromine', 'tranylcypromine'),
    ingredient('sertraline', '36437', ['N06AB06'], 'sertraline', 'sertraline', { en: ['Zoloft'], fr: ['Zoloft'] }),
    ingredient('citalopram', '2556', ['N06AB04'], 'citalopram', 'citalopram', { en: [], fr: ['Seropram'] }),
    ingredient('amoxicillin', '723', ['J01CA04'], 'amoxicillin', 'amoxicilline', { en: ['Amoxil'], fr: ['Clamoxyl'] }),
    ingredient('flucloxacillin', '4349', ['J01CF05'], 'flucloxacillin', 'flucloxacilline'),
    ingredient('cephalexin', '2231', ['J01DB01'], 'cefalexin', 'céfalexine', { en: [], fr: [] }, { synonyms: ['cephalexin'] }),
    ingredient('levothyroxine', '10582', ['H03AA01'], 'levothyroxine', 'lévothyroxine', { en: ['Synthroid'], fr: ['Levothyrox'] }, {
      forms: [{ form: 'tablet', route: 'oral', strengths: [{ value: 75, unit: 'mcg' }] }],
      maxDailyDose: { value: 300, unit: 'mcg', route: 'oral' },
    }),
    ingredient('insulin-glargine', '274783', ['A10AE04'], 'insulin glargine', 'insuline glargine', { en: ['Lantus'], fr: ['Lantus'] }, {
      forms: [{ form: 'injection', route: 'subcutaneous', strengths: [{ value: 100, unit: 'U/mL' }] }],
    }),
  ],
};

export const testKnowledge: InteractionKnowledge = {
  version: 'test',
  description: 'Unit-test knowledge.',
  sources: [{ id: 'test', title: 'Unit tests' }],
  classes: [
    { id: 'maoi', name: { en: 'MAO inhibitors', fr: 'IMAO' }, members: ['phenelzine', 'tranylcypromine'], source: 'test' },
    { id: 'ssri', name: { en: 'SSRIs', fr: 'ISRS' }, members: ['sertraline', 'citalopram'], source: 'test' },
  ],
  interactions: [
    {
      id: 'maoi-ssri',
      a: 'class:maoi',
      b: 'class:ssri',
      severity: 'contraindicated',
      effect: { en: 'Serotonin syndrome.', fr: 'Syndrome sérotoninergique.' },
      mechanism: { en: 'Additive serotonergic effects.', fr: 'Effets sérotoninergiques additifs.' },
      management: { en: 'Do not combine.', fr: 'Ne pas associer.' },
      sources: ['test'],
    },
    {
      id: 'maoi-maoi',
      a: 'class:maoi',
      b: 'class:maoi',
      severity: 'contraindicated',
      effect: { en: 'Hypertensive crisis.', fr: 'Crise hypertensive.' },
      mechanism: { en: 'Additive.', fr: 'Additif.' },
      management: { en: 'Do not combine.', fr: 'Ne pas associer.' },
      sources: ['test'],
    },
    {
      id: 'warfarin-aspirin',
      a: 'ingredient:warfarin',
      b: 'ingredient:aspirin',
      severity: 'serious',
      effect: { en: 'Bleeding.', fr: 'Saignement.' },
      mechanism: { en: 'Antiplatelet plus anticoagulant.', fr: 'Antiagrégant et anticoagulant.' },
      management: { en: 'Avoid unless indicated.', fr: 'Éviter sauf indication.' },
      sources: ['test'],
    },
  ],
  allergyGroups: [
    {
      id: 'penicillins',
      name: { en: 'Penicillins', fr: 'Pénicillines' },
      members: ['amoxicillin', 'flucloxacillin'],
      snomed: ['764146007'],
      crossReactive: [{ group: 'cephalosporins', severity: 'caution', note: { en: 'Low cross-reactivity.', fr: 'Faible réactivité croisée.' } }],
      sources: ['test'],
    },
    { id: 'cephalosporins', name: { en: 'Cephalosporins', fr: 'Céphalosporines' }, members: ['cephalexin'], crossReactive: [], sources: ['test'] },
  ],
};

export const testAllergens = { version: 'test', sources: [{ id: 'test', title: 'Unit tests' }], allergens: [{ id: 'peanut', snomed: '256349002', category: 'food', name: { en: 'Peanut', fr: 'Arachide' } }] };
