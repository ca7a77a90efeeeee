import { describe, expect, it } from 'vitest';
import { buildDictionary } from '../../../../shared/medication/dictionary';
import { plausibility, toFhirDosage, type DosageInput } from '../../../../shared/medication/dosage';
import { testDictionary } from './fixture';

const dictionary = buildDictionary(testDictionary);
const paracetamol = dictionary.byId.get('acetaminophen')!;
const levothyroxine = dictionary.byId.get('levothyroxine')!;
const input = (over: Partial<DosageInput>): DosageInput => ({ dose: 1, unit: 'g', route: 'oral', frequency: 3, period: 1, periodUnit: 'd', durationDays: null, asNeeded: false, ...over });

describe('toFhirDosage', () => {
  it('writes timing, dose, route and as-needed as FHIR R4 Dosage', () => {
    expect(toFhirDosage(input({ dose: 2, unit: 'tablet', frequency: 1, period: 8, periodUnit: 'h', durationDays: 5, asNeeded: true }), { unit: 'comprimés', route: 'voie orale' })).toEqual({
      timing: { repeat: { frequency: 1, period: 8, periodUnit: 'h', boundsDuration: { value: 5, unit: 'd', system: 'http://unitsofmeasure.org', code: 'd' } } },
      asNeededBoolean: true,
      route: { coding: [{ system: 'http://snomed.info/sct', code: '26643006' }], text: 'voie orale' },
      doseAndRate: [{ doseQuantity: { value: 2, unit: 'comprimés', system: 'http://unitsofmeasure.org', code: '{tablet}' } }],
    });
  });

  it('codes mass units in UCUM and leaves the end open without a duration', () => {
    const dosage = toFhirDosage(input({ dose: 75, unit: 'mcg' }), { unit: 'µg', route: 'oral' });
    expect(dosage.doseAndRate?.[0]?.doseQuantity?.code).toBe('ug');
    expect(dosage.timing?.repeat?.boundsDuration).toBeUndefined();
  });
});

describe('plausibility', () => {
  it('accepts a usual dose and stops ten times the usual daily maximum', () => {
    expect(plausibility(input({ dose: 1, unit: 'g', frequency: 3 }), paracetamol, null)).toMatchObject({ kind: 'ok', daily: 3, unit: 'g', max: 4 });
    // 1000 g typed for 1000 mg, or a misplaced decimal: 40 g a day is ten times 4 g.
    expect(plausibility(input({ dose: 10, unit: 'g', frequency: 4 }), paracetamol, null)).toMatchObject({ kind: 'implausible', daily: 40 });
    expect(plausibility(input({ dose: 9, unit: 'g', frequency: 4 }), paracetamol, null)).toMatchObject({ kind: 'ok' });
  });

  it('converts mg, g and micrograms (mg typed for micrograms is stopped)', () => {
    expect(plausibility(input({ dose: 75, unit: 'mcg', frequency: 1 }), levothyroxine, null)).toMatchObject({ kind: 'ok' });
    expect(plausibility(input({ dose: 75, unit: 'mg', frequency: 1 }), levothyroxine, null)).toMatchObject({ kind: 'implausible', daily: 75000, unit: 'mcg' });
  });

  it('counts tablets and millilitres through the chosen strength, every few hours per day', () => {
    expect(plausibility(input({ dose: 2, unit: 'tablet', frequency: 1, period: 6, periodUnit: 'h' }), paracetamol, { value: 500, unit: 'mg' })).toMatchObject({ kind: 'ok', daily: 4 });
    expect(plausibility(input({ dose: 20, unit: 'tablet', frequency: 1, period: 6, periodUnit: 'h' }), paracetamol, { value: 1, unit: 'g' })).toMatchObject({ kind: 'implausible', daily: 80 });
    expect(plausibility(input({ dose: 15, unit: 'mL', frequency: 4 }), paracetamol, { value: 24, unit: 'mg/mL' })).toMatchObject({ kind: 'ok', daily: 1.44 });
    expect(plausibility(input({ dose: 1, unit: 'g', frequency: 1, period: 1, periodUnit: 'wk' }), paracetamol, null)).toMatchObject({ kind: 'ok' });
  });

  it('stops an oral weekly medicine (methotrexate) ordered daily, and checks its one weekly dose', () => {
    const methotrexate = { ...paracetamol, id: 'methotrexate', schedule: 'weekly' as const, maxDailyDose: { value: 30, unit: 'mg' as const, route: 'oral' as const } };
    expect(plausibility(input({ dose: 10, unit: 'mg', frequency: 1, period: 1, periodUnit: 'd' }), methotrexate, null)).toEqual({ kind: 'weekly' });
    expect(plausibility(input({ dose: 10, unit: 'mg', frequency: 2, period: 1, periodUnit: 'wk' }), methotrexate, null)).toEqual({ kind: 'weekly' });
    expect(plausibility(input({ dose: 15, unit: 'mg', frequency: 1, period: 1, periodUnit: 'wk' }), methotrexate, null)).toMatchObject({ kind: 'ok', daily: 15 });
    expect(plausibility(input({ dose: 300, unit: 'mg', frequency: 1, period: 1, periodUnit: 'wk' }), methotrexate, null)).toMatchObject({ kind: 'implausible' });
  });

  it('compares a maximum only on its own route', () => {
    expect(plausibility(input({ dose: 100, unit: 'g', route: 'intravenous' }), paracetamol, null)).toEqual({ kind: 'unknown' });
  });

  it('says unknown when it cannot compare (no maximum, no strength for a count)', () => {
    expect(plausibility(input({ dose: 2, unit: 'tablet' }), paracetamol, null)).toEqual({ kind: 'unknown' });
    expect(plausibility(input({ dose: 100, unit: 'U' }), dictionary.byId.get('insulin-glargine')!, null)).toEqual({ kind: 'unknown' });
  });
});
