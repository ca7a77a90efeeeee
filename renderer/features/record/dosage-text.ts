import type { Language } from '../../../shared/ipc/contract';
import { formatNumber, formatWhen, unitLabel } from '../../i18n/format';
import { conceptText, displayText, isRecord, numberOf, records, stringOf, strings, type Record_ } from '../../../shared/fhir/fhir-text';
import { parseWhen } from '../../../shared/fhir/fhir-when';

/**
 * A FHIR R4 Dosage (§6.2.0.17.2 Dosage, Timing) as a sentence in the clinician's language, for
 * prescriptions that carry only the structured form: dose (or dose range), route, how often
 * (frequency per period, a period range, a timing code, times of day, moments of the day, days
 * of the week), for how long, as needed (and for what), the maximum per period, and the extra
 * instructions. When the HIE sent `text`, that text is what the prescriber wrote: it is kept.
 */
export type Translate = (key: string, options?: Readonly<Record<string, unknown>>) => string;

type PeriodUnit = 's' | 'min' | 'h' | 'd' | 'wk' | 'mo' | 'a';
const periodUnits: readonly PeriodUnit[] = ['s', 'min', 'h', 'd', 'wk', 'mo', 'a'];
/** The unit named once ("a day", "par jour"). */
const perKey: Readonly<Record<PeriodUnit, string>> = {
  s: 'chart.dosage.per.s', min: 'chart.dosage.per.min', h: 'chart.dosage.per.h', d: 'chart.dosage.per.d', wk: 'chart.dosage.per.wk', mo: 'chart.dosage.per.mo', a: 'chart.dosage.per.a',
};
/** "every {{period}} hours" (French agrees the article with the unit: toutes les heures, tous les jours). */
const everyKey: Readonly<Record<PeriodUnit, string>> = {
  s: 'chart.dosage.every.s', min: 'chart.dosage.every.min', h: 'chart.dosage.every.h', d: 'chart.dosage.every.d', wk: 'chart.dosage.every.wk', mo: 'chart.dosage.every.mo', a: 'chart.dosage.every.a',
};
/** "for {{n}} days" (plural by count). */
const forKey: Readonly<Record<PeriodUnit, string>> = {
  s: 'chart.dosage.for.s', min: 'chart.dosage.for.min', h: 'chart.dosage.for.h', d: 'chart.dosage.for.d', wk: 'chart.dosage.for.wk', mo: 'chart.dosage.for.mo', a: 'chart.dosage.for.a',
};
const asUnit = (value: unknown): PeriodUnit | null => (periodUnits.includes(value as PeriodUnit) ? (value as PeriodUnit) : null);

/** HL7 v3 GTSAbbreviation timing codes, read as a frequency per period. */
const timingCodes: Readonly<Record<string, Readonly<{ frequency: number; period: number; unit: PeriodUnit }>>> = {
  QD: { frequency: 1, period: 1, unit: 'd' }, BID: { frequency: 2, period: 1, unit: 'd' }, TID: { frequency: 3, period: 1, unit: 'd' }, QID: { frequency: 4, period: 1, unit: 'd' },
  QOD: { frequency: 1, period: 2, unit: 'd' }, Q1H: { frequency: 1, period: 1, unit: 'h' }, Q2H: { frequency: 1, period: 2, unit: 'h' }, Q3H: { frequency: 1, period: 3, unit: 'h' },
  Q4H: { frequency: 1, period: 4, unit: 'h' }, Q6H: { frequency: 1, period: 6, unit: 'h' }, Q8H: { frequency: 1, period: 8, unit: 'h' }, QWK: { frequency: 1, period: 1, unit: 'wk' },
  WK: { frequency: 1, period: 1, unit: 'wk' }, MO: { frequency: 1, period: 1, unit: 'mo' },
};
const momentKeys: Readonly<Record<string, string>> = {
  MORN: 'chart.dosage.when.MORN', NOON: 'chart.dosage.when.NOON', AFT: 'chart.dosage.when.AFT', EVE: 'chart.dosage.when.EVE', NIGHT: 'chart.dosage.when.NIGHT',
  HS: 'chart.dosage.when.HS', WAKE: 'chart.dosage.when.WAKE', C: 'chart.dosage.when.C', CM: 'chart.dosage.when.CM', CD: 'chart.dosage.when.CD', CV: 'chart.dosage.when.CV',
  AC: 'chart.dosage.when.AC', PC: 'chart.dosage.when.PC', AM: 'chart.dosage.when.MORN', PM: 'chart.dosage.when.EVE', QHS: 'chart.dosage.when.HS',
};
const dayKeys: Readonly<Record<string, string>> = {
  mon: 'chart.dosage.day.mon', tue: 'chart.dosage.day.tue', wed: 'chart.dosage.day.wed', thu: 'chart.dosage.day.thu', fri: 'chart.dosage.day.fri', sat: 'chart.dosage.day.sat', sun: 'chart.dosage.day.sun',
};

