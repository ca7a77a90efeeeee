import { patientOf, provenancePatientExtension } from '../fhir/compartment';
import { conceptText, displayText, isRecord, records, stringOf, type Record_ } from '../fhir/fhir-text';
import type { FhirResource } from '../fhir/resource';
import { vitalKindOf } from '../clinical/vital-codes';
import { decodeEntities, referenceKey, type ParsedDocument, type SourceEntry } from './document-parse';
import { inError, summaryLineOf, type IpsLanguage } from './ips';
import { absentUnknown } from './ips-profiles';
import { fileDigestSystem } from './import-limits';
import { codesOf, indexChart, sameFactIn } from './same-fact';
import { compareIdentity, nameOf, type IdentityRow, type MatchVerdict } from './identity-match';

/**
 * What importing a parsed document into one patient's chart would add (issue 15, point 3), as a
 * plan the clinician previews before anything is stored. Pure.
 *
 * - The patient match: identifiers (system by system), name, birth date and sex of the file and of
 *   the chart side by side. Any trait that differs is a mismatch, and so is a file whose patient
 *   cannot be checked (no name or no birth date): both block the import. Without an identifier in
 *   common, name, birth date and sex agreeing still need the clinician's explicit confirmation.
 * - What is added: allergies, problems, medications, immunizations, procedures, results, vital
 *   signs, reports and documents, and the document itself (its Composition, whose narrative is
 *   rebuilt from text, never carried as markup). Each gets a new id (a new resource on the HIE),
 *   `meta.source` the document, and references inside the file rewritten: to the chart's patient,
 *   to the new ids, or, for what is not imported (the author, an organization, a Medication
 *   resource), kept as words only, so that nothing points at another server's ids.
 * - What is already in the chart (same identifier, or the same code, time and value) is not added
 *   twice; entered-in-error items and kinds Relais does not record are listed as left out.
 * - A `Provenance` names every added resource, the file (name and SHA-256), who imported it and
 *   when, and the document's own author; it is filed under the patient with R5's `Provenance.patient`
 *   element as its R4 cross-version extension (provenancePatientExtension), since R4 files a
 *   Provenance under a patient only when it targets the Patient itself.
 */
export { provenancePatientExtension } from '../fhir/compartment';
export { fileDigestSystem };

export type ImportSectionKey = 'allergies' | 'problems' | 'medications' | 'immunizations' | 'procedures' | 'results' | 'vitalSigns' | 'reports' | 'documents' | 'other';
export const importSectionOrder: readonly ImportSectionKey[] = ['allergies', 'problems', 'medications', 'immunizations', 'procedures', 'results', 'vitalSigns', 'reports', 'documents', 'other'];

export { compareIdentity, type IdentityRow, type MatchVerdict, type Trait } from './identity-match';

export type PlannedItem = Readonly<{ line: string; ref: string | null; duplicateOf: string | null }>;
export type LeftOut = Readonly<{ type: string; count: number; reason: 'kind' | 'entered-in-error' | 'other-patient' | 'no-information' }>;

export type ImportPlan = Readonly<{
  verdict: MatchVerdict;
  identity: readonly IdentityRow[];
  sections: readonly Readonly<{ key: ImportSectionKey; items: readonly PlannedItem[] }>[];
  leftOut: readonly LeftOut[];
  /** Names kept as words only (authors, organizations, places). */
  namesOnly: number;
  added: number;
  duplicates: number;
  /** In the order they are to be saved; the Provenance last. */
  resources: readonly FhirResource[];
  provenance: FhirResource;
}>;

export type ImportContext = Readonly<{
  patient: Record_;
  /** Everything the chart holds for the patient. */
  chart: readonly Record_[];
  practitioner: Readonly<{ reference: string; display?: string }>;
  fileName: string;
  /** SHA-256 of the file's bytes, hex. */
  fileDigest: string;
  now: Date;
  language: IpsLanguage;
  uuid: () => string;
}>;

const importable: ReadonlySet<string> = new Set(['AllergyIntolerance', 'Condition', 'MedicationStatement', 'MedicationRequest', 'Immunization', 'Procedure', 'Observation', 'DiagnosticReport', 'DocumentReference']);
/** Kinds a document carries only to name someone or something: kept as words in the references to them. */
const nameOnly: ReadonlySet<string> = new Set(['Practitioner', 'PractitionerRole', 'Organization', 'Location', 'Medication', 'RelatedPerson', 'Device', 'Encounter', 'Substance', 'Specimen']);

// ——— sections and references ———

