import { convertCcdaToFhir, convertXmlToCcda } from '@medplum/ccda';
import { XMLValidator } from 'fast-xml-parser';
import { isRecord, records, stringOf, type Record_ } from '../fhir/fhir-text';
import { failure, ok, type Result } from '../result';
import { importLimits } from './import-limits';
import { parseReadings, readingObservation, type Readings } from './home-readings';

/**
 * Reading a document file a clinician brings in (issue 15, point 3), before anything is stored:
 * a FHIR Bundle (document, collection, transaction, batch or searchset, e.g. another system's
 * International Patient Summary) or an HL7 C-CDA document (converted by @medplum/ccda, the
 * maintained converter, never parsed by hand). Pure and offline. Hostile input is refused with a
 * code, never half-read: too large, a DTD or entity declaration (no XML entity is ever expanded),
 * XML that is not well formed, JSON that does not parse, no patient or several, too many entries.
 */
export { importLimits };

export type ImportFailure =
  | 'too-large'
  | 'empty'
  | 'unknown-format'
  | 'malformed-json'
  | 'malformed-xml'
  | 'xml-declarations'
  | 'not-a-bundle'
  | 'bundle-type'
  | 'not-ccda'
  | 'no-patient'
  | 'several-patients'
  | 'too-many'
  | 'no-readings'
  | 'dates-mixed'
  | 'unit';

export type SourceEntry = Readonly<{
  /** The names other entries may use for it: its fullUrl, `Type/id`, and an absolute URL's `Type/id` tail. */
  keys: readonly string[];
  resource: Record_;
}>;

export type ParsedDocument = Readonly<{
  format: 'fhir' | 'ccda' | 'csv';
  /** Bundle.type, or 'document' for a C-CDA. */
  kind: string;
  title: string | null;
  /** When the document says it was made (Composition.date, Bundle.timestamp, the CDA's effectiveTime). */
  date: string | null;
  /** Who the document says made it (the Composition's author or custodian, as display text). */
  author: string | null;
  /** The document's own identifier as a URI (Bundle.identifier, the CDA's id), when it has one. */
  identifier: string | null;
  /** The file's patient; null for home readings (a CSV, a device's Bundle), which name none. */
  patient: SourceEntry | null;
  /** References that stand for the patient when the file names none (readingsPatient). */
  patientKeys: readonly string[];
  entries: readonly SourceEntry[];
  composition: SourceEntry | null;
  /** For a CSV of home readings: how it was read, and the lines that were not. */
  readings: Readonly<{ format: Readings['format']; dateOrder: Readings['dateOrder']; assumed: boolean; problems: Readings['problems']; ignored: readonly string[] }> | null;
}>;

/** The patient of a file of home readings, until the clinician confirms whose chart they go to. */
export const readingsPatient = 'urn:relais:readings-patient';

const typePattern = /^[A-Z][A-Za-z]{1,63}$/;
const idPattern = /^[A-Za-z0-9\-.]{1,64}$/;

/** Every name an entry can be referred to by inside the file. */
function keysOf(resource: Record_, fullUrl: string | null): string[] {
  const keys: string[] = [];
  if (fullUrl !== null) {
    keys.push(fullUrl);
    const tail = /([A-Z][A-Za-z]{1,63}\/[A-Za-z0-9\-.]{1,64})$/.exec(fullUrl);
    if (tail !== null && !fullUrl.startsWith('urn:')) keys.push(tail[1] as string);
  }
  const id = stringOf(resource['id']);
  if (id !== null && idPattern.test(id)) keys.push(`${String(resource['resourceType'])}/${id}`);
  return [...new Set(keys)];
}

/** The key a reference names (history and query stripped), to look up among the entries' keys. */
export function referenceKey(reference: string): string {
  return reference.replace(/\/_history\/[^/]+$/, '');
}

function displayOfReference(value: unknown): string | null {
  if (!isRecord(value)) return null;
  return stringOf(value['display']);
}

const bundleTypes = new Set(['document', 'collection', 'transaction', 'batch', 'searchset']);

