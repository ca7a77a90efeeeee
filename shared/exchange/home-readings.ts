import { failure, ok, type Result } from '../result';
import { foldForSearch } from '../text-fold';

/**
 * Home measurements from a file (issue 15, point 4): a CSV with a header row, as a generic sheet
 * (date, time, systolic, diastolic, pulse, glucose in mg/dL or mmol/L, weight; French or English
 * headers; `;`, `,` or tab; French decimal commas; ISO, day/month or month/day dates) or as the
 * Withings Health Mate data export writes it (`bp.csv`: Date, Heart rate, Systolic, Diastolic,
 * Comments; `weight.csv`: Date, Weight (kg), … — read by the same header rules). Pure; nothing
 * of the file is kept but the numbers. Times carry no zone in these files: they are read in the
 * laptop's time zone (the patient's, as a rule) and written with its offset.
 */
export type ReadingKind = 'bloodPressure' | 'pulse' | 'glucose' | 'weight';
export type Reading = Readonly<{
  kind: ReadingKind;
  /** Local date-time with its offset, e.g. 2026-11-30T08:15:00+01:00. */
  when: string;
  values: readonly number[];
  /** UCUM: mm[Hg], /min, mg/dL or mmol/L, kg. */
  unit: string;
  line: number;
}>;
export type RowProblem = Readonly<{ line: number; problem: 'date' | 'range' | 'number' | 'half-pressure' }>;
export type DateOrder = 'iso' | 'dmy' | 'mdy';
export type Readings = Readonly<{
  format: 'withings' | 'csv';
  readings: readonly Reading[];
  problems: readonly RowProblem[];
  /** How dates were read; `assumed` when the file alone could not tell day/month from month/day. */
  dateOrder: DateOrder;
  assumed: boolean;
  /** Header cells that were not read (fat mass, comments…). */
  ignored: readonly string[];
}>;
export type ReadingsFailure = 'no-header' | 'no-readings' | 'dates-mixed' | 'unit' | 'too-many';

export const maxReadingRows = 20_000;

const ranges: Readonly<Record<string, readonly [number, number]>> = {
  systolic: [40, 300],
  diastolic: [20, 200],
  pulse: [20, 300],
  'glucose:mg/dL': [10, 1000],
  'glucose:mmol/L': [0.5, 55],
  weight: [0.5, 400],
};

type Column = 'date' | 'time' | 'systolic' | 'diastolic' | 'pulse' | 'glucose' | 'weight' | 'unit';
const headerWords: readonly (readonly [Column, RegExp])[] = [
  ['date', /^(date|jour|day)( .*)?$|^measurement date$/],
  ['time', /^(time|heure|hour)( .*)?$/],
  ['systolic', /^(systolic|systolique|sys|pas|tas)\b/],
  ['diastolic', /^(diastolic|diastolique|dia|pad|tad)\b/],
  ['pulse', /^(pulse|pouls|heart rate|frequence cardiaque|fc|bpm)\b/],
  ['glucose', /^(glucose|glycemie|blood glucose|sugar)\b/],
  ['weight', /^(weight|poids)\b/],
  ['unit', /^(unit|unite|units)$/],
];

/** One CSV line into cells (RFC 4180 quotes, the given delimiter). */
function cells(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i] as string;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      out.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  out.push(cell.trim());
  return out;
}

function numberOf(text: string, decimalComma: boolean): number | null {
  const t = text.replace(/\s/g, '');
  if (t === '') return null;
  const normal = decimalComma ? t.replace(',', '.') : t;
  if (!/^-?\d+(\.\d+)?$/.test(normal)) return Number.NaN;
  return Number(normal);
}

