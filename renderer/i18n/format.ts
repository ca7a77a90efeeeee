import type { Language } from '../../shared/ipc/contract';
import { timeOf } from '../features/record/fhir-text';

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

/** A FHIR date or dateTime; a partial date (1950, 1950-03) prints only what it has. */
export function formatDate(value: string | null, language: Language): string {
  if (value === null) return '';
  const ms = timeOf(value);
  if (ms === null) return value;
  const options: Intl.DateTimeFormatOptions = /^\d{4}$/.test(value)
    ? { year: 'numeric' }
    : /^\d{4}-\d{2}$/.test(value)
      ? { year: 'numeric', month: 'long' }
      : { day: '2-digit', month: '2-digit', year: 'numeric' };
  return cached(`d|${language}|${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(locales[language], options)).format(ms);
}

export function formatDateTime(value: string | null, language: Language): string {
  if (value === null) return '';
  if (/^\d{4}(-\d{2}(-\d{2})?)?$/.test(value)) return formatDate(value, language);
  const ms = timeOf(value);
  if (ms === null) return value;
  return cached(`dt|${language}`, () => new Intl.DateTimeFormat(locales[language], { dateStyle: 'short', timeStyle: 'short' })).format(ms);
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
};

export function unitLabel(code: string | null, fallback: string, language: Language): string {
  if (code !== null) {
    const known = unitLabels[code];
    if (known) return known[language];
  }
  return fallback;
}

/** A value with its unit, e.g. "37,5 °C"; "%" sticks to the number in English. */
export function formatQuantity(value: number, unit: string, language: Language, decimals = 2): string {
  const number = formatNumber(value, language, decimals);
  if (unit === '') return number;
  if (unit === '%' && language === 'en') return `${number}%`;
  return `${number}\u00a0${unit}`;
}
