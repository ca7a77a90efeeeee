import type { Language } from '../../shared/ipc/contract';
import { dayOf, parseWhen, type FhirWhen } from '../../shared/fhir/fhir-when';

/**
 * Dates, numbers, durations and units for the clinician's language, through Intl: 12/03/1950 and
 * 37,5 °C in French, 12 Mar 1950 and 37.5 °C in English. Formatters are cached per language.
 */
const locales: Readonly<Record<Language, string>> = { fr: 'fr-FR', en: 'en-GB' };
const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>();

function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.RelativeTimeFormat>(key: string, make: () => T): T {
  let value = cache.get(key) as T | undefined;
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

export const localeOf = (language: Language): string => locales[language];

/**
 * The laptop's time zone now. A travelling clinician's laptop changes zone, and an Intl formatter
 * keeps the zone it was made in: formatters of instants are cached per zone, and the zone is read
 * again whenever the laptop's current UTC offset changes (a cheap check on every call).
 */
let zone = { name: '', offset: Number.NaN };
function currentZone(): string {
  const offset = new Date().getTimezoneOffset();
  if (offset !== zone.offset) zone = { name: new Intl.DateTimeFormat().resolvedOptions().timeZone, offset };
  return zone.name;
}

/**
 * A FHIR date, or the date of a dateTime; a partial date (1950, 1950-03) prints only what it has.
 * A date is a calendar date, not a moment: it is formatted in UTC from its own year, month and
 * day, so no time zone (the laptop's, or a change of it) can move it to another day.
 */
export function formatDate(value: string | null, language: Language): string {
  if (value === null) return '';
  const when = parseWhen(value);
  if (when === null) return value;
  if (when.kind === 'instant') return formatDate(dayOf(when), language);
  const options: Intl.DateTimeFormatOptions =
    when.precision === 'year' ? { year: 'numeric' } : when.precision === 'month' ? { year: 'numeric', month: 'long' } : { day: '2-digit', month: '2-digit', year: 'numeric' };
  return cached(`d|${language}|${when.precision}`, () => new Intl.DateTimeFormat(locales[language], { ...options, timeZone: 'UTC' })).format(Date.UTC(when.year, when.month - 1, when.day));
}

export function formatDateTime(value: string | null, language: Language): string {
  if (value === null) return '';
  const when = parseWhen(value);
  return when === null ? value : formatWhen(when, language);
}

/**
 * A FHIR date, dateTime or instant by the chart's one date rule (record/fhir-when.ts): an instant
 * in the laptop's zone with its time, a date as written. `dateOnly` drops the time of an instant
 * (the date shown is still the laptop's day).
 */
export function formatWhen(when: FhirWhen | null, language: Language, dateOnly = false): string {
  if (when === null) return '';
  if (when.kind === 'date') return formatDate(when.text, language);
  if (dateOnly) return formatDate(dayOf(when), language);
  const tz = currentZone();
  return cached(`dt|${language}|${tz}`, () => new Intl.DateTimeFormat(locales[language], { dateStyle: 'short', timeStyle: 'short', timeZone: tz })).format(when.ms);
}

/** The time of day of an instant, for rows already under their day's heading ("" for a date). */
export function formatTimeOfDay(when: FhirWhen | null, language: Language): string {
  if (when === null || when.kind === 'date') return '';
  const tz = currentZone();
  return cached(`t|${language}|${tz}`, () => new Intl.DateTimeFormat(locales[language], { timeStyle: 'short', timeZone: tz })).format(when.ms);
}

/** A day heading: "lundi 8 avril 2024" / "Monday 8 April 2024" (a partial date as written). */
export function formatDayHeading(day: string, language: Language): string {
  const when = parseWhen(day);
  if (when === null || when.kind !== 'date') return day;
  if (when.precision !== 'day') return formatDate(day, language);
  return cached(`dh|${language}`, () => new Intl.DateTimeFormat(locales[language], { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })).format(Date.UTC(when.year, when.month - 1, when.day));
}

export function formatNumber(value: number, language: Language, maximumFractionDigits = 2): string {
  return cached(`n|${language}|${maximumFractionDigits}`, () => new Intl.NumberFormat(locales[language], { maximumFractionDigits })).format(value);
}

/** "il y a 3 minutes", "in 2 hours": the largest unit that reads naturally. */
export function formatRelative(fromMs: number, nowMs: number, language: Language): string {
  const seconds = Math.round((fromMs - nowMs) / 1000);
  const format = cached(`r|${language}`, () => new Intl.RelativeTimeFormat(locales[language], { numeric: 'auto' }));
  const abs = Math.abs(seconds);
  if (abs < 45) return format.format(seconds === 0 ? 0 : Math.sign(seconds) * Math.max(1, abs), 'second');
  if (abs < 45 * 60) return format.format(Math.round(seconds / 60), 'minute');
  if (abs < 22 * 3600) return format.format(Math.round(seconds / 3600), 'hour');
  return format.format(Math.round(seconds / 86_400), 'day');
}

/** UCUM codes as a clinician reads them (UCUM itself is for machines: mm[Hg], Cel, {INR}). */
const unitLabels: Readonly<Record<string, Readonly<Record<Language, string>>>> = {
  'mm[Hg]': { fr: 'mmHg', en: 'mmHg' },
  Cel: { fr: '°C', en: '°C' },
  '[degF]': { fr: '°F', en: '°F' },
  '/min': { fr: '/min', en: '/min' },
  '%': { fr: '%', en: '%' },
  kg: { fr: 'kg', en: 'kg' },
  '[lb_av]': { fr: 'lb', en: 'lb' },
  'mg/dL': { fr: 'mg/dL', en: 'mg/dL' },
  'mmol/L': { fr: 'mmol/L', en: 'mmol/L' },
  'umol/L': { fr: 'µmol/L', en: 'µmol/L' },
  'g/dL': { fr: 'g/dL', en: 'g/dL' },
  'mg/L': { fr: 'mg/L', en: 'mg/L' },
  '{INR}': { fr: '', en: '' },
  'm[IU]/L': { fr: 'mUI/L', en: 'mIU/L' },
  'mL/min/{1.73_m2}': { fr: 'mL/min/1,73 m²', en: 'mL/min/1.73 m²' },
  'mL/min/1.73m2': { fr: 'mL/min/1,73 m²', en: 'mL/min/1.73 m²' },
  '[iU]': { fr: 'UI', en: 'IU' },
  '[IU]': { fr: 'UI', en: 'IU' },
  'U': { fr: 'U', en: 'U' },
  '/wk': { fr: '/semaine', en: '/week' },
  '/d': { fr: '/jour', en: '/day' },
  a: { fr: 'ans', en: 'y' },
  mo: { fr: 'mois', en: 'mo' },
  wk: { fr: 'sem.', en: 'wk' },
  d: { fr: 'j', en: 'd' },
  '[in_i]': { fr: 'po', en: 'in' },
  '[lb_av]/[in_i]2': { fr: 'lb/po²', en: 'lb/in²' },
};

const superscript: Readonly<Record<string, string>> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '-': '⁻' };
const ucumSyntax = /[*{}[\]^]/;

