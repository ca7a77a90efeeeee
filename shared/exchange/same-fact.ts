import { conceptText, isRecord, records, stringOf, type Record_ } from '../fhir/fhir-text';
import { sortTime, whenOfResource } from '../fhir/fhir-when';
import { foldForSearch } from '../text-fold';
import { inError } from './ips';

/**
 * When two records are the same fact: the same business identifier, or the same type, a shared
 * code, the same time and the same value — never by id alone (two servers hand out the same ids,
 * 1, 2, 3…, for different records). Used where records from elsewhere meet the chart: a document
 * imported (document-import.ts) and the records of a second source (sources.ts). Pure (shared/:
 * any process; imports shared/fhir and shared/text-fold only).
 */
const fold = (text: string): string => foldForSearch(text).replace(/\s+/g, ' ').trim();

/** Types whose `type` says what the record is of (an encounter's, a document's kind), when they have no code. */
const typedKinds: ReadonlySet<string> = new Set(['Encounter', 'DocumentReference', 'Composition']);

/**
 * What a record is of: its code (or vaccine, or medication as a code), as `system|code`, or
 * `text|…` when only words name it. An encounter, a document or a composition with no code is of
 * its `type`, and an appointment of its service type or, lacking one, of its kind alone (`kind|`)
 * — these only when the record has a time: undated, they name nothing that tells two apart. A
 * record with none of these (a medication given only by reference to another server's Medication,
 * a goal…) is never the same fact as another: shown twice rather than one hidden.
 */
export function codesOf(resource: Record_): Set<string> {
  const codes = new Set<string>();
  const add = (concept: unknown): void => {
    for (const coding of records(isRecord(concept) ? concept['coding'] : undefined)) {
      const system = stringOf(coding['system']);
      const code = stringOf(coding['code']);
      if (system !== null && code !== null) codes.add(`${system}|${code}`);
    }
    const text = conceptText(concept);
    if (codes.size === 0 && text !== '') codes.add(`text|${fold(text)}`);
  };
  add(resource['code'] ?? resource['vaccineCode'] ?? resource['medicationCodeableConcept']);
  if (codes.size > 0) return codes;
  const type = String(resource['resourceType']);
  const first = (value: unknown): unknown => (Array.isArray(value) ? value[0] : value);
  if ((typedKinds.has(type) || type === 'Appointment') && timeOf(resource) !== null) {
    add(type === 'Appointment' ? (first(resource['serviceType']) ?? resource['appointmentType']) : first(resource['type']));
    if (codes.size === 0 && type === 'Appointment') codes.add('kind|');
  }
  return codes;
}

/** What a document holds, told apart cheaply: its attachments' address, hash, size, title and type, and the ends of inline data. */
function contentOf(resource: Record_): unknown[] {
  return records(resource['content']).map((content) => {
    const a = isRecord(content['attachment']) ? content['attachment'] : {};
    const data = stringOf(a['data']);
    return [stringOf(a['url']), stringOf(a['hash']), a['size'] ?? null, stringOf(a['title']), stringOf(a['contentType']), data === null ? null : [data.length, data.slice(0, 64), data.slice(-64)]];
  });
}

function valueOf(resource: Record_): string {
  const parts: unknown[] = [];
  if (resource['content'] !== undefined) parts.push(['content', contentOf(resource)]);
  if (typeof resource['title'] === 'string') parts.push(['title', resource['title']]);
  for (const holder of [resource, ...records(resource['component'])]) {
    for (const [key, value] of Object.entries(holder)) {
      if (!key.startsWith('value')) continue;
      if (isRecord(value) && typeof value['value'] === 'number') parts.push([key, value['value'], stringOf(value['code']) ?? stringOf(value['unit'])]);
      else if (isRecord(value)) parts.push([key, [...codesOf({ code: value })].sort()]);
      else parts.push([key, value]);
    }
  }
  return JSON.stringify(parts);
}

function timeOf(resource: Record_): number | null {
  const when = whenOfResource(resource as Record_ & { resourceType: string });
  return when === null ? null : sortTime(when);
}

const identifierKeys = (resource: Record_): string[] =>
  records(resource['identifier']).flatMap((i) => (stringOf(i['system']) !== null && stringOf(i['value']) !== null ? [`${String(i['system'])}|${String(i['value'])}`] : []));

type Known = Readonly<{ ref: string; time: number | null; value: string }>;
/** The chart, indexed once: by identifier, and by type and code (a 5,000-entry file against a 5,000-item chart stays linear). */
export type ChartIndex = Readonly<{ byIdentifier: ReadonlyMap<string, string>; byCode: ReadonlyMap<string, readonly Known[]> }>;

/** `refOf` names a record in the index (by default `Type/id`; sources.ts adds the source). */
export function indexChart(chart: readonly Record_[], refOf: (record: Record_) => string = (r) => `${String(r['resourceType'])}/${String(r['id'])}`): ChartIndex {
  const byIdentifier = new Map<string, string>();
  const byCode = new Map<string, Known[]>();
  for (const other of chart) addToIndex({ byIdentifier, byCode }, other, refOf(other));
  return { byIdentifier, byCode };
}

/** Adds one record to an index built by indexChart (sources.ts grows one as it merges). */
export function addToIndex(index: ChartIndex, record: Record_, ref: string): void {
  // A record the chart voided is not there: what comes from elsewhere may bring it back.
  if (inError(record)) return;
  const byIdentifier = index.byIdentifier as Map<string, string>;
  const byCode = index.byCode as Map<string, Known[]>;
  const type = String(record['resourceType']);
  for (const key of identifierKeys(record)) if (!byIdentifier.has(`${type}|${key}`)) byIdentifier.set(`${type}|${key}`, ref);
  const known: Known = { ref, time: timeOf(record), value: valueOf(record) };
  for (const code of codesOf(record)) byCode.set(`${type}|${code}`, [...(byCode.get(`${type}|${code}`) ?? []), known]);
}

/** The chart item this record already is (same identifier; or a shared code, the same time and the same value), or null. */
export function sameFactIn(resource: Record_, chart: ChartIndex): string | null {
  const type = String(resource['resourceType']);
  for (const key of identifierKeys(resource)) {
    const ref = chart.byIdentifier.get(`${type}|${key}`);
    if (ref !== undefined) return ref;
  }
  const time = timeOf(resource);
  let value: string | null = null;
  for (const code of codesOf(resource)) {
    for (const known of chart.byCode.get(`${type}|${code}`) ?? []) {
      value ??= valueOf(resource);
      if (known.time === time && known.value === value) return known.ref;
    }
  }
  return null;
}

/** Chart items that record the same thing at the same time with another value (a shared code, the same known time, a different value). */
export function disagreementsIn(resource: Record_, chart: ChartIndex): string[] {
  const type = String(resource['resourceType']);
  const time = timeOf(resource);
  if (time === null) return [];
  const value = valueOf(resource);
  const found = new Set<string>();
  for (const code of codesOf(resource)) {
    for (const known of chart.byCode.get(`${type}|${code}`) ?? []) if (known.time === time && known.value !== value) found.add(known.ref);
  }
  return [...found];
}