function fromBundle(bundle: Record_, format: 'fhir' | 'ccda'): Result<ParsedDocument, ImportFailure> {
  if (bundle['resourceType'] !== 'Bundle') return failure('not-a-bundle');
  const kind = stringOf(bundle['type']) ?? '';
  if (!bundleTypes.has(kind)) return failure('bundle-type');
  const rawEntries = Array.isArray(bundle['entry']) ? bundle['entry'] : [];
  if (rawEntries.length > importLimits.maxEntries) return failure('too-many');
  const entries: SourceEntry[] = [];
  for (const raw of rawEntries) {
    if (!isRecord(raw) || !isRecord(raw['resource'])) continue;
    const resource = raw['resource'];
    if (typeof resource['resourceType'] !== 'string' || !typePattern.test(resource['resourceType'])) continue;
    // A search's OperationOutcome, or a transaction's delete, is not part of the record.
    if (resource['resourceType'] === 'OperationOutcome' || resource['resourceType'] === 'Bundle') continue;
    entries.push({ keys: keysOf(resource, stringOf(raw['fullUrl'])), resource });
  }
  if (entries.length === 0) return failure('empty');
  const patients = entries.filter((e) => e.resource['resourceType'] === 'Patient');
  const composition = entries.find((e) => e.resource['resourceType'] === 'Composition') ?? null;
  let patient: SourceEntry | undefined;
  if (composition !== null && isRecord(composition.resource['subject']) && typeof composition.resource['subject']['reference'] === 'string') {
    const key = referenceKey(composition.resource['subject']['reference']);
    patient = patients.find((p) => p.keys.includes(key));
  }
  if (patient === undefined) {
    if (patients.length > 1) return failure('several-patients');
    patient = patients[0];
  } else if (patients.length > 1) return failure('several-patients');
  if (patient === undefined) {
    // A device's Bundle of Observations names no Patient resource: home readings, for the clinician to confirm.
    const observations = entries.filter((e) => e.resource['resourceType'] === 'Observation');
    // Only when the readings name nobody a person could recognise: a subject with a name or a literal reference is someone we cannot check.
    const namesSomeone = (o: Record_): boolean => isRecord(o['subject']) && (typeof o['subject']['reference'] === 'string' || typeof o['subject']['display'] === 'string');
    if (observations.length > 0 && observations.length === entries.filter((e) => e.resource['resourceType'] !== 'Device').length && observations.every((e) => isRecord(e.resource['device']) && !namesSomeone(e.resource))) {
      return ok({
        format,
        kind,
        title: null,
        date: stringOf(bundle['timestamp']),
        author: null,
        identifier: null,
        patient: null,
        patientKeys: [readingsPatient],
        entries: entries.map((e) => (e.resource['resourceType'] === 'Observation' ? { ...e, resource: asReading(e.resource) } : e)),
        composition: null,
        readings: null,
      });
    }
    return failure('no-patient');
  }
  const c = composition?.resource;
  const identifier = isRecord(bundle['identifier']) ? stringOf(bundle['identifier']['value']) : null;
  const authors = records(c?.['author']).map((a) => displayOfReference(a)).filter((a): a is string => a !== null);
  return ok({
    format,
    kind,
    title: stringOf(c?.['title']),
    date: stringOf(c?.['date']) ?? stringOf(bundle['timestamp']),
    author: authors.join(', ') || displayOfReference(c?.['custodian']),
    identifier: identifier !== null && /^[a-z][a-z0-9+.-]*:/i.test(identifier) ? identifier : null,
    patient,
    patientKeys: patient.keys,
    entries: entries.filter((e) => e !== patient),
    composition,
    readings: null,
  });
}

/**
 * Every narrative element with an ID (`<td ID="med1">…</td>`) → its text, tags removed, read once
 * in one pass (a document with thousands of medications and a large narrative stays linear). The
 * element runs to its own closing tag, inner elements included.
 */
function narrativeIds(xhtml: string): Map<string, string> {
  const found = new Map<string, string>();
  const opening = /<([A-Za-z][A-Za-z0-9]*)\b[^<>]*\bID="([^"<>]{1,64})"[^<>]*>/g;
  for (let match = opening.exec(xhtml); match !== null; match = opening.exec(xhtml)) {
    const tag = match[1] as string;
    const start = match.index + match[0].length;
    const end = xhtml.indexOf(`</${tag}>`, start);
    if (end < 0) continue;
    const text = decodeEntities(xhtml.slice(start, end).replace(/<[^<>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
    if (text !== '' && !found.has(match[2] as string)) found.set(match[2] as string, text);
  }
  return found;
}

const namedEntities: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,6});/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '';
    }
    return namedEntities[name.toLowerCase()] ?? whole;
  });
}