function sectionOf(resource: Record_): ImportSectionKey {
  switch (resource['resourceType']) {
    case 'AllergyIntolerance':
      return 'allergies';
    case 'Condition':
      return 'problems';
    case 'MedicationStatement':
    case 'MedicationRequest':
    case 'MedicationAdministration':
    case 'MedicationDispense':
      return 'medications';
    case 'Immunization':
      return 'immunizations';
    case 'Procedure':
      return 'procedures';
    case 'Observation': {
      const categories = records(resource['category']).flatMap((c) => records(c['coding']).map((x) => String(x['code'] ?? '')));
      const kind = vitalKindOf(resource['code']);
      return categories.includes('vital-signs') || (kind !== null && kind !== 'glucose') ? 'vitalSigns' : 'results';
    }
    case 'DiagnosticReport':
      return 'reports';
    case 'DocumentReference':
    case 'Composition':
      return 'documents';
    default:
      return 'other';
  }
}

function nameOfEntry(resource: Record_): string {
  if (resource['resourceType'] === 'Device') {
    const model = records(resource['deviceName'])[0]?.['name'];
    const said = [stringOf(resource['manufacturer']), typeof model === 'string' ? model : null].filter((p): p is string => p !== null).join(' ');
    if (said !== '') return displayText(said, 120);
  }
  const name = resource['name'];
  if (typeof name === 'string') return displayText(name, 120);
  const first = records(name)[0];
  if (first !== undefined) {
    const text = stringOf(first['text']);
    if (text !== null) return displayText(text, 120);
    const given = Array.isArray(first['given']) ? first['given'].filter((g) => typeof g === 'string').join(' ') : '';
    return displayText(`${given} ${String(first['family'] ?? '')}`.trim(), 120);
  }
  return conceptText(resource['code']) || conceptText(resource['type']) || String(resource['resourceType']);
}

type Targets = Readonly<{
  patientKeys: ReadonlySet<string>;
  patientRef: string;
  patientDisplay: string | null;
  /** Source key → the new or existing reference in this chart. */
  local: ReadonlyMap<string, string>;
  /** Source key → the entry (for names kept as words). */
  entries: ReadonlyMap<string, Record_>;
}>;

/** A Reference as it must read in this chart. */
function rewriteReference(reference: Record_, targets: Targets, counter: { namesOnly: number }): Record_ {
  const literal = stringOf(reference['reference']);
  if (literal === null || literal.startsWith('#')) return reference;
  const key = referenceKey(literal);
  if (targets.patientKeys.has(key)) return { reference: targets.patientRef, ...(targets.patientDisplay !== null ? { display: targets.patientDisplay } : {}) };
  const local = targets.local.get(key);
  if (local !== undefined) return { ...reference, reference: local };
  // Not imported (an author, an organization, a record of the other system): its words only.
  const entry = targets.entries.get(key);
  const display = stringOf(reference['display']) ?? (entry === undefined ? null : nameOfEntry(entry));
  const { reference: _dropped, ...rest } = reference;
  counter.namesOnly += 1;
  const kept = { ...rest, ...(display !== null ? { display } : {}) };
  return Object.keys(kept).length > 0 ? kept : { display: /^([A-Z][A-Za-z]+)\//.exec(key)?.[1] ?? 'reference' };
}

function rewriteAll(value: unknown, targets: Targets, counter: { namesOnly: number }): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteAll(v, targets, counter));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  // JSON.parse makes `__proto__` an own key; assigned back, it would set a prototype. No FHIR element has that name.
  for (const [key, inner] of Object.entries(value)) if (key !== '__proto__') out[key] = rewriteAll(inner, targets, counter);
  return typeof out['reference'] === 'string' ? rewriteReference(out, targets, counter) : out;
}

/** Script and style elements cut out, content and all, in one pass (a lazy regex rescans to the end from every opening). */
function withoutScripts(markup: string): string {
  const lower = markup.toLowerCase();
  let out = '';
  let at = 0;
  for (;;) {
    const script = lower.indexOf('<script', at);
    const style = lower.indexOf('<style', at);
    const start = script < 0 ? style : style < 0 ? script : Math.min(script, style);
    if (start < 0) return out + markup.slice(at);
    const tag = start === script ? '</script' : '</style';
    const close = lower.indexOf(tag, start);
    out += `${markup.slice(at, start)} `;
    if (close < 0) return out;
    const end = lower.indexOf('>', close);
    at = end < 0 ? markup.length : end + 1;
  }
}

