import { describe, expect, it } from 'vitest';
import type { FhirResource } from '../../../../../shared/fhir/resource';
import type { Item } from '../../../../../renderer/features/chart/clinical-items';
import { flagOf, latestByTest, splitObservations } from '../../../../../renderer/features/chart/observations';

const loinc = (code: string, display = code) => ({ coding: [{ system: 'http://loinc.org', code, display }] });
const category = (code: string) => [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code }] }];
const q = (value: number, code: string) => ({ value, unit: code, system: 'http://unitsofmeasure.org', code });
const item = (id: string, resource: Record<string, unknown>, syncState: Item['syncState'] = 'synced'): Item => ({
  ref: `Observation/${id}`,
  syncState,
  resource: { resourceType: 'Observation', id, status: 'final', subject: { reference: 'Patient/p' }, ...resource } as FhirResource,
});

describe('observations in the chart', () => {
  it('draws blood pressure from the 85354-9 panel’s systolic and diastolic components, oldest first', () => {
    const bp = (id: string, when: string, s: number, d: number, state: Item['syncState'] = 'synced') =>
      item(id, { category: category('vital-signs'), code: loinc('85354-9'), effectiveDateTime: when, component: [{ code: loinc('8480-6'), valueQuantity: q(s, 'mm[Hg]') }, { code: loinc('8462-4'), valueQuantity: q(d, 'mm[Hg]') }] }, state);
    const { vitals, labs } = splitObservations([bp('b', '2026-11-20T10:00:00Z', 142, 88, 'pending'), bp('a', '2025-01-01T10:00:00Z', 130, 80)]);
    expect(labs).toEqual([]);
    expect(vitals).toHaveLength(1);
    expect(vitals[0]?.kind).toBe('bloodPressure');
    expect(vitals[0]?.points.map((p) => [p.values, p.pending])).toEqual([[[130, 80], false], [[142, 88], true]]);
  });

  it('puts heart rate, temperature, SpO2 (either code) and weight in their own series', () => {
    const { vitals } = splitObservations([
      item('hr', { code: loinc('8867-4'), effectiveDateTime: '2026-01-01', valueQuantity: q(72, '/min') }),
      item('t', { code: loinc('8310-5'), effectiveDateTime: '2026-01-01', valueQuantity: q(37.9, 'Cel') }),
      item('s1', { code: loinc('59408-5'), effectiveDateTime: '2026-01-01', valueQuantity: q(97, '%') }),
      item('s2', { code: loinc('2708-6'), effectiveDateTime: '2026-01-02', valueQuantity: q(95, '%') }),
      item('w', { code: loinc('29463-7'), effectiveDateTime: '2026-01-01', valueQuantity: q(80, 'kg') }),
    ]);
    expect(vitals.map((v) => [v.kind, v.points.length])).toEqual([['heartRate', 1], ['temperature', 1], ['oxygenSaturation', 2], ['weight', 1]]);
  });

  it('keeps laboratory glucose both as a trend and in the lab table', () => {
    const { vitals, labs } = splitObservations([item('g', { category: category('laboratory'), code: loinc('2339-0', 'Glucose'), effectiveDateTime: '2026-01-01', valueQuantity: q(132, 'mg/dL') })]);
    expect(vitals.map((v) => v.kind)).toEqual(['glucose']);
    expect(labs.map((l) => l.name)).toEqual(['Glucose']);
  });

  it('reads the HIE’s interpretation, else flags against the reference range', () => {
    expect(flagOf([{ coding: [{ code: 'HH' }] }], 2, 0, 10)).toBe('HH');
    expect(flagOf(undefined, 12, 4, 10)).toBe('H');
    expect(flagOf(undefined, 3, 4, 10)).toBe('L');
    expect(flagOf(undefined, 5, 4, 10)).toBe('N');
    expect(flagOf(undefined, 5, null, null)).toBeNull();
  });

  it('reads a lab result’s range and gives each test’s latest with the one before', () => {
    const k = (id: string, when: string, value: number) =>
      item(id, { category: category('laboratory'), code: loinc('2823-3', 'Kaliémie'), effectiveDateTime: when, valueQuantity: q(value, 'mmol/L'), referenceRange: [{ low: q(3.5, 'mmol/L'), high: q(5, 'mmol/L') }] });
    const { labs } = splitObservations([k('1', '2025-05-01', 4.1), k('2', '2026-11-01', 5.4)]);
    const [row] = latestByTest(labs);
    expect(row?.latest).toMatchObject({ value: { kind: 'quantity', value: 5.4 }, low: 3.5, high: 5, flag: 'H' });
    expect(row?.previous?.value).toMatchObject({ value: 4.1 });
    expect(row?.count).toBe(2);
  });

  it('leaves out what was entered in error', () => {
    expect(splitObservations([item('x', { status: 'entered-in-error', code: loinc('8867-4'), effectiveDateTime: '2026-01-01', valueQuantity: q(72, '/min') })]).vitals).toEqual([]);
  });
});

describe('one trend, one unit', () => {
  it('draws °F, lb and mmol/L in °C, kg and mg/dL', () => {
    const { vitals } = splitObservations([
      item('t1', { code: loinc('8310-5'), effectiveDateTime: '2026-01-01', valueQuantity: q(37, 'Cel') }),
      item('t2', { code: loinc('8310-5'), effectiveDateTime: '2026-01-02', valueQuantity: q(98.6, '[degF]') }),
      item('w', { code: loinc('29463-7'), effectiveDateTime: '2026-01-01', valueQuantity: q(176, '[lb_av]') }),
      item('g', { code: loinc('15074-8'), effectiveDateTime: '2026-01-01', valueQuantity: q(5.5, 'mmol/L') }),
    ]);
    expect(vitals.map((v) => v.points.map((p) => [p.values[0], p.unitCode]))).toEqual([
      [[37, 'Cel'], [37, 'Cel']],
      [[79.8, 'kg']],
      [[99, 'mg/dL']],
    ]);
  });
});

describe('home measurements on the trends', () => {
  const bp = (id: string, when: string, performer?: unknown) =>
    item(id, {
      resourceType: 'Observation',
      id,
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
      subject: { reference: 'Patient/p' },
      effectiveDateTime: when,
      ...(performer === undefined ? {} : { performer }),
      component: [
        { code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: { value: 140, code: 'mm[Hg]' } },
        { code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] }, valueQuantity: { value: 90, code: 'mm[Hg]' } },
      ],
    });
  it('are the points the patient (or a relative) measured, as performer says; the clinic’s are not', () => {
    const { vitals } = splitObservations([
      bp('clinic', '2026-11-01T09:00:00Z', [{ reference: 'Practitioner/dr' }]),
      bp('home', '2026-11-02T07:00:00Z', [{ reference: 'Patient/p' }]),
      bp('relative', '2026-11-03T07:00:00Z', [{ reference: 'https://hie.example.org/fhir/RelatedPerson/r1' }]),
      bp('typed', '2026-11-04T07:00:00Z', [{ type: 'Patient', display: 'the patient' }]),
      bp('unsaid', '2026-11-05T07:00:00Z'),
    ]);
    expect(vitals[0]?.points.map((p) => [p.ref, p.home])).toEqual([
      ['Observation/clinic', false],
      ['Observation/home', true],
      ['Observation/relative', true],
      ['Observation/typed', true],
      ['Observation/unsaid', false],
    ]);
  });
});