/**
 * A UCUM expression as people write it (UCUM is for machines): 10*3/uL → 10³/µL, x10^9/L → ×10⁹/L,
 * {copies}/mL → copies/mL, {score} → nothing, kg/m2 → kg/m², mm[Hg] → mmHg, [iU] → UI / IU.
 */
export function ucumForPeople(expression: string, language: Language): string {
  const known = unitLabels[expression];
  if (known) return known[language];
  if (/^\{[^}]*\}$/.test(expression)) return '';
  return expression
    .replace(/^x(?=10)/, '×')
    .replace(/10[*^](-?\d+)/g, (_m, power: string) => `10${[...power].map((c) => superscript[c] ?? c).join('')}`)
    .replace(/\{([^}]*)\}(?=\/)/g, '$1')
    .replace(/\{[^}]*\}/g, '')
    .replace(/m\[(iU|IU)\]/g, language === 'fr' ? 'mUI' : 'mIU')
    .replace(/\[(iU|IU)\]/g, language === 'fr' ? 'UI' : 'IU')
    .replace(/mm\[Hg\]/g, 'mmHg')
    .replace(/\[degF\]/g, '°F')
    .replace(/\bCel\b/g, '°C')
    .replace(/\[([a-z]+)_[a-z]+\]/g, '$1')
    .replace(/(^|[^A-Za-z])u(?=(L|g|mol|m|U|IU)\b)/g, '$1µ')
    .replace(/([A-Za-z])([23])\b/g, (_m, letter: string, power: string) => `${letter}${superscript[power] ?? power}`);
}

/**
 * A Quantity's unit for people: a known code as its label; a unit written in UCUM syntax made
 * readable; a unit written for people kept (micro made µ); else the code made readable.
 */
export function unitLabel(code: string | null, fallback: string, language: Language): string {
  if (code !== null) {
    const known = unitLabels[code];
    if (known) return known[language];
  }
  // A unit written in UCUM (or the code repeated as the unit, as many systems send it) is made readable.
  if (fallback !== '') return ucumSyntax.test(fallback) || fallback === code ? ucumForPeople(fallback, language) : fallback.replace(/(^|[^A-Za-z])u(?=(L|g|mol)\b)/g, '$1µ');
  return code === null ? '' : ucumForPeople(code, language);
}

/** A value with its unit, e.g. "37,5 °C"; "%" sticks to the number in English. */
export function formatQuantity(value: number, unit: string, language: Language, decimals = 2): string {
  const number = formatNumber(value, language, decimals);
  if (unit === '') return number;
  if (unit === '%' && language === 'en') return `${number}%`;
  return `${number}\u00a0${unit}`;
}