/** A narrative as safe XHTML: its text, block by block, escaped; never the file's markup. */
export function narrativeFromText(markup: string): string | null {
  const text = decodeEntities(
    withoutScripts(markup)
      .replace(/<(br|\/p|\/paragraph|\/item|\/li|\/tr|\/div|\/h[1-6]|\/caption|\/title)\b[^<>]*>/gi, '\n')
      .replace(/<\/t[dh]\s*>/gi, ' | ')
      .replace(/<[^<>]*>/g, ''),
  );
  const lines = text
    .split('\n')
    .map((l) => {
      // Trailing cell separators trimmed in a loop (a regex with nested repetition backtracks exponentially).
      let line = l.replace(/\s+/g, ' ').trim();
      while (line.endsWith('|')) line = line.slice(0, -1).trimEnd();
      while (line.startsWith('|')) line = line.slice(1).trimStart();
      return line;
    })
    .filter((l) => l !== '');
  if (lines.length === 0) return null;
  const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<div xmlns="http://www.w3.org/1999/xhtml">${lines.map((l) => `<p>${escape(l)}</p>`).join('')}</div>`;
}

/** A medicationReference to a Medication of the file becomes that Medication's code (the Medication itself is not imported). */
function inlineMedication(resource: Record_, entries: ReadonlyMap<string, Record_>): Record_ {
  const ref = isRecord(resource['medicationReference']) ? stringOf(resource['medicationReference']['reference']) : null;
  if (ref === null || ref.startsWith('#')) return resource;
  const medication = entries.get(referenceKey(ref));
  if (medication === undefined || !isRecord(medication['code'])) return resource;
  const { medicationReference: _m, ...rest } = resource;
  return { ...rest, medicationCodeableConcept: medication['code'] };
}

export function planImport(doc: ParsedDocument, context: ImportContext): ImportPlan {
  // Home readings name no patient: the clinician confirms whose they are, nothing to compare.
  const { verdict, rows } = doc.patient === null ? { verdict: 'readings' as const, rows: [] } : compareIdentity(doc.patient.resource, context.patient);
  const patientRef = `Patient/${String(context.patient['id'])}`;
  const source = doc.identifier ?? `urn:uuid:${context.uuid()}`;
  const kindSaid = doc.format === 'ccda' ? 'HL7 C-CDA' : doc.format === 'csv' ? (doc.kind === 'withings' ? 'Withings Health Mate CSV' : 'CSV') : `FHIR Bundle (${doc.kind})`;
  const entriesByKey = new Map<string, Record_>();
  for (const entry of doc.patient === null ? doc.entries : [doc.patient, ...doc.entries]) for (const key of entry.keys) entriesByKey.set(key, entry.resource);

  const chartIndex = indexChart(context.chart);
  const leftOut = new Map<string, LeftOut>();
  const leave = (type: string, reason: LeftOut['reason']): void => {
    const key = `${type}|${reason}`;
    leftOut.set(key, { type, reason, count: (leftOut.get(key)?.count ?? 0) + 1 });
  };
  // First pass: what is imported, what is already there, and the new ids.
  const local = new Map<string, string>();
  const chosen: { entry: SourceEntry; ref: string }[] = [];
  const duplicates: { entry: SourceEntry; of: string }[] = [];
  for (const entry of doc.entries) {
    const type = String(entry.resource['resourceType']);
    if (entry === doc.composition || nameOnly.has(type)) continue;
    if (inError(entry.resource)) {
      leave(type, 'entered-in-error');
      continue;
    }
    if (!importable.has(type)) {
      // A kind Relais does not write may still be one the chart already has (our own summary coming back).
      const existing = sameFactIn(entry.resource, chartIndex);
      if (existing !== null) duplicates.push({ entry, of: existing });
      else leave(type, 'kind');
      continue;
    }
    // An IPS says "no information about allergies" with a coded entry: a statement about the document, not a record.
    if ([...codesOf(entry.resource)].some((c) => c.startsWith(`${absentUnknown}|`))) {
      leave(type, 'no-information');
      continue;
    }
    const existing = sameFactIn(entry.resource, chartIndex);
    if (existing !== null) {
      duplicates.push({ entry, of: existing });
      for (const key of entry.keys) local.set(key, existing);
      continue;
    }
    const ref = `${type}/${context.uuid()}`;
    for (const key of entry.keys) local.set(key, ref);
    chosen.push({ entry, ref });
  }
  const compositionRef = doc.composition !== null && chosen.length > 0 ? `Composition/${context.uuid()}` : null;
  if (doc.composition !== null && compositionRef !== null) for (const key of doc.composition.keys) local.set(key, compositionRef);

  const names = nameOf(context.patient);
  const targets: Targets = { patientKeys: new Set(doc.patientKeys), patientRef, patientDisplay: names?.text ?? null, local, entries: entriesByKey };
  const counter = { namesOnly: 0 };
  const prepare = (resource: Record_, ref: string): Record_ => {
    const { meta: _meta, text: _text, id: _id, ...rest } = inlineMedication(resource, entriesByKey);
    const rewritten = rewriteAll(rest, targets, counter) as Record_;
    return { resourceType: resource['resourceType'], id: ref.split('/')[1], meta: { source }, ...rewritten };
  };

  const resources: FhirResource[] = [];
  const sections = new Map<ImportSectionKey, PlannedItem[]>();
  const addLine = (key: ImportSectionKey, item: PlannedItem): void => {
    sections.set(key, [...(sections.get(key) ?? []), item]);
  };
  // Whatever the file says, an item that would not be this patient's is left out, and nothing else
  // may point to it (its new id would name a record never created): its references become words.
  const outside = new Set(chosen.filter(({ entry, ref }) => patientOf(prepare(entry.resource, ref) as FhirResource) !== patientRef));
  for (const { entry } of outside) {
    leave(String(entry.resource['resourceType']), 'other-patient');
    for (const key of entry.keys) local.delete(key);
  }
  counter.namesOnly = 0;
  for (const chosenOne of chosen) {
    if (outside.has(chosenOne)) continue;
    const { ref } = chosenOne;
    const resource = prepare(chosenOne.entry.resource, ref);
    resources.push(resource as FhirResource);
    addLine(sectionOf(resource), { line: summaryLineOf(resource, new Map(), context.language, null), ref, duplicateOf: null });
  }
  for (const { entry, of } of duplicates) addLine(sectionOf(entry.resource), { line: summaryLineOf(entry.resource, new Map(), context.language, null), ref: null, duplicateOf: of });

  if (doc.composition !== null && compositionRef !== null && resources.length > 0) {
    const c = doc.composition.resource;
    // A section points to what was added and to what the chart already had.
    const kept = new Set([...resources.map((r) => `${r.resourceType}/${String(r.id)}`), ...duplicates.map((d) => d.of)]);
    const sectionsOf = (list: unknown): Record_[] =>
      records(list).map((s) => {
        const { text: sectionText, entry: sectionEntries, section: inner, ...unwritten } = s;
        const restOfSection = rewriteAll(unwritten, targets, counter) as Record_;
        const div = isRecord(sectionText) && typeof sectionText['div'] === 'string' ? narrativeFromText(sectionText['div']) : null;
        const entryRefs = records(sectionEntries)
          .map((e) => (typeof e['reference'] === 'string' ? local.get(referenceKey(e['reference'])) : undefined))
          .filter((r): r is string => r !== undefined && kept.has(r));
        return {
          ...restOfSection,
          ...(div !== null ? { text: { status: 'generated', div } } : {}),
          ...(entryRefs.length > 0 ? { entry: [...new Set(entryRefs)].map((reference) => ({ reference })) } : {}),
          ...(inner !== undefined ? { section: sectionsOf(inner) } : {}),
          // R4 cmp-1: a section has text, entries or sections; an empty one says why, in words too.
          ...(div === null && entryRefs.length === 0 && inner === undefined
            ? {
                text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml"><p>${context.language === 'fr' ? 'Aucune information' : 'No information'}</p></div>` },
                emptyReason: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/list-empty-reason', code: 'unavailable' }] },
              }
            : {}),
        };
      });
    const { meta: _m, text: _t, id: _i, section, ...restOfComposition } = c;
    const rewritten = rewriteAll(restOfComposition, targets, counter) as Record_;
    const composition: Record_ = { resourceType: 'Composition', id: compositionRef.split('/')[1], meta: { source }, ...rewritten, subject: { reference: patientRef }, ...(section !== undefined ? { section: sectionsOf(section) } : {}) };
    resources.push(composition as FhirResource);
    addLine('documents', { line: [stringOf(c['title']) ?? conceptText(c['type']), doc.author].filter((p) => p !== null && p !== '').join(' — '), ref: compositionRef, duplicateOf: null });
  }

  const provenanceId = context.uuid();
  const provenance: FhirResource = {
    resourceType: 'Provenance',
    id: provenanceId,
    extension: [{ url: provenancePatientExtension, valueReference: { reference: patientRef } }],
    target: resources.map((r) => ({ reference: `${r.resourceType}/${String(r.id)}` })),
    recorded: context.now.toISOString(),
    activity: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'CREATE', display: 'create' }], text: 'import' },
    agent: [
      { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'enterer', display: 'Enterer' }] }, who: { ...context.practitioner } },
      ...(doc.author !== null ? [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'author', display: 'Author' }] }, who: { display: displayText(doc.author, 200) } }] : []),
    ],
    entity: [
      {
        role: 'source',
        what: {
          identifier: { system: fileDigestSystem, value: context.fileDigest },
          display: [displayText(context.fileName, 200), kindSaid, doc.title, doc.date].filter((p) => p !== null && p !== '').join(' · '),
        },
      },
    ],
  };
  return {
    verdict,
    identity: rows,
    sections: importSectionOrder.flatMap((key) => (sections.has(key) ? [{ key, items: sections.get(key) ?? [] }] : [])),
    leftOut: [...leftOut.values()],
    namesOnly: counter.namesOnly,
    added: resources.length,
    duplicates: duplicates.length,
    resources: resources.length > 0 ? [...resources, provenance] : [],
    provenance,
  };
}
