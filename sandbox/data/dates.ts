/** Calendar arithmetic for the generator, in UTC so output never depends on the host's zone. */
const dayMs = 86_400_000;

export function parseReferenceDate(value: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) throw new RangeError(`reference date must be YYYY-MM-DD, got ${value}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** Midnight UTC `days` after the reference (negative for the past). */
export function dayOffset(referenceMs: number, days: number): number {
  return referenceMs + Math.round(days) * dayMs;
}

/** A FHIR dateTime at a given minute of the day. */
export function atMinute(dayMs: number, minuteOfDay: number): string {
  return new Date(dayMs + minuteOfDay * 60_000).toISOString().replace('.000Z', 'Z');
}

export function dateOnly(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function yearsBetween(fromMs: number, toMs: number): number {
  return Math.floor((toMs - fromMs) / (365.25 * dayMs));
}

export const millisecondsPerDay = dayMs;