type CdaNode = Record<string, unknown>;
const cdaNodes = (value: unknown): CdaNode[] => (Array.isArray(value) ? value.filter(isRecord) : isRecord(value) ? [value] : []) as CdaNode[];

/** Every `substanceAdministration` of the CDA, by its id root, with the unit its doseQuantity really has. */
function doseUnits(node: unknown, found = new Map<string, string | null>(), depth = 0): Map<string, string | null> {
  if (depth > 40) return found;
  for (const item of cdaNodes(node)) {
    for (const [key, value] of Object.entries(item)) {
      if (key === 'substanceAdministration') {
        for (const sa of cdaNodes(value)) {
          const id = cdaNodes(sa['id'])[0]?.['@_root'];
          const dose = cdaNodes(sa['doseQuantity'])[0];
          if (typeof id === 'string' && dose !== undefined) found.set(id, typeof dose['@_unit'] === 'string' && dose['@_unit'] !== '' ? dose['@_unit'] : null);
        }
      }
      if (typeof value === 'object' && value !== null) doseUnits(value, found, depth + 1);
    }
  }
  return found;
}

/**
 * Fixes what the converter gets wrong in ways that matter to a clinician, from the CDA itself:
 * a dose without a unit is kept without one (the converter writes "[IU]" for every dose), the
 * narrative a medication points to becomes its dosage text, and the Composition names its patient.
 */