function quantityText(value: unknown, language: Language): string {
  if (!isRecord(value)) return '';
  const n = numberOf(value['value']);
  if (n === null) return '';
  const unit = unitLabel(stringOf(value['system']) === 'http://unitsofmeasure.org' ? stringOf(value['code']) : null, displayText(value['unit'], 40) || (stringOf(value['code']) ?? ''), language);
  return unit === '' ? formatNumber(n, language, 3) : `${formatNumber(n, language, 3)} ${unit}`;
}

function rangeText(value: unknown, language: Language): string {
  if (!isRecord(value)) return '';
  const low = quantityText(value['low'], language);
  const high = quantityText(value['high'], language);
  if (low !== '' && high !== '') {
    const lowNumber = isRecord(value['low']) ? numberOf(value['low']['value']) : null;
    return lowNumber === null ? `${low} – ${high}` : `${formatNumber(lowNumber, language, 3)} – ${high}`;
  }
  return low || high;
}

function doseText(dosage: Record_, language: Language): string {
  // MedicationAdministration.dosage has a single dose.
  const single = quantityText(dosage['dose'], language);
  if (single !== '') return single;
  for (const rate of records(dosage['doseAndRate'])) {
    const dose = quantityText(rate['doseQuantity'], language) || rangeText(rate['doseRange'], language);
    if (dose !== '') return dose;
  }
  return '';
}

function everyText(frequency: number | null, frequencyMax: number | null, period: number, periodMax: number | null, unit: PeriodUnit, language: Language, t: Translate): string {
  const times = frequency ?? 1;
  const periodText = periodMax === null ? formatNumber(period, language) : t('chart.dosage.range', { low: formatNumber(period, language), high: formatNumber(periodMax, language) });
  const every = t(everyKey[unit], { period: periodText });
  const count = frequencyMax === null ? times : 2;
  const n = frequencyMax === null ? formatNumber(times, language) : t('chart.dosage.range', { low: formatNumber(times, language), high: formatNumber(frequencyMax, language) });
  if (period === 1 && periodMax === null) return t('chart.dosage.timesPer', { count, n, per: t(perKey[unit]) });
  // "every 4 to 6 hours", "every 2 days"
  if (times === 1 && frequencyMax === null) return every;
  return t('chart.dosage.timesEvery', { count, n, every });
}

