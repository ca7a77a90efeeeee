import { isRecord, records, stringOf, type Record_ } from '../fhir/fhir-text';

/**
 * What the HL7 International Patient Summary (IPS, hl7.fhir.uv.ips 1.1.0) requires of a document
 * and of the resources it carries, written from the IG's profiles (Bundle-uv-ips,
 * Composition-uv-ips, Patient-uv-ips, AllergyIntolerance-uv-ips, Condition-uv-ips,
 * MedicationStatement-uv-ips, MedicationRequest-uv-ips, Immunization-uv-ips, Procedure-uv-ips,
 * Observation-results-uv-ips) and the core R4 invariants they lean on (bdl-7, bdl-9, bdl-10,
 * bdl-11, ait-1). Used to decide which profile an exported resource may claim, and to check a
 * whole document (ours in tests, another system's at import). It checks required elements, fixed
 * values and references inside the document; it is not a full FHIR validator (base R4 structure is
 * checked in tests with @medplum/core's validator).
 */

export const ipsBase = 'http://hl7.org/fhir/uv/ips/StructureDefinition';
export const ipsProfile = {
  Bundle: `${ipsBase}/Bundle-uv-ips`,
  Composition: `${ipsBase}/Composition-uv-ips`,
  Patient: `${ipsBase}/Patient-uv-ips`,
  AllergyIntolerance: `${ipsBase}/AllergyIntolerance-uv-ips`,
  Condition: `${ipsBase}/Condition-uv-ips`,
  MedicationStatement: `${ipsBase}/MedicationStatement-uv-ips`,
  MedicationRequest: `${ipsBase}/MedicationRequest-uv-ips`,
  Medication: `${ipsBase}/Medication-uv-ips`,
  Immunization: `${ipsBase}/Immunization-uv-ips`,
  Procedure: `${ipsBase}/Procedure-uv-ips`,
  Observation: `${ipsBase}/Observation-results-uv-ips`,
} as const;

/** The IPS code system for "nothing known" entries (IPS 1.x: a real entry carries the code; section.emptyReason is not allowed). */
export const absentUnknown = 'http://hl7.org/fhir/uv/ips/CodeSystem/absent-unknown-uv-ips';
export const dataAbsentReason = 'http://hl7.org/fhir/StructureDefinition/data-absent-reason';

export const loincSection = {
  allergies: '48765-2',
  medications: '10160-0',
  problems: '11450-4',
  pastIllness: '11348-0',
  immunizations: '11369-6',
  procedures: '47519-4',
  results: '30954-2',
  vitalSigns: '8716-3',
} as const;
export type SectionKey = keyof typeof loincSection;

/** Required sections, and the resource types each section's entries may be. */
export const requiredSections: readonly SectionKey[] = ['problems', 'allergies', 'medications'];
export const sectionEntryTypes: Readonly<Record<SectionKey, readonly string[]>> = {
  allergies: ['AllergyIntolerance', 'DocumentReference'],
  medications: ['MedicationStatement', 'MedicationRequest', 'MedicationAdministration', 'MedicationDispense', 'DocumentReference'],
  problems: ['Condition', 'DocumentReference'],
  pastIllness: ['Condition'],
  immunizations: ['Immunization'],
  procedures: ['Procedure'],
  results: ['Observation', 'DiagnosticReport'],
  vitalSigns: ['Observation'],
};

const has = (value: unknown): boolean =>
  value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0) && !(isRecord(value) && Object.keys(value).length === 0);
/** A choice element `name[x]` present as a value, or as a primitive carrying only an extension (a data-absent-reason). */
const hasChoice = (resource: Record_, name: string): boolean =>
  Object.keys(resource).some((key) => (key.startsWith(name) && key.length > name.length && /^[A-Z]/.test(key.slice(name.length)) && has(resource[key])) || (key.startsWith(`_${name}`) && has(resource[key])));
const hasReference = (value: unknown): boolean => isRecord(value) && stringOf(value['reference']) !== null;
const enteredInError = (concept: unknown): boolean => isRecord(concept) && records(concept['coding']).some((c) => c['code'] === 'entered-in-error');

