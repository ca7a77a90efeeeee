/**
 * Reading FHIR R4 datatypes for display. Values come from the HIE and are untrusted: everything
 * returned here is plain text (React escapes it), stripped of the bidirectional controls that can
 * make one name or code read as another (a right-to-left override in a name flips what follows).
 */
// Bidi controls, and the invisible zero-width space, word joiner and BOM (ZWJ/ZWNJ stay: scripts and emoji need them).
const bidiControls = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C\u200B\u2060\uFEFF]/g;

/** Plain display text: NFC, no bidi controls, no C0 controls, at most `max` characters. */
export function displayText(value: unknown, max = 500): string {
  if (typeof value !== 'string') return '';
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const clean = value.normalize('NFC').replace(bidiControls, '').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '').trim();
  const chars = [...clean];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : clean;
}

export type Record_ = Readonly<Record<string, unknown>>;

export const isRecord = (value: unknown): value is Record_ => typeof value === 'object' && value !== null && !Array.isArray(value);
export const records = (value: unknown): readonly Record_[] => (Array.isArray(value) ? value.filter(isRecord) : []);
export const strings = (value: unknown): readonly string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' ? [value] : [];
export const stringOf = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
export const numberOf = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** A CodeableConcept's words: its text, else the first coding's display, else its code. */
export function conceptText(concept: unknown): string {
  if (!isRecord(concept)) return '';
  const text = displayText(concept['text']);
  if (text !== '') return text;
  for (const coding of records(concept['coding'])) {
    const display = displayText(coding['display']);
    if (display !== '') return display;
  }
  for (const coding of records(concept['coding'])) {
    const code = displayText(coding['code']);
    if (code !== '') return code;
  }
  return '';
}

/** The codes of a CodeableConcept in one system (e.g. LOINC). */
export function codesIn(concept: unknown, system: string): readonly string[] {
  if (!isRecord(concept)) return [];
  return records(concept['coding']).flatMap((c) => (c['system'] === system && typeof c['code'] === 'string' ? [c['code']] : []));
}

/** The first code of a CodeableConcept, whatever its system (statuses are coded this way). */
export function firstCode(concept: unknown): string | null {
  if (!isRecord(concept)) return null;
  for (const coding of records(concept['coding'])) if (typeof coding['code'] === 'string') return coding['code'];
  return null;
}

export const loinc = 'http://loinc.org';
export const snomed = 'http://snomed.info/sct';
export const ucum = 'http://unitsofmeasure.org';

/** A Quantity's value and unit (the UCUM code when there is one). */
export function quantityOf(value: unknown): { value: number; unit: string; code: string | null } | null {
  if (!isRecord(value)) return null;
  const n = numberOf(value['value']);
  if (n === null) return null;
  return { value: n, unit: displayText(value['unit'], 40), code: stringOf(value['code']) };
}

/** The reference string of a Reference, or null. */
export const referenceOf = (value: unknown): string | null => (isRecord(value) ? stringOf(value['reference']) : null);

/** When something happened, from the usual FHIR fields, as an ISO string (sortable) or null. */
export function whenOf(resource: Record_): string | null {
  for (const field of ['effectiveDateTime', 'issued', 'date', 'authoredOn', 'recordedDate', 'onsetDateTime', 'start', 'occurrenceDateTime', 'created']) {
    const value = stringOf(resource[field]);
    if (value !== null) return value;
  }
  for (const field of ['effectivePeriod', 'period']) {
    const period = resource[field];
    if (isRecord(period)) {
      const start = stringOf(period['start']);
      if (start !== null) return start;
    }
  }
  return null;
}

/** Milliseconds of a FHIR date/dateTime/instant (a date alone is taken at local midnight), or null. */
export function timeOf(value: string | null): number | null {
  if (value === null) return null;
  const dateOnly = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  if (dateOnly) return new Date(Number(dateOnly[1]), Number(dateOnly[2] ?? '1') - 1, Number(dateOnly[3] ?? '1')).getTime();
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}
