import { describe, expect, it } from 'vitest';
import { displayText } from '../../../../shared/fhir/fhir-text';
import { ageAt, identityOf } from '../../../../shared/clinical/patient-identity';

describe('who a Patient is, for display', () => {
  it('prints the official name family first in capitals, NFC, with known identifiers labelled', () => {
    const identity = identityOf({
      resourceType: 'Patient',
      name: [{ use: 'usual', family: 'X' }, { use: 'official', family: 'Le\u0301ve\u0302que', given: ['He\u0301le\u0300ne', 'Marie'] }],
      gender: 'female',
      birthDate: '1950-03-12',
      identifier: [{ system: 'urn:oid:1.2.250.1.213.1.4.8', value: '250037512345678' }, { system: 'https://hie.relais.example.org/sid/ipp', value: 'IPP-100024' }],
    });
    expect(identity.fullName).toBe('LÉVÊQUE Hélène Marie');
    expect(identity.identifiers.map((i) => `${i.label} ${i.value}`)).toEqual(['INS 250037512345678', 'IPP IPP-100024']);
    expect(identity.sex).toBe('female');
  });

  it('orders identifiers by the policy, keeps administrative ones after, and shows the technical id only when nothing else exists', () => {
    const patient = {
      resourceType: 'Patient', id: 'abc-123',
      identifier: [
        { system: 'https://github.com/synthetichealth/synthea', value: 'abc-123' },
        { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'SS' }], text: 'SSN' }, system: 'http://hl7.org/fhir/sid/us-ssn', value: '999-14-6279' },
        { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] }, system: 'urn:oid:1.2.3', value: 'H-1' },
        { system: 'urn:oid:1.2.250.1.213.1.4.8', value: '250037512345678' },
      ],
    };
    expect(identityOf(patient).identifiers.map((i) => `${i.label} ${i.value}`)).toEqual(['INS 250037512345678', 'MRN H-1', 'SSN 999-14-6279']);
    expect(identityOf(patient, [{ type: 'MR', label: 'IPP' }]).identifiers.map((i) => i.label)).toEqual(['IPP', 'INS', 'SSN']);
    expect(identityOf({ resourceType: 'Patient', id: 'abc-123' }).identifiers).toEqual([{ kind: 'technical', label: 'ID', value: 'abc-123' }]);
  });

  it('knows when a patient died: a date, or a plain yes', () => {
    expect(identityOf({ resourceType: 'Patient', deceasedDateTime: '2014-06-18T10:31:50-04:00' }).deceased?.when?.text).toBe('2014-06-18T10:31:50-04:00');
    expect(identityOf({ resourceType: 'Patient', deceasedBoolean: true }).deceased).toEqual({ when: null, at: null });
    expect(identityOf({ resourceType: 'Patient', deceasedBoolean: false }).deceased).toBeNull();
  });

  it('strips the bidirectional controls that make a name read as another', () => {
    expect(displayText('Dupont\u202Eeniréné')).toBe('Duponteniréné');
    expect(displayText('a\u2066b\u2069c\u200F')).toBe('abc');
  });

  it('cuts a huge value to the length asked for', () => {
    expect([...displayText('x'.repeat(10_000), 80)]).toHaveLength(80);
  });

  it('gives completed years, months under two, and nothing without a birth date', () => {
    const today = new Date(2026, 10, 28);
    expect(ageAt('1950-11-29', today)).toEqual({ years: 75, months: 911 });
    expect(ageAt('1950-11-28', today)?.years).toBe(76);
    expect(ageAt('2025-05-10', today)).toEqual({ years: 1, months: 18 });
    expect(ageAt(null, today)).toBeNull();
  });
});
