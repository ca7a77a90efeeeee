import { describe, expect, it } from 'vitest';
import { createI18n } from '../../../../../renderer/i18n/i18n';
import { dosageText, type Translate } from '../../../../../renderer/features/record/dosage-text';

const translators = async (): Promise<Record<'fr' | 'en', Translate>> => {
  const fr = await createI18n('fr');
  const en = await createI18n('en');
  return { fr: (k, o) => fr.t(k, { ...o }), en: (k, o) => en.t(k, { ...o }) };
};

describe('structured dosage in words', () => {
  it('keeps what the prescriber wrote', async () => {
    const t = await translators();
    expect(dosageText({ text: 'ONE tablet ONCE daily', timing: { repeat: { frequency: 2, period: 1, periodUnit: 'd' } } }, 'en', t.en)).toBe('ONE tablet ONCE daily');
  });

  it('says frequency per period, the dose, the route and the moment', async () => {
    const t = await translators();
    const amlodipine = { timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd', when: ['MORN'] } }, route: { coding: [{ display: 'Oral route' }] }, doseAndRate: [{ doseQuantity: { value: 5, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' } }] };
    expect(dosageText(amlodipine, 'en', t.en)).toBe('5 mg, Oral route, once a day, in the morning');
    expect(dosageText(amlodipine, 'fr', t.fr)).toBe('5 mg, Oral route, une fois par jour, le matin');
    const pipTazo = { timing: { repeat: { frequency: 4, period: 1, periodUnit: 'd' } }, asNeededBoolean: false, doseAndRate: [{ doseQuantity: { value: 1 } }] };
    expect(dosageText(pipTazo, 'en', t.en)).toBe('1, 4 times a day');
    expect(dosageText(pipTazo, 'fr', t.fr)).toBe('1, 4 fois par jour');
  });

  it('says every 4 to 6 hours, as needed for pain, at most 8 per 24 hours, from and to', async () => {
    const t = await translators();
    const oxycodone = {
      timing: { repeat: { frequency: 1, period: 4, periodMax: 6, periodUnit: 'h', boundsPeriod: { start: '2024-03-12', end: '2024-03-19' } } },
      asNeededCodeableConcept: { coding: [{ display: 'Pain' }] },
      doseAndRate: [{ doseRange: { low: { value: 1, unit: 'tablet' }, high: { value: 2, unit: 'tablet' } } }],
      maxDosePerPeriod: { numerator: { value: 8, unit: 'tablet' }, denominator: { value: 24, unit: 'h', system: 'http://unitsofmeasure.org', code: 'h' } },
    };
    expect(dosageText(oxycodone, 'en', t.en)).toBe('1 – 2 tablet, every 4 to 6 hours, from 12/03/2024 to 19/03/2024, as needed for Pain, at most 8 tablet per 24 h');
    expect(dosageText(oxycodone, 'fr', t.fr)).toBe('1 – 2 tablet, toutes les 4 à 6 heures, du 12/03/2024 au 19/03/2024, si besoin (Pain), au maximum 8 tablet par 24 h');
  });

  it('reads a timing code (TID) with a duration, and a time of day', async () => {
    const t = await translators();
    const amoxicillin = { timing: { code: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation', code: 'TID' }] }, repeat: { boundsDuration: { value: 5, unit: 'days', system: 'http://unitsofmeasure.org', code: 'd' } } }, doseAndRate: [{ doseQuantity: { value: 1, unit: 'capsule' } }] };
    expect(dosageText(amoxicillin, 'en', t.en)).toBe('1 capsule, 3 times a day, for 5 days');
    expect(dosageText(amoxicillin, 'fr', t.fr)).toBe('1 capsule, 3 fois par jour, pendant 5 jours');
    const insulin = { timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd', timeOfDay: ['21:00:00'] } }, doseAndRate: [{ doseQuantity: { value: 12, unit: 'U', system: 'http://unitsofmeasure.org', code: '[iU]' } }], additionalInstruction: [{ text: 'Hold if fasting glucose below 100 mg/dL' }] };
    expect(dosageText(insulin, 'en', t.en)).toBe('12 IU, once a day, at 21:00, Hold if fasting glucose below 100 mg/dL');
    expect(dosageText(insulin, 'fr', t.fr)).toBe('12 UI, une fois par jour, à 21:00, Hold if fasting glucose below 100 mg/dL');
  });

  it('says nothing when there is nothing structured', async () => {
    const t = await translators();
    expect(dosageText({ sequence: 1 }, 'en', t.en)).toBe('');
    expect(dosageText({ asNeededBoolean: true }, 'fr', t.fr)).toBe('si besoin');
  });
});