type DateParts = { y: number; a: number; b: number; h: number; mi: number; s: number; iso: boolean };
function dateParts(date: string, time: string): DateParts | null {
  const both = `${date} ${time}`.trim();
  const m = /^(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?$/.exec(both);
  if (m === null) return null;
  const [first, second, third] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const iso = (m[1] as string).length === 4;
  let h = m[4] === undefined ? 12 : Number(m[4]);
  if (m[7] !== undefined) h = (h % 12) + (/p/i.test(m[7]) ? 12 : 0);
  return { y: iso ? first : third < 100 ? 2000 + third : third, a: iso ? second : first, b: iso ? third : second, h, mi: m[5] === undefined ? 0 : Number(m[5]), s: m[6] === undefined ? 0 : Number(m[6]), iso };
}

/** The local date-time with the laptop's offset at that moment (FHIR dateTime requires a zone with a time). */
function localDateTime(y: number, month: number, day: number, h: number, mi: number, s: number): string | null {
  const date = new Date(y, month - 1, day, h, mi, s);
  if (date.getFullYear() !== y || date.getMonth() !== month - 1 || date.getDate() !== day || h > 23 || mi > 59 || s > 59) return null;
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const pad = (n: number): string => String(Math.abs(n)).padStart(2, '0');
  return `${String(y).padStart(4, '0')}-${pad(month)}-${pad(day)}T${pad(h)}:${pad(mi)}:${pad(s)}${sign}${pad(Math.trunc(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
}

/**
 * Reads a home-measurement CSV. `preferred` decides day/month against month/day only when no date
 * of the file tells (a day over 12); the answer says it was assumed, and the preview says so.
 */
export function parseReadings(text: string, preferred: 'dmy' | 'mdy' = 'dmy', now: Date = new Date()): Result<Readings, ReadingsFailure> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  if (headerIndex < 0) return failure('no-header');
  const headerLine = lines[headerIndex] as string;
  const delimiter = [';', '\t', ','].map((d) => [d, headerLine.split(d).length] as const).sort((x, y) => y[1] - x[1])[0]?.[0] ?? ',';
  const headerCells = cells(headerLine, delimiter);
  const header = headerCells.map((h) => foldForSearch(h).replace(/\s+/g, ' ').trim());
  const columns = new Map<Column, number>();
  const ignored: string[] = [];
  header.forEach((h, i) => {
    const found = headerWords.find(([, pattern]) => pattern.test(h));
    if (found !== undefined && !columns.has(found[0])) columns.set(found[0], i);
    else ignored.push(headerCells[i] ?? h);
  });
  const measured = (['systolic', 'diastolic', 'pulse', 'glucose', 'weight'] as const).filter((c) => columns.has(c));
  if (!columns.has('date') || measured.length === 0) return failure('no-header');
  const rows = lines.slice(headerIndex + 1).map((l, i) => ({ line: headerIndex + i + 2, text: l })).filter((r) => r.text.trim() !== '');
  if (rows.length > maxReadingRows) return failure('too-many');
  const weightHeader = columns.has('weight') ? (header[columns.get('weight') as number] as string) : '';
  if (/\b(lb|lbs|pounds?|livres?)\b/.test(weightHeader)) return failure('unit');
  const glucoseHeader = columns.has('glucose') ? (header[columns.get('glucose') as number] as string) : '';
  const headerGlucoseUnit = /mmol/.test(glucoseHeader) ? 'mmol/L' : /mg/.test(glucoseHeader) ? 'mg/dL' : null;
  // Decimal commas only where the comma cannot be the delimiter.
  const decimalComma = delimiter !== ',';
  const withings = /^date$/.test(header[0] ?? '') && (header.includes('heart rate') || header.some((h) => h.startsWith('weight (kg)'))) && header.includes('comments');

  const parsedRows = rows.map((row) => {
    const c = cells(row.text, delimiter);
    const at = (col: Column): string => (columns.has(col) ? (c[columns.get(col) as number] ?? '') : '');
    return { row, parts: dateParts(at('date'), at('time')), at };
  });
  // The date order, from the file itself where a day above 12 tells it.
  const slashed = parsedRows.flatMap((r) => (r.parts !== null && !r.parts.iso ? [r.parts] : []));
  const dmy = slashed.some((p) => p.a > 12);
  const mdy = slashed.some((p) => p.b > 12);
  if (dmy && mdy) return failure('dates-mixed');
  const order: DateOrder = slashed.length === 0 ? 'iso' : dmy ? 'dmy' : mdy ? 'mdy' : preferred;
  const assumed = slashed.length > 0 && !dmy && !mdy;

  const readings: Reading[] = [];
  const problems: RowProblem[] = [];
  for (const { row, parts, at } of parsedRows) {
    if (parts === null) {
      problems.push({ line: row.line, problem: 'date' });
      continue;
    }
    const [month, day] = parts.iso || order === 'mdy' ? [parts.a, parts.b] : [parts.b, parts.a];
    const when = localDateTime(parts.y, month, day, parts.h, parts.mi, parts.s);
    // A reading from the future is a misread date (the other day/month order, a wrong clock): not taken.
    if (when === null || Date.parse(when) > now.getTime() + 86_400_000) {
      problems.push({ line: row.line, problem: 'date' });
      continue;
    }
    const values = new Map<string, number | null>();
    for (const col of measured) values.set(col, numberOf(at(col), decimalComma));
    if ([...values.values()].some((v) => v !== null && Number.isNaN(v))) {
      problems.push({ line: row.line, problem: 'number' });
      continue;
    }
    const rowUnit = at('unit').trim();
    const glucoseUnit = headerGlucoseUnit ?? (/mmol/i.test(rowUnit) ? 'mmol/L' : /mg/i.test(rowUnit) ? 'mg/dL' : null);
    // A unit column speaks for the row's values: a weight may only be in kilograms there.
    if (values.get('weight') != null && rowUnit !== '' && !/^kg$/i.test(rowUnit)) {
      problems.push({ line: row.line, problem: 'number' });
      continue;
    }
    const inRange = (key: string, v: number | null | undefined): boolean => {
      const range = ranges[key];
      return v === null || v === undefined || (range !== undefined && v >= range[0] && v <= range[1]);
    };
    const sys = values.get('systolic') ?? null;
    const dia = values.get('diastolic') ?? null;
    const pulse = values.get('pulse') ?? null;
    const glucose = values.get('glucose') ?? null;
    const weight = values.get('weight') ?? null;
    if (!inRange('systolic', sys) || !inRange('diastolic', dia) || !inRange('pulse', pulse) || !inRange('weight', weight) || (glucose !== null && (glucoseUnit === null || !inRange(`glucose:${glucoseUnit}`, glucose)))) {
      problems.push({ line: row.line, problem: glucose !== null && glucoseUnit === null ? 'number' : 'range' });
      continue;
    }
    if ((sys === null) !== (dia === null)) {
      problems.push({ line: row.line, problem: 'half-pressure' });
      continue;
    }
    const before = readings.length;
    if (sys !== null && dia !== null) readings.push({ kind: 'bloodPressure', when, values: [sys, dia], unit: 'mm[Hg]', line: row.line });
    if (pulse !== null) readings.push({ kind: 'pulse', when, values: [pulse], unit: '/min', line: row.line });
    if (glucose !== null && glucoseUnit !== null) readings.push({ kind: 'glucose', when, values: [glucose], unit: glucoseUnit, line: row.line });
    if (weight !== null) readings.push({ kind: 'weight', when, values: [weight], unit: 'kg', line: row.line });
    if (readings.length === before) problems.push({ line: row.line, problem: 'number' });
  }
  if (readings.length === 0) return failure('no-readings');
  return ok({ format: withings ? 'withings' : 'csv', readings, problems, dateOrder: order, assumed, ignored });
}

const loinc = 'http://loinc.org';
const ucum = 'http://unitsofmeasure.org';
const vitalCategory = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }] }];
const labCategory = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory', display: 'Laboratory' }] }];
/** The identifier that makes a reading the same reading when a file is imported again. */
export const homeReadingSystem = 'https://relais.example.org/fhir/sid/home-reading';

const quantity = (value: number, unit: string) => ({ value, unit: unit === '/min' ? 'beats/min' : unit === 'mm[Hg]' ? 'mmHg' : unit, system: ucum, code: unit });

/**
 * A reading as the FHIR Observation the vital-signs profile expects (blood pressure as the panel
 * with its two components), marked patient-reported: the patient is its performer, the device or
 * file is named, and an identifier made of what it measured and when makes a second import of the
 * same file find it already there.
 */
export function readingObservation(reading: Reading, subject: string, device: string): Record<string, unknown> {
  const base = {
    resourceType: 'Observation',
    identifier: [{ system: homeReadingSystem, value: `${reading.kind}|${reading.when}|${reading.values.join('/')}|${reading.unit}` }],
    status: 'final',
    category: reading.kind === 'glucose' ? labCategory : vitalCategory,
    subject: { reference: subject },
    effectiveDateTime: reading.when,
    performer: [{ reference: subject }],
    device: { display: device },
  };
  switch (reading.kind) {
    case 'bloodPressure':
      return {
        ...base,
        code: { coding: [{ system: loinc, code: '85354-9', display: 'Blood pressure panel with all children optional' }], text: 'Blood pressure' },
        component: [
          { code: { coding: [{ system: loinc, code: '8480-6', display: 'Systolic blood pressure' }] }, valueQuantity: quantity(reading.values[0] as number, 'mm[Hg]') },
          { code: { coding: [{ system: loinc, code: '8462-4', display: 'Diastolic blood pressure' }] }, valueQuantity: quantity(reading.values[1] as number, 'mm[Hg]') },
        ],
      };
    case 'pulse':
      return { ...base, code: { coding: [{ system: loinc, code: '8867-4', display: 'Heart rate' }], text: 'Heart rate' }, valueQuantity: quantity(reading.values[0] as number, '/min') };
    case 'glucose':
      return reading.unit === 'mmol/L'
        ? { ...base, code: { coding: [{ system: loinc, code: '15074-8', display: 'Glucose [Moles/volume] in Blood' }], text: 'Glucose' }, valueQuantity: quantity(reading.values[0] as number, 'mmol/L') }
        : { ...base, code: { coding: [{ system: loinc, code: '2339-0', display: 'Glucose [Mass/volume] in Blood' }], text: 'Glucose' }, valueQuantity: quantity(reading.values[0] as number, 'mg/dL') };
    case 'weight':
      return { ...base, code: { coding: [{ system: loinc, code: '29463-7', display: 'Body weight' }], text: 'Body weight' }, valueQuantity: quantity(reading.values[0] as number, 'kg') };
    default:
      return base;
  }
}