function timingText(timing: unknown, language: Language, t: Translate): string[] {
  if (!isRecord(timing)) return [];
  const parts: string[] = [];
  const repeat = isRecord(timing['repeat']) ? timing['repeat'] : {};
  const coded = isRecord(timing['code']) ? records(timing['code']['coding']).map((c) => stringOf(c['code'])).find((c) => c !== null) ?? null : null;
  const byCode = coded === null ? undefined : timingCodes[coded];
  const unit = asUnit(repeat['periodUnit']) ?? byCode?.unit ?? null;
  const period = numberOf(repeat['period']) ?? byCode?.period ?? null;
  if (unit !== null && period !== null) {
    parts.push(everyText(numberOf(repeat['frequency']) ?? byCode?.frequency ?? null, numberOf(repeat['frequencyMax']), period, numberOf(repeat['periodMax']), unit, language, t));
  } else if (coded !== null && momentKeys[coded] !== undefined) {
    parts.push(t(momentKeys[coded] as string));
  } else if (isRecord(timing['code'])) {
    const text = conceptText(timing['code']);
    if (text !== '') parts.push(text);
  }
  const moments = strings(repeat['when']).map((w) => momentKeys[w]).filter((k): k is string => k !== undefined).map((k) => t(k));
  if (moments.length > 0) parts.push(moments.join(', '));
  const times = strings(repeat['timeOfDay']).map((time) => time.slice(0, 5));
  if (times.length > 0) parts.push(t('chart.dosage.at', { times: times.join(', ') }));
  const days = strings(repeat['dayOfWeek']).map((d) => dayKeys[d]).filter((k): k is string => k !== undefined).map((k) => t(k));
  if (days.length > 0) parts.push(t('chart.dosage.on', { days: days.join(', ') }));
  const bound = isRecord(repeat['boundsDuration']) ? repeat['boundsDuration'] : null;
  const boundValue = bound === null ? null : numberOf(bound['value']);
  const boundUnit = bound === null ? null : asUnit(bound['code']) ?? asUnit(bound['unit']) ?? (/^days?$/i.test(stringOf(bound['unit']) ?? '') ? 'd' : null);
  if (boundValue !== null && boundUnit !== null) parts.push(t(forKey[boundUnit], { count: boundValue, n: formatNumber(boundValue, language) }));
  if (isRecord(repeat['boundsPeriod'])) {
    const start = parseWhen(repeat['boundsPeriod']['start']);
    const end = parseWhen(repeat['boundsPeriod']['end']);
    if (start !== null && end !== null) parts.push(t('chart.dosage.fromTo', { start: formatWhen(start, language, true), end: formatWhen(end, language, true) }));
    else if (start !== null) parts.push(t('chart.dosage.from', { start: formatWhen(start, language, true) }));
    else if (end !== null) parts.push(t('chart.dosage.until', { end: formatWhen(end, language, true) }));
  }
  const count = numberOf(repeat['count']);
  if (count !== null) parts.push(t('chart.dosage.count', { count, n: formatNumber(count, language) }));
  return parts;
}

function maxText(dosage: Record_, language: Language, t: Translate): string {
  const ratio = dosage['maxDosePerPeriod'];
  if (!isRecord(ratio)) return '';
  const dose = quantityText(ratio['numerator'], language);
  const per = quantityText(ratio['denominator'], language);
  return dose !== '' && per !== '' ? t('chart.dosage.max', { dose, per }) : '';
}

/** The structured dosage as a sentence (empty when the dosage holds nothing structured). */
export function structuredDosageText(dosage: Record_, language: Language, t: Translate): string {
  const parts: string[] = [];
  const dose = doseText(dosage, language);
  if (dose !== '') parts.push(dose);
  const route = conceptText(dosage['route']);
  if (route !== '') parts.push(route);
  const method = conceptText(dosage['method']);
  if (method !== '') parts.push(method);
  parts.push(...timingText(dosage['timing'], language, t));
  if (dosage['asNeededBoolean'] === true) parts.push(t('chart.dosage.asNeeded'));
  const reason = conceptText(dosage['asNeededCodeableConcept']);
  if (reason !== '') parts.push(t('chart.dosage.asNeededFor', { reason }));
  const max = maxText(dosage, language, t);
  if (max !== '') parts.push(max);
  for (const extra of records(dosage['additionalInstruction'])) {
    const text = conceptText(extra);
    if (text !== '') parts.push(text);
  }
  const forPatient = displayText(dosage['patientInstruction']);
  if (forPatient !== '') parts.push(forPatient);
  return parts.join(', ');
}

/** What the prescriber wrote when there is text, else the structured dosage in words. */
export function dosageText(dosage: Record_, language: Language, t: Translate): string {
  const written = displayText(dosage['text']);
  return written !== '' ? written : structuredDosageText(dosage, language, t);
}

/** Every dosage line of a prescription or statement, in sequence order. */
export function dosageLines(resource: Record_, language: Language, t: Translate): readonly string[] {
  // dosageInstruction (requests, dispenses) and dosage (statements) are lists; an administration's dosage is one.
  const lines = records(resource['dosageInstruction'] ?? resource['dosage']);
  const single = isRecord(resource['dosage']) ? [resource['dosage']] : [];
  return [...lines, ...single]
    .slice()
    .sort((a, b) => (numberOf(a['sequence']) ?? 0) - (numberOf(b['sequence']) ?? 0))
    .map((d) => dosageText(d, language, t))
    .filter((text) => text !== '');
}
