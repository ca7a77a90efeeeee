import { conceptText, displayText, isRecord, numberOf, stringOf } from '../../../shared/fhir/fhir-text';

/**
 * A FHIR element's value in words, for the side-by-side view: a CodeableConcept by its text, a
 * Reference by its display or target, a Quantity with its unit, a Period as from–to; anything
 * else as "key: value" pairs. `absent` and the yes/no words come from the catalogue.
 */
export type ValueWords = Readonly<{ absent: string; yes: string; no: string; /** A FHIR code in words, or null when unknown. */ code(code: string): string | null }>;

export function describeValue(value: unknown, words: ValueWords, depth = 0): string {
  if (value === undefined || value === null) return words.absent;
  if (typeof value === 'string') return words.code(value) ?? displayText(value, 400);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? words.yes : words.no;
  if (Array.isArray(value)) return value.map((v) => describeValue(v, words, depth + 1)).join(' ; ');
  if (!isRecord(value)) return '';
  if ('coding' in value || 'text' in value) {
    const text = conceptText(value);
    if (text !== '') return words.code(text) ?? text;
  }
  if ('reference' in value || 'display' in value) return displayText(value['display']) || displayText(value['reference']);
  const quantity = numberOf(value['value']);
  if (quantity !== null && ('unit' in value || 'code' in value)) return `${quantity} ${displayText(value['unit']) || displayText(value['code'])}`.trim();
  // An allergy's reaction: what was seen, and how bad.
  if ('manifestation' in value) {
    const seen = describeValue(value['manifestation'], words, depth + 1);
    const severity = typeof value['severity'] === 'string' ? (words.code(value['severity']) ?? value['severity']) : null;
    return severity === null ? seen : `${seen} (${severity})`;
  }
  if ('start' in value || 'end' in value) return `${stringOf(value['start']) ?? '…'} – ${stringOf(value['end']) ?? '…'}`;
  if (depth > 3) return '…';
  return Object.entries(value)
    .filter(([key]) => key !== 'extension' && key !== 'id')
    .map(([key, v]) => `${key}: ${describeValue(v, words, depth + 1)}`)
    .join(', ');
}