/** What keeps a resource from meeting its IPS profile (empty when it meets it). */
export function profileIssues(resource: Record_): string[] {
  const type = stringOf(resource['resourceType']) ?? '';
  const issues: string[] = [];
  const need = (ok: boolean, what: string): void => {
    if (!ok) issues.push(`${type}: ${what}`);
  };
  switch (type) {
    case 'Patient': {
      const names = records(resource['name']);
      need(names.length > 0, 'name is required');
      need(names.every((n) => has(n['family']) || has(n['given']) || has(n['text'])), 'each name has a family name, a given name or a text (ips-pat-1)');
      need(has(resource['birthDate']), 'birthDate is required');
      break;
    }
    case 'AllergyIntolerance':
      need(hasReference(resource['patient']), 'patient.reference is required');
      need(enteredInError(resource['verificationStatus']) || has(resource['clinicalStatus']), 'clinicalStatus is required unless entered in error (ait-1)');
      break;
    case 'Condition':
      need(hasReference(resource['subject']), 'subject.reference is required');
      need(has(resource['code']), 'code is required');
      need(has(resource['clinicalStatus']), 'clinicalStatus is required');
      break;
    case 'MedicationStatement':
      need(hasReference(resource['subject']), 'subject.reference is required');
      need(hasChoice(resource, 'effective'), 'effective[x] is required');
      need(hasChoice(resource, 'medication'), 'medication[x] is required');
      need(has(resource['status']) && resource['status'] !== 'entered-in-error', 'status is required and not entered-in-error');
      break;
    case 'MedicationRequest':
      need(hasReference(resource['subject']), 'subject.reference is required');
      need(hasChoice(resource, 'medication'), 'medication[x] is required');
      need(has(resource['status']) && has(resource['intent']), 'status and intent are required');
      break;
    case 'Medication':
      need(has(resource['code']), 'code is required');
      break;
    case 'Immunization':
      need(hasReference(resource['patient']), 'patient.reference is required');
      need(has(resource['vaccineCode']), 'vaccineCode is required');
      need(hasChoice(resource, 'occurrence'), 'occurrence[x] is required');
      need(has(resource['status']), 'status is required');
      break;
    case 'Procedure':
      need(hasReference(resource['subject']), 'subject.reference is required');
      need(has(resource['code']), 'code is required');
      need(hasChoice(resource, 'performed'), 'performed[x] is required');
      need(has(resource['status']), 'status is required');
      break;
    case 'Observation':
      need(resource['status'] === 'final', 'status is final (Observation-results-uv-ips)');
      need(hasReference(resource['subject']), 'subject.reference is required');
      need(hasChoice(resource, 'effective'), 'effective[x] is required');
      need(has(resource['code']), 'code is required');
      break;
    default:
      break;
  }
  return issues;
}

/** The IPS profile a resource may claim, or null (no IPS profile for its type, or it does not meet it). */
export function claimableProfile(resource: Record_): string | null {
  const type = stringOf(resource['resourceType']) ?? '';
  const profile = (ipsProfile as Readonly<Record<string, string>>)[type];
  if (profile === undefined || type === 'Bundle' || type === 'Composition') return null;
  return profileIssues(resource).length === 0 ? profile : null;
}

const sectionCode = (section: Record_): string | null => {
  const code = section['code'];
  return isRecord(code) ? (records(code['coding']).find((c) => c['system'] === 'http://loinc.org')?.['code'] as string | undefined) ?? null : null;
};

/**
 * Every way a Bundle fails to be an IPS document (empty when it is one): the Bundle's header, the
 * Composition first, its required sections with narrative and at least one entry each (IPS 1.1),
 * every section entry resolving inside the Bundle to a type the section allows, the subject the
 * Patient of the Bundle, and every resource that claims an IPS profile meeting it.
 */
