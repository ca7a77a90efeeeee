import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { patientOf } from '../../../../shared/fhir/compartment';
import { records, type Record_ } from '../../../../shared/fhir/fhir-text';
import { parseReadings, homeReadingSystem } from '../../../../shared/exchange/home-readings';
import { parseDocument } from '../../../../shared/exchange/document-parse';
import { decodeFileText } from '../../../../shared/exchange/file-text';
import { planImport, type ImportContext } from '../../../../shared/exchange/document-import';

// Times in these files carry no zone: they are read in the laptop's (the tests run in UTC unless TZ says otherwise).
const offset = (y: number, m: number, d: number, h: number, mi: number): string => {
  const minutes = -new Date(y, m - 1, d, h, mi).getTimezoneOffset();
  const pad = (n: number): string => String(Math.abs(n)).padStart(2, '0');
  return `${minutes >= 0 ? '+' : '-'}${pad(Math.trunc(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
};
const fr = readFileSync('tests/fixtures/import/home-readings-fr.csv', 'utf8');
const us = readFileSync('tests/fixtures/import/home-readings-us.csv', 'utf8');
const withings = readFileSync('tests/fixtures/import/withings-bp.csv', 'utf8');
const device = readFileSync('tests/fixtures/import/device-observations.json', 'utf8');

const read = (text: string, preferred: 'dmy' | 'mdy' = 'dmy') => {
  const result = parseReadings(text, preferred);
  if (!result.ok) throw new Error(result.code);
  return result.value;
};

describe('home readings from a CSV', () => {
  it('reads a French sheet: semicolons, decimal commas, day/month dates, a quoted comment with a semicolon; bad lines listed, not guessed', () => {
    const r = read(fr);
    expect(r.format).toBe('csv');
    expect(r.dateOrder).toBe('dmy');
    expect(r.assumed).toBe(false);
    const first = r.readings.filter((x) => x.line === 2);
    expect(first.map((x) => [x.kind, x.values, x.unit])).toEqual([
      ['bloodPressure', [148, 92], 'mm[Hg]'],
      ['pulse', [74], '/min'],
      ['glucose', [6.4], 'mmol/L'],
      ['weight', [81.6], 'kg'],
    ]);
    expect(first[0]?.when).toBe(`2026-11-28T07:45:00${offset(2026, 11, 28, 7, 45)}`);
    expect(r.readings.find((x) => x.line === 4 && x.kind === 'glucose')?.values).toEqual([7.1]);
    // 1420 mmHg is out of any range; a systolic without its diastolic is half a pressure.
    expect(r.problems).toEqual([{ line: 6, problem: 'range' }, { line: 7, problem: 'half-pressure' }]);
    expect(r.readings.some((x) => x.line === 8 && x.when.startsWith('2026-12-03'))).toBe(true);
    expect(r.ignored).toEqual(['Commentaire']);
  });

  it('reads a US sheet: commas, month/day dates, AM/PM, glucose in mg/dL', () => {
    const r = read(us);
    expect(r.dateOrder).toBe('mdy');
    expect(r.readings.find((x) => x.kind === 'glucose')).toMatchObject({ values: [115], unit: 'mg/dL' });
    expect(r.readings.find((x) => x.line === 3)?.when).toBe(`2026-11-28T19:30:00${offset(2026, 11, 28, 19, 30)}`);
  });

  it('reads the Withings Health Mate export (bp.csv) by its header', () => {
    const r = read(withings);
    expect(r.format).toBe('withings');
    expect(r.dateOrder).toBe('iso');
    expect(r.readings.filter((x) => x.kind === 'bloodPressure').map((x) => x.values)).toEqual([[141, 89], [146, 91], [151, 95]]);
    expect(r.readings.find((x) => x.kind === 'pulse')?.values).toEqual([71]);
    expect(r.ignored).toEqual(['Comments']);
  });

  it('says when it had to assume the date order, and refuses a file whose dates contradict each other', () => {
    const ambiguous = 'date;systolique;diastolique\n01/02/2026;130;80\n03/04/2026;128;79\n';
    expect(read(ambiguous)).toMatchObject({ dateOrder: 'dmy', assumed: true });
    expect(read(ambiguous, 'mdy')).toMatchObject({ dateOrder: 'mdy', assumed: true });
    expect(read(ambiguous).readings[0]?.when.startsWith('2026-02-01')).toBe(true);
    expect(parseReadings('date;poids\n13/01/2026;80\n01/13/2026;81\n')).toEqual({ ok: false, code: 'dates-mixed' });
  });

  it('refuses what it cannot read rightly: no header, no reading, pounds, a formula where a number belongs', () => {
    expect(parseReadings('130;80\n128;79\n')).toEqual({ ok: false, code: 'no-header' });
    expect(parseReadings('date;systolique;diastolique\n')).toEqual({ ok: false, code: 'no-readings' });
    expect(parseReadings('Date,Weight (lb)\n2026-11-30,180\n')).toEqual({ ok: false, code: 'unit' });
    const formula = read('Date;Poids (kg)\n2026-11-30;=HYPERLINK("http://x";"80")\n2026-12-01;80,5\n');
    expect(formula.problems).toEqual([{ line: 2, problem: 'number' }]);
    expect(formula.readings.map((x) => x.values)).toEqual([[80.5]]);
    expect(parseReadings('date;glycemie\n2026-11-30;6,1\n').ok).toBe(false);
  });
});

const patient: Record_ = { resourceType: 'Patient', id: 'p-jm', name: [{ family: 'Moreau', given: ['Jeanne'] }], gender: 'female', birthDate: '1948-03-02' };
let n = 0;
const context = (chart: readonly Record_[] = [patient]): ImportContext => ({
  patient,
  chart,
  practitioner: { reference: 'Practitioner/dr-1' },
  fileName: 'tension.csv',
  fileDigest: 'cd'.repeat(32),
  now: new Date('2026-12-04T10:00:00Z'),
  language: 'fr',
  uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
});

describe('home readings imported into a chart', () => {
  it('become vital-sign Observations (LOINC, UCUM) marked patient-reported, for the clinician to confirm', () => {
    const doc = parseDocument(fr, fr.length, { fileName: 'tension.csv' });
    if (!doc.ok) throw new Error(doc.code);
    expect(doc.value.readings).toMatchObject({ format: 'csv', dateOrder: 'dmy', assumed: false, problems: [{ line: 6, problem: 'range' }, { line: 7, problem: 'half-pressure' }] });
    const plan = planImport(doc.value, context());
    expect(plan.verdict).toBe('readings');
    expect(plan.identity).toEqual([]);
    const observations = plan.resources.filter((r) => r.resourceType === 'Observation') as Record_[];
    expect(observations).toHaveLength(plan.added);
    for (const o of observations) {
      expect(patientOf(o as never)).toBe('Patient/p-jm');
      expect(o['performer']).toEqual([{ reference: 'Patient/p-jm', display: 'MOREAU Jeanne' }]);
      expect(o['device']).toEqual({ display: 'tension.csv' });
      expect(records(o['identifier'])[0]?.['system']).toBe(homeReadingSystem);
    }
    const pressure = observations.find((o) => JSON.stringify(o['code']).includes('85354-9'));
    expect(records(pressure?.['component']).map((c) => (c['valueQuantity'] as Record_)['code'])).toEqual(['mm[Hg]', 'mm[Hg]']);
    expect(observations.some((o) => JSON.stringify(o['code']).includes('15074-8'))).toBe(true);
    expect(plan.sections.map((s) => s.key)).toEqual(['results', 'vitalSigns']);
  });

  it('imported again, add nothing: every reading is found by its identifier', () => {
    const doc = parseDocument(fr, fr.length, { fileName: 'tension.csv' });
    if (!doc.ok) throw new Error(doc.code);
    const first = planImport(doc.value, context());
    const chart = [patient, ...(first.resources as unknown as Record_[])];
    const again = planImport(doc.value, context(chart));
    expect(again.added).toBe(0);
    expect(again.duplicates).toBe(first.added);
  });

  it('reads a device’s Bundle of Observations (IEEE 11073 gateway style): patient confirmed by the clinician, the device named', () => {
    const doc = parseDocument(device, device.length);
    if (!doc.ok) throw new Error(doc.code);
    expect(doc.value.patient).toBeNull();
    const plan = planImport(doc.value, context());
    expect(plan.verdict).toBe('readings');
    const observations = plan.resources.filter((r) => r.resourceType === 'Observation') as Record_[];
    expect(observations).toHaveLength(2);
    for (const o of observations) {
      expect(o['subject']).toEqual({ reference: 'Patient/p-jm', display: 'MOREAU Jeanne' });
      expect(o['device']).toEqual({ display: 'A&D Medical UA-651BLE' });
      expect(o['performer']).toEqual([{ reference: 'Patient/p-jm', display: 'MOREAU Jeanne' }]);
    }
  });
});

describe('a file’s bytes as text', () => {
  it('reads UTF-8, UTF-16 by its BOM, and French Excel’s Windows-1252, so that “Glycémie” is found', () => {
    const header = 'Date;Glycémie (mmol/L)\n30/11/2026;6,2\n';
    const utf8 = new TextEncoder().encode(`\uFEFF${header}`);
    const latin = Uint8Array.from([...header].map((c) => c.charCodeAt(0)));
    const utf16 = Uint8Array.from([0xff, 0xfe, ...[...header].flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8])]);
    for (const bytes of [utf8, latin, utf16]) {
      const text = decodeFileText(bytes);
      const r = parseReadings(text);
      expect(r.ok && r.value.readings[0]).toMatchObject({ kind: 'glucose', values: [6.2], unit: 'mmol/L' });
    }
  });
});

describe('readings a review found misread, attacked', () => {
  it('a weight whose unit column says pounds is a line not read, never kilograms', () => {
    const r = parseReadings('Date,Weight,Unit\n2026-01-05,180,lb\n2026-01-06,81.5,kg\n2026-01-07,81.2,\n');
    expect(r.ok && r.value.problems).toEqual([{ line: 2, problem: 'number' }]);
    expect(r.ok && r.value.readings.map((x) => x.values[0])).toEqual([81.5, 81.2]);
  });
  it('a reading dated in the future is a misread date, not taken', () => {
    const r = parseReadings('Date;Poids\n12/03/2026;80\n03/12/2026;81\n', 'mdy', new Date('2026-06-01T00:00:00Z'));
    // Read month/day (the clinician's choice): 3 December is to come, 12 March is past.
    expect(r.ok && r.value.problems).toEqual([{ line: 2, problem: 'date' }]);
  });
  // Read in one pass: a parse that went back over the header for each column (2M × 2M steps) would
  // not end within the time limit. The limit is far above a loaded machine's linear read (6 s seen
  // beside CPU hogs), and no timing is asserted (benchmarks measure speed, not tests).
  it('a header of two million columns is read in one pass and refused', { timeout: 120_000 }, () => {
    const r = parseReadings(`date${';x'.repeat(2_000_000)}\n2026-01-05\n`);
    expect(r.ok).toBe(false);
  });
});
