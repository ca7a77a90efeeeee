import { describe, expect, it } from 'vitest';
import { checkVitals, parseTypedNumber, vitalObservations, type VitalEntry } from '../../../../../renderer/features/charting/vital-signs';

const entry = (field: VitalEntry['field'], text: string, unit?: string): VitalEntry => ({
  field,
  text,
  unit: unit ?? { systolic: 'mm[Hg]', diastolic: 'mm[Hg]', heartRate: '/min', temperature: 'Cel', oxygenSaturation: '%', weight: 'kg', glucose: 'mg/dL' }[field],
});

const context = {
  patient: 'Patient/p',
  practitioner: 'Practitioner/d',
  effective: '2026-11-28T09:30:00.000Z',
  newId: (() => {
    let n = 0;
    return () => `00000000-0000-4000-8000-00000000000${(n += 1)}`;
  })(),
  labels: { bloodPressure: 'Pression artérielle', systolic: 's', diastolic: 'd', heartRate: 'FC', temperature: 'T', oxygenSaturation: 'SpO2', weight: 'Poids', glucose: 'Glycémie' },
};

describe('vital signs: typing, plausibility, coding', () => {
  it('reads numbers typed with a comma or a point, and nothing else', () => {
    expect(parseTypedNumber('37,5')).toBe(37.5);
    expect(parseTypedNumber(' 37.5 ')).toBe(37.5);
    expect(parseTypedNumber('37,5,1')).toBeNull();
    expect(parseTypedNumber('1e3')).toBeNull();
  });

  it('refuses impossible values with the range, in the unit the clinician chose', () => {
    expect(checkVitals([entry('heartRate', '400')])).toEqual([{ field: 'heartRate', problem: 'too-high', min: 20, max: 250, unit: '/min' }]);
    expect(checkVitals([entry('temperature', '25')])[0]).toMatchObject({ problem: 'too-low', min: 30, max: 44 });
    expect(checkVitals([entry('temperature', '120', '[degF]')])[0]).toMatchObject({ problem: 'too-high', min: 86, max: 111.2, unit: '[degF]' });
    expect(checkVitals([entry('oxygenSaturation', 'beaucoup')])[0]?.problem).toBe('not-a-number');
  });

  it('converts before checking: 98.6 °F, 5.5 mmol/L and 1,10 g/L are plausible', () => {
    expect(checkVitals([entry('temperature', '98.6', '[degF]'), entry('glucose', '5,5', 'mmol/L')])).toEqual([]);
    expect(checkVitals([entry('glucose', '1,10', 'g/L')])).toEqual([]);
    expect(checkVitals([entry('glucose', '80', 'mmol/L')])[0]?.problem).toBe('too-high');
  });

  it('wants both pressures, the diastolic below the systolic; empty fields are simply not measured', () => {
    expect(checkVitals([entry('systolic', '140'), entry('diastolic', '')])[0]?.problem).toBe('half-a-pressure');
    expect(checkVitals([entry('systolic', '80'), entry('diastolic', '90')])[0]?.problem).toBe('diastolic-above-systolic');
    expect(checkVitals([entry('systolic', ''), entry('diastolic', ''), entry('weight', '')])).toEqual([]);
  });

  it('writes one Observation per measure with LOINC codes and UCUM units; blood pressure as the 85354-9 panel', () => {
    const obs = vitalObservations([entry('systolic', '142'), entry('diastolic', '88'), entry('heartRate', '76'), entry('temperature', '37,9'), entry('glucose', '5,4', 'mmol/L')], context);
    expect(obs).toHaveLength(4);
    const [bp, hr, temp, glucose] = obs;
    expect(bp).toMatchObject({
      resourceType: 'Observation',
      status: 'final',
      subject: { reference: 'Patient/p' },
      effectiveDateTime: context.effective,
      category: [{ coding: [{ code: 'vital-signs' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
      component: [
        { code: { coding: [{ code: '8480-6' }] }, valueQuantity: { value: 142, code: 'mm[Hg]', system: 'http://unitsofmeasure.org' } },
        { code: { coding: [{ code: '8462-4' }] }, valueQuantity: { value: 88, code: 'mm[Hg]' } },
      ],
    });
    expect(hr).toMatchObject({ code: { coding: [{ code: '8867-4' }] }, valueQuantity: { value: 76, code: '/min' } });
    expect(temp).toMatchObject({ code: { coding: [{ code: '8310-5' }] }, valueQuantity: { value: 37.9, code: 'Cel' } });
    // A molar glucose is a different LOINC code from a mass one.
    expect(glucose).toMatchObject({ code: { coding: [{ code: '15074-8' }] }, valueQuantity: { value: 5.4, code: 'mmol/L' } });
    expect(new Set(obs.map((o) => o.id)).size).toBe(4);
  });
});