export function ipsDocumentIssues(bundle: unknown): string[] {
  if (!isRecord(bundle) || bundle['resourceType'] !== 'Bundle') return ['not a Bundle'];
  const issues: string[] = [];
  const need = (ok: boolean, what: string): void => {
    if (!ok) issues.push(what);
  };
  need(bundle['type'] === 'document', 'Bundle.type is document');
  const identifier = bundle['identifier'];
  need(isRecord(identifier) && has(identifier['system']) && has(identifier['value']), 'Bundle.identifier has a system and a value (bdl-9)');
  need(has(bundle['timestamp']), 'Bundle.timestamp is required (bdl-10)');
  const entries = records(bundle['entry']);
  need(entries.length > 0, 'Bundle.entry is required');
  const byUrl = new Map<string, Record_>();
  for (const entry of entries) {
    const url = stringOf(entry['fullUrl']);
    need(url !== null, 'every entry has a fullUrl');
    need(url === null || !byUrl.has(url), `fullUrl ${String(url)} is unique (bdl-7)`);
    need(isRecord(entry['resource']), `entry ${String(url)} has a resource`);
    need(!has(entry['request']) && !has(entry['response']) && !has(entry['search']), `entry ${String(url)} has no request, response or search`);
    if (url !== null && isRecord(entry['resource'])) byUrl.set(url, entry['resource']);
  }
  const composition = entries[0]?.['resource'];
  if (!isRecord(composition) || composition['resourceType'] !== 'Composition') {
    issues.push('the first entry is a Composition (bdl-11)');
    return issues;
  }
  need(entries.slice(1).every((e) => !isRecord(e['resource']) || e['resource']['resourceType'] !== 'Composition'), 'only the first entry is a Composition (bdl-ips-1)');
  need(has(composition['status']), 'Composition.status is required');
  const type = composition['type'];
  need(isRecord(type) && records(type['coding']).some((c) => c['system'] === 'http://loinc.org' && c['code'] === '60591-5'), 'Composition.type is LOINC 60591-5');
  need(has(composition['date']), 'Composition.date is required');
  need(records(composition['author']).length > 0, 'Composition.author is required');
  need(has(composition['title']), 'Composition.title is required');
  const subject = stringOf(isRecord(composition['subject']) ? composition['subject']['reference'] : null);
  const patient = subject === null ? undefined : byUrl.get(subject);
  need(patient !== undefined && patient['resourceType'] === 'Patient', 'Composition.subject is the Patient of the Bundle');
  const sections = records(composition['section']);
  need(sections.length > 0, 'Composition.section is required');
  const codes = sections.map(sectionCode);
  for (const key of requiredSections) need(codes.filter((c) => c === loincSection[key]).length === 1, `one section ${key} (LOINC ${loincSection[key]})`);
  const known = new Map<string, SectionKey>(Object.entries(loincSection).map(([k, v]) => [v, k as SectionKey]));
  for (const section of sections) {
    const code = sectionCode(section);
    const key = code === null ? undefined : known.get(code);
    const label = key ?? `section ${String(code)}`;
    need(has(section['title']), `${label}: title is required`);
    need(code !== null, `${label}: a LOINC code is required`);
    const text = section['text'];
    need(isRecord(text) && typeof text['div'] === 'string' && text['div'].startsWith('<div') && has(text['status']), `${label}: narrative text is required`);
    need(!has(section['emptyReason']), `${label}: emptyReason is not used in IPS 1.1 (an entry says "nothing known")`);
    need(!has(section['section']), `${label}: no sub-sections`);
    const refs = records(section['entry']).map((e) => stringOf(e['reference']));
    need(refs.length > 0, `${label}: at least one entry`);
    for (const ref of refs) {
      const target = ref === null ? undefined : byUrl.get(ref);
      need(target !== undefined, `${label}: entry ${String(ref)} is in the Bundle`);
      if (target !== undefined && key !== undefined) need(sectionEntryTypes[key].includes(String(target['resourceType'])), `${label}: a ${String(target['resourceType'])} is not an entry of this section`);
    }
  }
  for (const [url, resource] of byUrl) {
    const claimed = isRecord(resource['meta']) ? (resource['meta']['profile'] as unknown) : undefined;
    if (Array.isArray(claimed) && claimed.some((p) => typeof p === 'string' && p.startsWith(ipsBase))) {
      for (const issue of profileIssues(resource)) issues.push(`${url}: ${issue}`);
    }
  }
  if (patient !== undefined) for (const issue of profileIssues(patient)) issues.push(`the Patient: ${issue}`);
  return issues;
}
