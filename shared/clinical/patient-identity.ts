import type { FhirResource } from '../fhir/resource';
import { conceptText, displayText, isRecord, records, stringOf, strings, type Record_ } from '../fhir/fhir-text';
import { parseWhen, sortTime, type FhirWhen } from '../fhir/fhir-when';

/**
 * Who a Patient resource is, for headers and rows: name, birth date, sex, whether and when the
 * patient died, and the identifiers clinicians use, in the order the policy gives (by default
 * INS, NHS number, IHI, then the medical record number or IPP), never the server's technical id
 * unless nothing else exists.
 */
export type Sex = 'female' | 'male' | 'other' | 'unknown';

export type IdentifierKind = 'ins' | 'nhs' | 'ihi' | 'mrn' | 'ipp' | 'other' | 'technical';

export type PatientIdentifier = Readonly<{ kind: IdentifierKind; label: string; value: string }>;

export type Deceased = Readonly<{ when: FhirWhen | null; at: Date | null }>;

export type PatientIdentity = Readonly<{
  family: string;
  given: string;
  /** "DUPONT Hélène" — the family name first and in capitals, as French records print it. */
  fullName: string;
  birthDate: string | null;
  sex: Sex;
  /** Null while alive (or unknown); set when `deceasedBoolean` is true or `deceasedDateTime` is given. */
  deceased: Deceased | null;
  /** In display order: the first one is the one a row shows. */
  identifiers: readonly PatientIdentifier[];
}>;

/** One rule of the identifier order (policy-configurable): match by system or by v2-0203 type code. */
export type IdentifierRule = Readonly<{ system?: string; type?: string; label: string; kind?: IdentifierKind }>;

export const defaultIdentifierPriority: readonly IdentifierRule[] = [
  { system: 'urn:oid:1.2.250.1.213.1.4.8', label: 'INS', kind: 'ins' },
  { type: 'INS-NIR', label: 'INS', kind: 'ins' },
  { system: 'https://fhir.nhs.uk/Id/nhs-number', label: 'NHS', kind: 'nhs' },
  { system: 'http://ns.electronichealth.net.au/id/hi/ihi/1.0', label: 'IHI', kind: 'ihi' },
  { system: 'https://hie.relais.example.org/sid/ipp', label: 'IPP', kind: 'ipp' },
  { type: 'PI', label: 'IPP', kind: 'ipp' },
  { type: 'MR', label: 'MRN', kind: 'mrn' },
];

/** Identifiers that are not for care: kept, but after the others. */
const administrativeTypes = new Set(['SS', 'DL', 'PPN', 'MC', 'SB', 'TAX', 'BN']);
const technicalSystems = new Set(['https://github.com/synthetichealth/synthea', 'urn:ietf:rfc:3986']);

/** Official name first, then usual, then any. */
function chosenName(patient: FhirResource): Readonly<Record<string, unknown>> | null {
  const names = records(patient['name']);
  return names.find((n) => n['use'] === 'official') ?? names.find((n) => n['use'] === 'usual') ?? names[0] ?? null;
}

const typeCodes = (identifier: Record_): readonly string[] =>
  records(isRecord(identifier['type']) ? identifier['type']['coding'] : undefined).map((c) => stringOf(c['code'])).filter((c): c is string => c !== null);

function orderedIdentifiers(patient: FhirResource, priority: readonly IdentifierRule[]): PatientIdentifier[] {
  const found: { identifier: PatientIdentifier; rank: number; index: number }[] = [];
  records(patient['identifier']).forEach((identifier, index) => {
    const value = displayText(identifier['value'], 60);
    if (value === '' || identifier['use'] === 'old') return;
    const system = stringOf(identifier['system']) ?? '';
    const types = typeCodes(identifier);
    const matches = (r: IdentifierRule): boolean => (r.system !== undefined && r.system === system) || (r.type !== undefined && types.includes(r.type));
    // The policy decides the order; a well-known identifier keeps its usual label even when the policy leaves it out.
    const rule = priority.findIndex(matches);
    const known = defaultIdentifierPriority.find(matches);
    const technical = value === patient.id || technicalSystems.has(system);
    const administrative = types.some((t) => administrativeTypes.has(t));
    const matched = rule >= 0 ? priority[rule] : undefined;
    const label = matched?.label ?? known?.label ?? (conceptText(identifier['type']) || (types[0] ?? 'ID'));
    const kind: IdentifierKind = technical ? 'technical' : (matched?.kind ?? known?.kind ?? 'other');
    const rank = technical ? 3000 : rule >= 0 ? rule : administrative ? 2000 : 1000;
    found.push({ identifier: { kind, label, value }, rank, index });
  });
  const ordered = found.sort((a, b) => a.rank - b.rank || a.index - b.index).map((f) => f.identifier);
  const useful = ordered.filter((i) => i.kind !== 'technical');
  if (useful.length > 0) return useful;
  if (ordered.length > 0) return ordered;
  return typeof patient.id === 'string' ? [{ kind: 'technical', label: 'ID', value: displayText(patient.id, 64) }] : [];
}

function deceasedOf(patient: FhirResource): Deceased | null {
  const when = parseWhen(patient['deceasedDateTime']);
  if (when !== null) return { when, at: new Date(sortTime(when)) };
  return patient['deceasedBoolean'] === true ? { when: null, at: null } : null;
}

export function identityOf(patient: FhirResource, priority: readonly IdentifierRule[] = defaultIdentifierPriority): PatientIdentity {
  const name = chosenName(patient);
  const family = displayText(name?.['family'], 80);
  const given = strings(name?.['given']).map((g) => displayText(g, 60)).filter((g) => g !== '').join(' ');
  const text = displayText(name?.['text'], 120);
  const fullName = [family.toLocaleUpperCase('fr'), given].filter((p) => p !== '').join(' ') || text;
  const gender = patient['gender'];
  const sex: Sex = gender === 'female' || gender === 'male' || gender === 'other' ? gender : 'unknown';
  const birthDate = stringOf(patient['birthDate']);
  return {
    family,
    given,
    fullName,
    birthDate: birthDate !== null && /^\d{4}(-\d{2}(-\d{2})?)?$/.test(birthDate) ? birthDate : null,
    sex,
    deceased: deceasedOf(patient),
    identifiers: orderedIdentifiers(patient, priority),
  };
}

/** Completed years (or months under two) at `today`; null without a birth date. */
export function ageAt(birthDate: string | null, today: Date): { years: number; months: number } | null {
  if (birthDate === null) return null;
  const [y, m = '01', d = '01'] = birthDate.split('-');
  const birth = { y: Number(y), m: Number(m), d: Number(d) };
  let months = (today.getFullYear() - birth.y) * 12 + (today.getMonth() + 1 - birth.m);
  if (today.getDate() < birth.d) months -= 1;
  if (months < 0) return null;
  return { years: Math.floor(months / 12), months };
}

