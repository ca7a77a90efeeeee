import type { FhirResource } from '../../../shared/fhir/resource';
import { conceptText, displayText, records, stringOf, strings } from './fhir-text';

/** Who a Patient resource is, for headers and rows: name, birth date, age, sex, identifiers. */
export type Sex = 'female' | 'male' | 'other' | 'unknown';

export type IdentifierKind = 'ins' | 'nhs' | 'ipp' | 'other';

export type PatientIdentifier = Readonly<{ kind: IdentifierKind; label: string; value: string }>;

export type PatientIdentity = Readonly<{
  family: string;
  given: string;
  /** "DUPONT Hélène" — the family name first and in capitals, as French records print it. */
  fullName: string;
  birthDate: string | null;
  sex: Sex;
  identifiers: readonly PatientIdentifier[];
}>;

const identifierSystems: Readonly<Record<string, IdentifierKind>> = {
  'urn:oid:1.2.250.1.213.1.4.8': 'ins',
  'https://fhir.nhs.uk/Id/nhs-number': 'nhs',
  'https://hie.relais.example.org/sid/ipp': 'ipp',
};

/** Official name first, then usual, then any. */
function chosenName(patient: FhirResource): Readonly<Record<string, unknown>> | null {
  const names = records(patient['name']);
  return names.find((n) => n['use'] === 'official') ?? names.find((n) => n['use'] === 'usual') ?? names[0] ?? null;
}

export function identityOf(patient: FhirResource): PatientIdentity {
  const name = chosenName(patient);
  const family = displayText(name?.['family'], 80);
  const given = strings(name?.['given']).map((g) => displayText(g, 60)).filter((g) => g !== '').join(' ');
  const text = displayText(name?.['text'], 120);
  const fullName = [family.toLocaleUpperCase('fr'), given].filter((p) => p !== '').join(' ') || text;
  const gender = patient['gender'];
  const sex: Sex = gender === 'female' || gender === 'male' || gender === 'other' ? gender : 'unknown';
  const identifiers = records(patient['identifier']).flatMap((identifier): PatientIdentifier[] => {
    const value = displayText(identifier['value'], 60);
    if (value === '') return [];
    const kind = identifierSystems[stringOf(identifier['system']) ?? ''] ?? 'other';
    const label = kind === 'other' ? conceptText(identifier['type']) || 'ID' : kind.toUpperCase();
    return [{ kind, label, value }];
  });
  const birthDate = stringOf(patient['birthDate']);
  return { family, given, fullName, birthDate: birthDate !== null && /^\d{4}(-\d{2}(-\d{2})?)?$/.test(birthDate) ? birthDate : null, sex, identifiers };
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
