/**
 * One synthetic Patient: name, identifiers (INS for French patients, NHS number for English
 * ones, plus a local IPP), birth date, address, telecom and language.
 */
import type { Patient } from '@medplum/fhirtypes';
import { nhsCheckDigit, nirKey } from './check-digits.ts';
import { dateOnly, dayOffset, yearsBetween } from './dates.ts';
import { cities, familyNames, givenNames, streets, type Gender, type Locale } from './people.ts';
import type { Random } from './random.ts';
import { system } from './terminology.ts';

export type PatientProfile = Readonly<{
  id: string;
  index: number;
  locale: Locale;
  gender: Gender;
  given: string;
  family: string;
  birthMs: number;
  age: number;
  resource: Patient;
}>;

export type PatientContext = Readonly<{
  index: number;
  id: string;
  referenceMs: number;
  generalPractitionerId: string;
  organizationId: string;
}>;

function nirFor(random: Random, gender: Gender, birthMs: number, department: string): string {
  const birth = new Date(birthMs);
  const body =
    (gender === 'male' ? '1' : '2') +
    String(birth.getUTCFullYear() % 100).padStart(2, '0') +
    String(birth.getUTCMonth() + 1).padStart(2, '0') +
    (department || '75') +
    String(random.int(1, 999)).padStart(3, '0') +
    String(random.int(1, 999)).padStart(3, '0');
  return body + nirKey(body);
}

function nhsNumberFor(random: Random): string {
  for (;;) {
    const body = String(random.int(4, 6)) + random.digits(8);
    const check = nhsCheckDigit(body);
    if (check !== undefined) return body + String(check);
  }
}

export function buildPatient(random: Random, context: PatientContext): PatientProfile {
  const locale: Locale = random.chance(0.7) ? 'fr' : 'en';
  const gender: Gender = random.chance(0.52) ? 'female' : 'male';
  const given = random.pick(givenNames[locale][gender]);
  const secondGiven = random.chance(0.3) ? random.pick(givenNames[locale][gender]) : undefined;
  const family = random.pick(familyNames[locale]);
  const age = Math.min(98, Math.max(18, Math.round(random.normal(58, 17))));
  const birthMs = dayOffset(context.referenceMs, -(age * 365.25 + random.int(0, 364)));
  const city = random.pick(cities[locale]);
  const street = random.pick(streets[locale]);
  const number = random.int(1, 180);

  const identifier: NonNullable<Patient['identifier']> = [
    {
      use: 'usual',
      type: { coding: [{ system: system.identifierType, code: 'PI', display: 'Patient internal identifier' }] },
      system: system.localPatientId,
      value: `IPP-${String(100000 + context.index)}`,
    },
  ];
  if (locale === 'fr') {
    identifier.push({
      use: 'official',
      type: { coding: [{ system: system.insIdentifierType, code: 'INS-NIR', display: 'NIR définitif' }] },
      system: system.ins,
      value: nirFor(random, gender, birthMs, city.department),
    });
  } else {
    identifier.push({
      use: 'official',
      type: { coding: [{ system: system.identifierType, code: 'NH', display: 'National Health Plan Identifier' }] },
      system: system.nhsNumber,
      value: nhsNumberFor(random),
    });
  }

  const phone = locale === 'fr'
    ? `+33 6 ${random.digits(2)} ${random.digits(2)} ${random.digits(2)} ${random.digits(2)}`
    // Ofcom reserves 07700 900000-900999 for fiction.
    : `+44 7700 900${random.digits(3)}`;

  const resource: Patient = {
    resourceType: 'Patient',
    id: context.id,
    identifier,
    active: true,
    name: [{ use: 'official', family, given: secondGiven && secondGiven !== given ? [given, secondGiven] : [given] }],
    telecom: [{ system: 'phone', value: phone, use: 'mobile' }],
    gender,
    birthDate: dateOnly(birthMs),
    address: [{
      use: 'home',
      line: [`${number} ${street}`],
      city: city.name,
      postalCode: city.postalCode,
      country: city.country,
    }],
    communication: [{
      language: { coding: [{ system: system.language, code: locale === 'fr' ? 'fr-FR' : 'en-GB' }] },
      preferred: true,
    }],
    generalPractitioner: [{ reference: `Practitioner/${context.generalPractitionerId}` }],
    managingOrganization: { reference: `Organization/${context.organizationId}` },
  };
  return {
    id: context.id,
    index: context.index,
    locale,
    gender,
    given,
    family,
    birthMs,
    age: yearsBetween(birthMs, context.referenceMs),
    resource,
  };
}