function repairCcdaBundle(bundle: Record_, ccda: unknown): Record_ {
  const units = doseUnits(ccda);
  const entries = records(bundle['entry']);
  const composition = entries.map((e) => e['resource']).find((r) => isRecord(r) && r['resourceType'] === 'Composition') as Record_ | undefined;
  const patient = entries.map((e) => e['resource']).find((r) => isRecord(r) && r['resourceType'] === 'Patient') as Record_ | undefined;
  const narrative = narrativeIds(
    records(composition?.['section'])
      .map((s) => (isRecord(s['text']) ? String(s['text']['div'] ?? '') : ''))
      .join('\n'),
  );
  const repaired = entries.map((entry) => {
    const resource = entry['resource'];
    if (!isRecord(resource)) return entry;
    let next: Record<string, unknown> = { ...resource };
    if (next['resourceType'] === 'Composition' && next['subject'] === undefined && patient !== undefined) next['subject'] = { reference: `Patient/${String(patient['id'])}` };
    if (next['resourceType'] === 'MedicationRequest' || next['resourceType'] === 'MedicationStatement') {
      const key = next['resourceType'] === 'MedicationRequest' ? 'dosageInstruction' : 'dosage';
      const pointer = records(next['extension']).find((x) => String(x['url']).endsWith('/ccda-narrative-reference'));
      const said = typeof pointer?.['valueString'] === 'string' ? (narrative.get(pointer['valueString'].replace(/^#/, '')) ?? null) : null;
      const unit = units.get(String(next['id']));
      next = {
        ...next,
        [key]: records(next[key]).map((dosage, i) => ({
          ...dosage,
          ...(i === 0 && said !== null && typeof dosage['text'] !== 'string' ? { text: said } : {}),
          doseAndRate: records(dosage['doseAndRate']).map((dr) => {
            if (!isRecord(dr['doseQuantity'])) return dr;
            const value = dr['doseQuantity']['value'];
            // The converter writes "[IU]" for every dose: the CDA's own unit when its entry is found
            // (by the id the converter kept), else the amount alone, never a unit nobody gave.
            return { ...dr, doseQuantity: unit === undefined || unit === null ? { value } : { value, unit, system: 'http://unitsofmeasure.org', code: unit } };
          }),
        })),
      };
    }
    return { ...entry, resource: datesAsGiven(next) };
  });
  return { ...bundle, entry: repaired };
}

/**
 * The converter turns a CDA date (`20240115`) into midnight UTC (`2024-01-15T00:00:00Z`), which a
 * laptop west of Greenwich shows as the day before: such a value is given back as the date it was.
 * Instants (`issued`) must keep a time and are left alone.
 */
function datesAsGiven(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return key !== 'issued' && /^\d{4}-\d{2}-\d{2}T00:00:00(\.0+)?Z$/.test(value) ? value.slice(0, 10) : value;
  if (Array.isArray(value)) return value.map((v) => datesAsGiven(v, key));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (k !== '__proto__') out[k] = datesAsGiven(v, k);
  return out;
}

function cdaIdentifier(ccda: unknown): string | null {
  const id = isRecord(ccda) ? cdaNodes(ccda['id'])[0] : undefined;
  const root = typeof id?.['@_root'] === 'string' ? id['@_root'] : null;
  if (root === null || !/^[0-9]+(\.[0-9]+)*$|^[0-9a-f-]{36}$/i.test(root)) return null;
  const extension = typeof id?.['@_extension'] === 'string' ? id['@_extension'] : null;
  const base = /^[0-9.]+$/.test(root) ? `urn:oid:${root}` : `urn:uuid:${root.toLowerCase()}`;
  return extension === null ? base : `urn:hl7ii:${root}:${encodeURIComponent(extension)}`;
}

function fromCcda(text: string): Result<ParsedDocument, ImportFailure> {
  // No DTD, no entity declaration: a C-CDA never needs one, and a parser that expands them can be
  // made to eat all memory (billion laughs) or, elsewhere, read local files (XXE).
  if (/<!DOCTYPE|<!ENTITY|<!ELEMENT|<!ATTLIST/i.test(text)) return failure('xml-declarations');
  if (XMLValidator.validate(text) !== true) return failure('malformed-xml');
  let ccda: unknown;
  let converted: Record_;
  try {
    ccda = convertXmlToCcda(text);
    if (!isRecord(ccda) || ccda['recordTarget'] === undefined) return failure('not-ccda');
    converted = convertCcdaToFhir(ccda as unknown as Parameters<typeof convertCcdaToFhir>[0]) as unknown as Record_;
  } catch {
    return failure('not-ccda');
  }
  const parsed = fromBundle(repairCcdaBundle(converted, ccda), 'ccda');
  if (!parsed.ok) return parsed;
  return ok({ ...parsed.value, identifier: cdaIdentifier(ccda) });
}

/** A device's reading: about the patient the clinician confirms, who took it (when the file names no performer). */
function asReading(observation: Record_): Record_ {
  return { ...observation, subject: { reference: readingsPatient }, ...(observation['performer'] === undefined ? { performer: [{ reference: readingsPatient }] } : {}) };
}

function fromReadings(text: string, preferred: 'dmy' | 'mdy', fileName: string): Result<ParsedDocument, ImportFailure> {
  const parsed = parseReadings(text, preferred);
  if (!parsed.ok) return failure(parsed.code === 'no-header' ? 'unknown-format' : parsed.code);
  const { readings, format, dateOrder, assumed, problems, ignored } = parsed.value;
  const device = format === 'withings' ? `Withings Health Mate (${fileName})` : fileName;
  return ok({
    format: 'csv',
    kind: format,
    title: null,
    date: null,
    author: null,
    identifier: null,
    patient: null,
    patientKeys: [readingsPatient],
    entries: readings.map((reading) => ({ keys: [], resource: readingObservation(reading, readingsPatient, device) })),
    composition: null,
    readings: { format, dateOrder, assumed, problems, ignored },
  });
}

export type ParseOptions = Readonly<{ fileName?: string; dateOrder?: 'dmy' | 'mdy' }>;

/** Reads a file's text as a FHIR Bundle (JSON), a C-CDA document (XML) or home readings (CSV). `bytes` is the file's size. */
export function parseDocument(text: string, bytes: number, options: ParseOptions = {}): Result<ParsedDocument, ImportFailure> {
  if (bytes > importLimits.maxBytes || text.length > importLimits.maxBytes) return failure('too-large');
  const body = text.replace(/^\uFEFF/, '').trimStart();
  if (body === '') return failure('empty');
  if (body.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return failure('malformed-json');
    }
    if (!isRecord(json)) return failure('not-a-bundle');
    return fromBundle(json, 'fhir');
  }
  if (body.startsWith('<')) return fromCcda(body);
  return fromReadings(body, options.dateOrder ?? 'dmy', options.fileName ?? 'CSV');
}
